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

/**
 * Electronegativity's CSV writer races with itself: it writes the header and appends the rows as two
 * unsynchronised asynchronous writes, so now and then the header's write truncates or overwrites the
 * rows (seen here about one scan in five: a row lost its first fields). Its SARIF report is written in
 * one go but has no severities. So each attempt writes both, and a CSV is used only when every row is
 * whole and it has exactly the SARIF report's findings; otherwise the scan runs again, up to 3 times.
 */
const ATTEMPTS = 3
const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url'

const work = mkdtempSync(join(tmpdir(), 'lab-electronegativity-'))
try {
  let rows = null
  let problem = ''
  for (let attempt = 1; attempt <= ATTEMPTS && !rows; attempt++) {
    const report = scan(join(work, `findings-${attempt}.csv`))
    const sarif = scan(join(work, `findings-${attempt}.sarif`))
    if (report.text === null || sarif.text === null) {
      console.log(report.output + sarif.output)
      console.log(`security: Electronegativity wrote no report (exit codes ${report.status}, ${sarif.status})`)
      process.exit(1)
    }
    const found = JSON.parse(sarif.text).runs[0].results.length
    const lines = report.text.trim().split(/\r?\n/)
    const parsed = lines.slice(1).map(parseCsvLine)
    const whole = lines[0] === CSV_HEADER && parsed.every((fields) => fields.length === 8 && /^[A-Z0-9_]+$/.test(fields[0]))
    if (whole && parsed.length === found) rows = parsed
    else problem = `attempt ${attempt}: the CSV report is garbled (${parsed.length} row(s), the SARIF report has ${found})`
    if (!rows) console.log(`security: ${problem}; scanning again`)
  }
  if (!rows) {
    console.log(`security: no whole report from Electronegativity in ${ATTEMPTS} attempts (${problem})`)
    process.exit(1)
  }
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

/** One Electronegativity run over src/ writing `output` (.csv or .sarif); its text, or null when it wrote none. */
function scan(output) {
  const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
  const run = spawnSync(process.execPath, [cli, '-i', join(root, 'src'), '-e', electronVersion, '-o', output], { cwd: root, encoding: 'utf8' })
  let text = null
  try {
    text = readFileSync(output, 'utf8')
  } catch {
    // reported by the caller
  }
  return { text, status: run.status, output: run.stdout + run.stderr }
}

/** One CSV line with quoted fields (the report quotes fields that contain commas). */
function parseCsvLine(line) {
  const fields = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      fields.push(field.trim())
      field = ''
    } else field += c
  }
  fields.push(field.trim())
  return fields
}
