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

/**
 * @param {{ code: number | null, signal: string | null, stderr: string, elapsedMs: number, binary: string, platform?: string }} exit
 * @returns {{ exitCode: number, lines: string[] } | undefined} undefined when Electron ran and closed normally
 */
export function diagnoseLaunch({ code, signal, stderr, elapsedMs, binary, platform = process.platform }) {
  const exitCode = exitCodeOf(code, signal)
  const fatalLine = stderr.split(/\r?\n/).find((line) => /FATAL/.test(line))
  const sandbox = SANDBOX_PATTERNS.some((pattern) => pattern.test(stderr))
  const early = elapsedMs < LAUNCH_WINDOW_MS
  if (exitCode === 0 && !sandbox) return undefined
  if (!sandbox && !fatalLine && !(early && signal)) return undefined

  const how = signal ? `was killed by ${signal} (exit code ${exitCode})` : `exited with code ${exitCode}`
  if (sandbox && platform === 'linux') {
    const helper = binary.replace(/[^/\\]+$/, 'chrome-sandbox')
    return {
      exitCode,
      lines: [
        `Electron ${how} at launch: it could not start its sandbox. This happens on Ubuntu 23.10 and later, where AppArmor blocks unprivileged user namespaces.`,
        `Fix: sudo chown root:root ${helper} && sudo chmod 4755 ${helper}` +
          ' (or allow user namespaces: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for Electron).'
      ]
    }
  }
  return {
    exitCode,
    lines: [`Electron ${how} at launch${fatalLine ? `: ${fatalLine.trim().slice(0, 300)}` : ''}.`]
  }
}
