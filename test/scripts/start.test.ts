/**
 * `npm start` when Electron cannot start: a stand-in binary that fails the way Electron does on Ubuntu
 * 23.10+ (the FATAL SUID-sandbox line, then SIGTRAP) must lead to the fix being printed and the browser
 * version being served. The build and the web server are stubbed; the binary really runs.
 */
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs script without types
import { launchDesktop } from '../../scripts/lib/launch-desktop.mjs'
// @ts-expect-error plain .mjs script without types
import { diagnoseLaunch, exitCodeOf, shellQuote } from '../../scripts/lib/launch-failure.mjs'
// @ts-expect-error plain .mjs script without types
import { claimMarker, markerHolderRunning, processStartTime } from '../../scripts/lib/run-marker.mjs'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-start-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function standIn(dir: string, body: string): string {
  const path = join(dir, 'electron')
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

const UBUNTU_FATAL =
  "[1234:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /opt/app/chrome-sandbox is owned by root and has mode 4755."

describe.skipIf(process.platform === 'win32')('launchDesktop with a binary that cannot start', () => {
  it('prints the sandbox fix and serves the browser version when Electron dies by SIGTRAP at launch', async () => {
    const dir = tempDir()
    const binary = standIn(dir, `echo "${UBUNTU_FATAL}" >&2\nkill -TRAP $$`)
    const lines: string[] = []
    let served = 0
    let built = 0
    const code = await launchDesktop({
      binary,
      args: [],
      cwd: dir,
      markerPath: join(dir, 'out', '.electron-running.pid'),
      build: async () => (built++, 0),
      serveWeb: async () => (served++, 0),
      log: (line: string) => lines.push(line)
    })
    expect(built).toBe(1)
    expect(served).toBe(1)
    expect(code).toBe(0)
    const text = lines.join('\n')
    expect(text).toMatch(/killed by SIGTRAP \(exit code 133\) at launch/)
    const helper = shellQuote(join(dir, 'chrome-sandbox'))
    expect(text).toContain(`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}`)
    // The AppArmor profile for this binary comes first, the system-wide sysctl last.
    expect(text).toContain(`profile gradient-lab-electron "${binary}" flags=(unconfined) {`)
    expect(text.indexOf('apparmor_parser -r')).toBeLessThan(text.indexOf('chown root:root'))
    expect(text.indexOf('chown root:root')).toBeLessThan(text.indexOf('apparmor_restrict_unprivileged_userns'))
    expect(lines.at(-1)).toBe('Serving the browser version of Gradient Lab instead.')
    expect(existsSync(join(dir, 'out', '.electron-running.pid'))).toBe(false)
  })

  it('passes a normal exit through without falling back', async () => {
    const dir = tempDir()
    const binary = standIn(dir, 'exit 0')
    let served = 0
    const code = await launchDesktop({
      binary,
      args: [],
      cwd: dir,
      markerPath: join(dir, 'out', '.pid'),
      build: async () => 0,
      serveWeb: async () => (served++, 0),
      log: () => {}
    })
    expect(code).toBe(0)
    expect(served).toBe(0)
  })

  it('does not rebuild under an app that is already running from the same folder', async () => {
    const dir = tempDir()
    const marker = join(dir, 'out.pid')
    // This process stands for the running app.
    const holder = { pid: process.pid, started: processStartTime(process.pid) }
    writeFileSync(marker, JSON.stringify(holder))
    expect(markerHolderRunning(marker)).toBe(true)
    let built = 0
    const lines: string[] = []
    const code = await launchDesktop({
      binary: standIn(dir, 'exit 0'),
      args: [],
      cwd: dir,
      markerPath: marker,
      build: async () => (built++, 0),
      serveWeb: async () => 1,
      log: (line: string) => lines.push(line)
    })
    expect(code).toBe(0)
    expect(built).toBe(0)
    expect(lines[0]).toMatch(/already running/)
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual(holder) // the running app's marker stays
  })

  it('builds while it holds the marker, and removes it when Electron exits', async () => {
    const dir = tempDir()
    const marker = join(dir, 'out', '.electron-running.pid')
    let heldDuringBuild: unknown = null
    await launchDesktop({
      binary: standIn(dir, 'exit 0'),
      args: [],
      cwd: dir,
      markerPath: marker,
      build: async () => ((heldDuringBuild = JSON.parse(readFileSync(marker, 'utf8'))), 0),
      serveWeb: async () => 1,
      log: () => {}
    })
    expect(heldDuringBuild).toEqual({ pid: process.pid, started: processStartTime(process.pid) })
    expect(existsSync(marker)).toBe(false)
  })
})

describe.skipIf(process.platform === 'win32')('the running-app marker', () => {
  it('is created exclusively: a second claim while the first holder runs gets nothing', () => {
    const marker = join(tempDir(), 'out', 'app.pid')
    const first = claimMarker(marker)
    expect(first.owned).toBe(true)
    expect(claimMarker(marker).owned).toBe(false)
    first.release()
    expect(existsSync(marker)).toBe(false)
    expect(claimMarker(marker).owned).toBe(true)
  })

  it('names its process by pid and start time, so a reused pid is not taken for the app', () => {
    const marker = join(tempDir(), 'app.pid')
    const started = processStartTime(process.pid)
    expect(started).toEqual(expect.any(String))
    // The same pid, alive, but a process that started at another time (another boot): stale.
    writeFileSync(marker, JSON.stringify({ pid: process.pid, started: `another-boot:${started}` }))
    expect(markerHolderRunning(marker)).toBe(false)
    const claim = claimMarker(marker)
    expect(claim.owned).toBe(true)
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({ pid: process.pid, started })
    claim.release()
  })

  it('treats a marker of a process that is gone, or an unreadable one, as stale', () => {
    const marker = join(tempDir(), 'app.pid')
    writeFileSync(marker, '999999999')
    expect(markerHolderRunning(marker)).toBe(false)
    writeFileSync(marker, JSON.stringify({ pid: 999999999, started: 'x' }))
    expect(markerHolderRunning(marker)).toBe(false)
    writeFileSync(marker, 'not a marker')
    expect(markerHolderRunning(marker)).toBe(false)
    expect(claimMarker(marker).owned).toBe(true)
  })

  it('release leaves a marker that another start has taken since', () => {
    const marker = join(tempDir(), 'app.pid')
    const claim = claimMarker(marker)
    const other = JSON.stringify({ pid: process.pid, started: 'someone else' })
    writeFileSync(marker, other)
    claim.release()
    expect(readFileSync(marker, 'utf8')).toBe(other)
  })
})

/**
 * Ctrl+C in a terminal signals the whole foreground process group. A harness runs launchDesktop behind the
 * signal relay, as start.mjs does, in a group of its own; the test signals that group as a terminal would.
 * The stand-in Electron counts the SIGINTs it gets, then dies of the signal.
 */
describe.skipIf(process.platform === 'win32')('Ctrl+C while Electron starts', () => {
  it('reaches Electron once, and is not reported as a failed launch', async () => {
    const dir = tempDir()
    const count = join(dir, 'sigints')
    const ready = join(dir, 'ready')
    // In Node rather than sh: sh would fold two SIGINTs arriving together into one trap.
    const binary = join(dir, 'electron')
    writeFileSync(
      binary,
      [
        `#!${process.execPath}`,
        "const fs = require('node:fs')",
        `fs.writeFileSync(${JSON.stringify(ready)}, '')`,
        'let first = true',
        "process.on('SIGINT', () => {",
        `  fs.appendFileSync(${JSON.stringify(count)}, 'INT\\n')`,
        '  if (!first) return',
        '  first = false',
        // Time for a second SIGINT to arrive if one were sent, then die of the signal as Electron does.
        "  setTimeout(() => { process.removeAllListeners('SIGINT'); process.kill(process.pid, 'SIGINT') }, 500)",
        '})',
        'setInterval(() => {}, 1000)'
      ].join('\n')
    )
    chmodSync(binary, 0o755)
    const scripts = resolve(import.meta.dirname, '../../scripts/lib')
    const harness = join(dir, 'harness.mjs')
    writeFileSync(
      harness,
      [
        `import { launchDesktop } from ${JSON.stringify(join(scripts, 'launch-desktop.mjs'))}`,
        `import { createSignalRelay } from ${JSON.stringify(join(scripts, 'signal-relay.mjs'))}`,
        'const signals = createSignalRelay()',
        'process.exitCode = await launchDesktop({',
        `  binary: ${JSON.stringify(binary)}, args: [], cwd: ${JSON.stringify(dir)}, markerPath: ${JSON.stringify(join(dir, 'out', 'app.pid'))},`,
        "  build: async () => 0, serveWeb: async () => (console.log('served the browser version'), 0),",
        '  onChild: (child) => signals.setChild(child), interrupted: () => signals.received',
        '})'
      ].join('\n')
    )
    const child = spawn(process.execPath, [harness], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    const deadline = Date.now() + 15_000
    while (!existsSync(ready) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(existsSync(ready)).toBe(true)
    process.kill(-child.pid!, 'SIGINT') // the terminal's Ctrl+C
    expect(await exited).toBe(130)
    expect(readFileSync(count, 'utf8')).toBe('INT\n')
    expect(output).not.toMatch(/at launch|served the browser version/)
    expect(existsSync(join(dir, 'out', 'app.pid'))).toBe(false)
  }, 20_000)
})

describe('diagnoseLaunch', () => {
  const base = { code: null, signal: null, stderr: '', elapsedMs: 500, binary: '/x/electron', platform: 'linux' }

  it('maps every signal exit to 128 + its number', () => {
    expect(exitCodeOf(null, 'SIGTRAP')).toBe(133)
    expect(exitCodeOf(null, 'SIGSEGV')).toBe(139)
    expect(exitCodeOf(null, 'SIGABRT')).toBe(134)
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137)
    expect(exitCodeOf(3, null)).toBe(3)
  })

  it('says nothing for a normal close, or a crash long after launch', () => {
    expect(diagnoseLaunch({ ...base, code: 0 })).toBeUndefined()
    expect(diagnoseLaunch({ ...base, code: 1, elapsedMs: 600_000 })).toBeUndefined()
    expect(diagnoseLaunch({ ...base, signal: 'SIGSEGV', elapsedMs: 600_000 })).toBeUndefined()
  })

  it("never takes a user's signal for a failed launch", () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(diagnoseLaunch({ ...base, signal })).toBeUndefined()
  })

  it('quotes the paths it prints', () => {
    const result = diagnoseLaunch({ ...base, code: 1, stderr: 'No usable sandbox!', binary: "/home/o'neil/my lab/electron" })
    const text = result.lines.join('\n')
    expect(text).toContain(`sudo chmod 4755 '/home/o'\\''neil/my lab/chrome-sandbox'`)
    expect(text).toContain('profile gradient-lab-electron "/home/o\'neil/my lab/electron" flags=(unconfined)')
  })

  it('explains a signal at launch without sandbox text', () => {
    const result = diagnoseLaunch({ ...base, signal: 'SIGABRT' })
    expect(result.exitCode).toBe(134)
    expect(result.lines).toEqual(['Electron was killed by SIGABRT (exit code 134) at launch.'])
  })

  it('recognises the user-namespace failure too', () => {
    const result = diagnoseLaunch({ ...base, code: 1, stderr: 'FATAL:zygote_host_impl_linux.cc No usable sandbox! ...' })
    expect(result.lines.join('\n')).toContain("chmod 4755 '/x/chrome-sandbox'")
  })
})
