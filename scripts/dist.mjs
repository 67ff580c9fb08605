#!/usr/bin/env node
// `npm run dist` (after electron-vite build): electron-builder with electron-builder.yml for this machine's
// platform; extra arguments go to electron-builder (npm run dist -- --win). Its progress is shown as it goes.
// If it fails because a download could not reach the network (offline, as on our machines), the run ends
// with one line saying so and what to do instead of a network stack trace (scripts/lib/dist-failure.mjs).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { offlineDistMessage } from './lib/dist-failure.mjs'

const root = resolve(import.meta.dirname, '..')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
const child = spawn(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--publish', 'never', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'pipe']
})

// Progress lines are shown live; from electron-builder's first error mark (⨯) on, output is held back until
// we know whether it is a download that failed.
let failing = false
const held = []
for (const stream of [child.stdout, child.stderr]) {
  createInterface({ input: stream }).on('line', (line) => {
    if (line.includes('⨯')) failing = true
    if (failing) held.push(line)
    else console.log(line)
  })
}

child.on('close', (code, signal) => {
  if (code === 0) return
  const output = held.join('\n')
  const offline = offlineDistMessage(output, electronVersion)
  if (offline) console.log(offline)
  else {
    if (output) console.log(output)
    console.log(`dist: electron-builder failed (${signal ?? `exit code ${code}`})`)
  }
  process.exitCode = 1
})
