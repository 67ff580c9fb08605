// Ctrl+C and termination for `npm start`. Electron runs in its own process group (launch-desktop.mjs), so
// the terminal's Ctrl+C reaches only this process, which passes it on once; without that Electron would get
// it twice, from the terminal and from here. The signal is remembered, so the launcher never takes Electron
// closing on the user's signal for a failed launch.
import { exitCodeOf } from './launch-failure.mjs'

export const RELAYED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * @param {{ on?: (signal: string, handler: () => void) => void, exit?: (code: number) => void }} [host]
 * @returns {{ setChild: (child: import('node:child_process').ChildProcess | undefined) => void, readonly received: string | null }}
 */
export function createSignalRelay({ on = (signal, handler) => process.on(signal, handler), exit = (code) => process.exit(code) } = {}) {
  let child
  let received = null
  for (const signal of RELAYED_SIGNALS) {
    on(signal, () => {
      received = signal
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal)
      else exit(exitCodeOf(null, signal))
    })
  }
  return {
    setChild(next) {
      child = next
    },
    get received() {
      return received
    }
  }
}
