#!/usr/bin/env node
// `npm run lint`: ESLint (bugs and the walls between the rooms, eslint.config.mjs) and Prettier's check
// (.prettierrc), side by side (one core each), then one line saying which failed. Exit code 1 if either did.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function bin(pkg, name = pkg) {
  const dir = join(root, 'node_modules', pkg)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return join(dir, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name])
}

function run(label, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' })
    child.on('error', (error) => {
      console.error(`${label}: could not start: ${error.message}`)
      resolve({ label, ok: false })
    })
    child.on('exit', (code) => resolve({ label, ok: code === 0 }))
  })
}

const started = Date.now()
const results = await Promise.all([run('ESLint', [bin('eslint'), '.']), run('Prettier', [bin('prettier'), '--check', '--log-level', 'warn', '.'])])
const failed = results.filter((r) => !r.ok).map((r) => r.label)
const seconds = ((Date.now() - started) / 1000).toFixed(1)
if (failed.length === 0) console.log(`lint: ESLint and Prettier pass (${seconds} s).`)
else {
  console.log(
    `lint: ${failed.join(' and ')} failed (${seconds} s). ` +
      (failed.includes('Prettier') ? 'Format with `npx prettier --write <files>`; ' : '') +
      (failed.includes('ESLint') ? 'ESLint names each problem and its rule above (`npx eslint --fix <files>` fixes some).' : '')
  )
}
process.exitCode = failed.length ? 1 : 0
