// Why an Electron launch failed, and what to do about it: pure functions, so start.mjs stays small and the
// diagnosis is testable with a stand-in binary (test/scripts/start.test.ts).
import { constants } from 'node:os'

/** A launch that ends this soon, by a signal or an error code, failed to start rather than closed normally. */
export const LAUNCH_WINDOW_MS = 15_000

/** The exit code a shell would give: the code itself, or 128 + the signal's number (SIGTRAP → 133). */
export function exitCodeOf(code, signal) {
  if (code !== null && code !== undefined) return code
  if (!signal) return 1
  const number = constants.signals[signal]
  return typeof number === 'number' ? 128 + number : 1
}

const SANDBOX_PATTERNS = [/SUID sandbox helper binary/i, /chrome-sandbox/i, /No usable sandbox/i, /Failed to move to new namespace/i]

/** Signals a person (Ctrl+C, kill, a closing terminal) sends: Electron ending on one did not fail to start. */
const USER_SIGNALS = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'])

/** A path as one shell word, whatever it holds (spaces, quotes, `$`). */
export function shellQuote(path) {
  return `'${path.replace(/'/g, `'\\''`)}'`
}

/** AppArmor names a path with spaces or quotes in double quotes, with `"` and `\` escaped. */
function appArmorPath(path) {
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

export const APPARMOR_PROFILE_PATH = '/etc/apparmor.d/gradient-lab-electron'

/**
 * The fixes for a sandbox that cannot start, narrowest first: an AppArmor profile that lets this Electron
 * (only) use user namespaces, the way Ubuntu ships one for each browser; the SUID helper; last, the sysctl
 * that lifts the restriction for every program.
 */
export function sandboxFixLines(binary) {
  const helper = binary.replace(/[^/\\]+$/, 'chrome-sandbox')
  const profile = [
    'abi <abi/4.0>,',
    'include <tunables/global>',
    `profile gradient-lab-electron ${appArmorPath(binary)} flags=(unconfined) {`,
    '  userns,',
    '}'
  ]
  return [
    'Fix, one of (the first is the narrowest):',
    `  1. An AppArmor profile for this Electron: save these lines as ${APPARMOR_PROFILE_PATH}`,
    ...profile.map((line) => `       ${line}`),
    `     then run: sudo apparmor_parser -r ${APPARMOR_PROFILE_PATH}`,
    `  2. Or its SUID sandbox helper: sudo chown root:root ${shellQuote(helper)} && sudo chmod 4755 ${shellQuote(helper)}`,
    '  3. Or allow user namespaces for every program: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'
  ]
}

/**
 * @param {{ code: number | null, signal: string | null, stderr: string, elapsedMs: number, binary: string, platform?: string }} exit
 * @returns {{ exitCode: number, lines: string[] } | undefined} undefined when Electron ran and closed normally
 */
export function diagnoseLaunch({ code, signal, stderr, elapsedMs, binary, platform = process.platform }) {
  const exitCode = exitCodeOf(code, signal)
  const fatalLine = stderr.split(/\r?\n/).find((line) => /FATAL/.test(line))
  const sandbox = SANDBOX_PATTERNS.some((pattern) => pattern.test(stderr))
  const early = elapsedMs < LAUNCH_WINDOW_MS
  if (signal && USER_SIGNALS.has(signal)) return undefined
  if (exitCode === 0 && !sandbox) return undefined
  if (!sandbox && !fatalLine && !(early && signal)) return undefined

  const how = signal ? `was killed by ${signal} (exit code ${exitCode})` : `exited with code ${exitCode}`
  if (sandbox && platform === 'linux') {
    return {
      exitCode,
      lines: [
        `Electron ${how} at launch: it could not start its sandbox. This happens on Ubuntu 23.10 and later, where AppArmor blocks unprivileged user namespaces.`,
        ...sandboxFixLines(binary)
      ]
    }
  }
  return {
    exitCode,
    lines: [`Electron ${how} at launch${fatalLine ? `: ${fatalLine.trim().slice(0, 300)}` : ''}.`]
  }
}
