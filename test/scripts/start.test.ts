/**
 * `npm start` when Electron cannot start: a stand-in binary that fails the way Electron does on Ubuntu
 * 23.10+ (the FATAL SUID-sandbox line, then SIGTRAP) must lead to the fix being printed and the browser
 * version being served. The build and the web server are stubbed; the binary really runs.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs script without types
import { launchDesktop, appAlreadyRunning } from '../../scripts/lib/launch-desktop.mjs'
// @ts-expect-error plain .mjs script without types
import { diagnoseLaunch, exitCodeOf } from '../../scripts/lib/launch-failure.mjs'

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
  '[1234:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I\'m aborting now. You need to make sure that /opt/app/chrome-sandbox is owned by root and has mode 4755.'

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
    expect(text).toContain(`sudo chown root:root ${join(dir, 'chrome-sandbox')} && sudo chmod 4755 ${join(dir, 'chrome-sandbox')}`)
    expect(text).toMatch(/apparmor_restrict_unprivileged_userns/)
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
    writeFileSync(marker, String(process.pid)) // this process stands for the running app
    expect(appAlreadyRunning(marker)).toBe(true)
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
    expect(readFileSync(marker, 'utf8')).toBe(String(process.pid)) // the running app's marker stays
  })

  it('treats a stale marker (no such process) as not running', () => {
    const dir = tempDir()
    const marker = join(dir, 'out.pid')
    writeFileSync(marker, '999999999')
    expect(appAlreadyRunning(marker)).toBe(false)
  })
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

  it('explains a signal at launch without sandbox text', () => {
    const result = diagnoseLaunch({ ...base, signal: 'SIGABRT' })
    expect(result.exitCode).toBe(134)
    expect(result.lines).toEqual(['Electron was killed by SIGABRT (exit code 134) at launch.'])
  })

  it('recognises the user-namespace failure too', () => {
    const result = diagnoseLaunch({ ...base, code: 1, stderr: 'FATAL:zygote_host_impl_linux.cc No usable sandbox! ...' })
    expect(result.lines[1]).toMatch(/chmod 4755 \/x\/chrome-sandbox/)
  })
})
