#!/usr/bin/env node
/*
 * `npm run web`: builds the app, then serves the renderer with the engine in a Web Worker, for a browser.
 * Extra arguments are not needed; set PORT to change the port (default 5180).
 */
import { spawnSync, spawn } from 'node:child_process'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' })
if (build.error) {
  console.error(`web: could not run electron-vite build: ${build.error.message}`)
  process.exit(1)
}
if (build.status !== 0) {
  console.error(`web: the build failed (exit code ${build.status}); not starting the server`)
  process.exit(build.status ?? 1)
}

const server = spawn(process.execPath, [resolve(ROOT, 'scripts/serve-web.mjs')], { cwd: ROOT, stdio: 'inherit', env: process.env })
// Pass Ctrl+C / termination on to the server so it closes its port, then exit with its code.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
