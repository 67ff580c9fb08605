#!/usr/bin/env node
// `npm run security`: Electron's security checklist as Doyensec's Electronegativity checks it, over src/.
// Fails on any finding of high or medium severity except the ones listed in ACCEPTED, each of which the
// README's "Security" section explains. Offline, Electronegativity's release check prints a warning
// ("No connectivity?") and goes on; -e gives it our Electron version instead.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version

/** Reviewed findings: check id → why it stays (see README, Security). */
const ACCEPTED = {
  PRELOAD_JS_CHECK: 'the preload is reviewed: it exposes one small typed API through contextBridge and forwards MessagePorts'
}

const work = mkdtempSync(join(tmpdir(), 'lab-electronegativity-'))
try {
  const csv = join(work, 'findings.csv')
  const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
  const scan = spawnSync(process.execPath, [cli, '-i', join(root, 'src'), '-e', electronVersion, '-o', csv], { cwd: root, encoding: 'utf8' })
  let text
  try {
    text = readFileSync(csv, 'utf8')
  } catch {
    console.log(scan.stdout + scan.stderr)
    console.log(`security: Electronegativity wrote no report (exit code ${scan.status})`)
    process.exit(1)
  }
  const rows = text.trim().split(/\r?\n/).slice(1).map(parseCsvLine)
  let blocking = 0
  for (const [issue, severity, , file, location] of rows) {
    const where = `${relative(root, file)}:${location}`
    const accepted = ACCEPTED[issue]
    const blocks = (severity === 'HIGH' || severity === 'MEDIUM') && !accepted
    if (blocks) blocking++
    console.log(`security: ${blocks ? 'FAIL' : 'ok  '} ${severity.padEnd(13)} ${issue} at ${where}${accepted ? ` (accepted: ${accepted})` : ''}`)
  }
  console.log(`security: Electronegativity (Electron ${electronVersion}) found ${rows.length} item(s), ${blocking} of high or medium severity not accepted.`)
  process.exitCode = blocking > 0 ? 1 : 0
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** One CSV line with quoted fields (the report quotes fields that contain commas). */
function parseCsvLine(line) {
  const fields = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') fields.push(field.trim()), (field = '')
    else field += c
  }
  fields.push(field.trim())
  return fields
}
