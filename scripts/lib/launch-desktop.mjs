// The desktop half of `npm start`: build, run Electron, and when Electron dies at launch, explain why and
// fall back to the browser version. The steps that build or serve are passed in, so tests drive this with
// a stand-in binary and no build (test/scripts/start.test.ts).
import { spawn } from 'node:child_process'
import { diagnoseLaunch, exitCodeOf } from './launch-failure.mjs'
import { claimMarker } from './run-marker.mjs'

/**
 * Runs Electron with its stderr passed through and kept (the first 64 KiB), so a launch that dies at once
 * (a signal, a FATAL sandbox line) can be explained instead of ending in a bare exit code.
 */
export function runElectron(binary, args, { cwd, onChild = () => {}, stderrSink = process.stderr } = {}) {
  return new Promise((resolve) => {
    const started = Date.now()
    let stderr = ''
    const child = spawn(binary, args, {
      cwd,
      // Its own process group (POSIX): the terminal's Ctrl+C reaches `npm start` only, which passes it on
      // once (signal-relay.mjs). Electron reads nothing from the terminal.
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: process.env.ELECTRON_ENABLE_LOGGING ?? '1' }
    })
    onChild(child)
    child.stderr.on('data', (chunk) => {
      stderrSink.write(chunk)
      if (stderr.length < 65536) stderr += chunk.toString('utf8')
    })
    child.on('error', (error) => {
      onChild(undefined)
      resolve({ exitCode: 1, failure: { exitCode: 1, lines: [`Could not run Electron (${binary}): ${error.message}.`] } })
    })
    child.on('close', (code, signal) => {
      onChild(undefined)
      const failure = diagnoseLaunch({ code, signal, stderr, elapsedMs: Date.now() - started, binary })
      resolve({ exitCode: exitCodeOf(code, signal), failure })
    })
  })
}

/**
 * A running app marks its build folder as in use (run-marker.mjs), so a second `npm start` does not rebuild
 * the files under it (the second instance only hands over to the first and quits, by Electron's
 * single-instance lock).
 *
 * @param {{ binary: string, args: string[], cwd: string, markerPath: string,
 *           build: () => Promise<number>, serveWeb: () => Promise<number>,
 *           log?: (line: string) => void, onChild?: (child: unknown) => void,
 *           interrupted?: () => string | null }} options
 *   `interrupted` names the signal the user sent (Ctrl+C), if any: Electron closing on it is no failed launch.
 * @returns {Promise<number>} the exit code for `npm start`
 */
export async function launchDesktop({ binary, args, cwd, markerPath, build, serveWeb, log = console.log, onChild, interrupted = () => null }) {
  const marker = claimMarker(markerPath)
  // Removed however this process ends: a normal return, or process.exit from a signal handler.
  const release = marker.owned ? marker.release : () => {}
  process.once('exit', release)
  try {
    if (!marker.owned) {
      log('Gradient Lab is already running from this folder; not rebuilding it (the running app gets focus).')
    } else {
      const built = await build()
      if (built !== 0) return built
    }
    // `.` = this package: package.json "main" is out/main/index.js.
    const { exitCode, failure } = await runElectron(binary, ['.', ...args], { cwd, onChild })
    release()
    if (!failure || interrupted()) return exitCode
    for (const line of failure.lines) log(line)
    log('Serving the browser version of Gradient Lab instead.')
    return serveWeb()
  } finally {
    release()
    process.off('exit', release)
  }
}
