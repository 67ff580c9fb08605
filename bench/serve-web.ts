import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

/** Starts the browser host (scripts/serve-web.mjs, serving out/renderer) on a free port and resolves with its URL. */
export function serveWebHost(): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/serve-web.mjs')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
    const timer = setTimeout(() => reject(new Error('the web server did not start within 15 s')), 15_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => {
      const match = text.match(/http:\/\/127\.0\.0\.1:\d+\//)
      if (match) {
        clearTimeout(timer)
        resolvePromise({ url: match[0], stop: () => child.kill('SIGTERM') })
      }
    })
    child.on('exit', (code) => reject(new Error(`the web server exited (${code})`)))
  })
}

/** The Chromium to drive, after checking the app is built: each missing piece ends the benchmark with one line. */
export function builtAppAndChromium(): string {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    console.error('out/renderer is missing: run `npm run build` first.')
    process.exit(2)
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}: install Debian's chromium or set CHROMIUM_PATH.`)
    process.exit(2)
  }
  return executablePath
}

/** Chromium's switches for a measurement: no sandbox (containers), and no GPU, network or background work of its own. */
export const BENCH_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
