#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary can run, else the browser version.
//
// Finding the binary never does `require('electron')`: node_modules/electron/index.js tries to download
// the binary when it is missing (and throws offline). Instead this mirrors its lookup without the download:
//   ELECTRON_EXEC_PATH                      (also honoured by electron-vite)
//   ELECTRON_OVERRIDE_DIST_PATH/<path.txt or 'electron'>
//   node_modules/electron/dist/<path.txt>
// e2e/electron/electron-binary.ts does the same for the Electron e2e spec; keep them in step.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exitCodeOf } from './lib/launch-failure.mjs'
import { launchDesktop } from './lib/launch-desktop.mjs'
import { createSignalRelay } from './lib/signal-relay.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** @returns {{ binary: string } | { missing: string }} */
function findElectronBinary() {
  const exec = process.env.ELECTRON_EXEC_PATH
  if (exec) return usable(exec, 'ELECTRON_EXEC_PATH')
  const pkgDir = join(root, 'node_modules', 'electron')
  if (!existsSync(join(pkgDir, 'package.json'))) return { missing: 'the electron package is not installed' }
  let rel = ''
  try {
    rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim()
  } catch {
    // no path.txt: the binary was never downloaded
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) return usable(join(override, rel || 'electron'), 'ELECTRON_OVERRIDE_DIST_PATH')
  if (!rel) return { missing: 'node_modules/electron/path.txt is absent (the binary was never downloaded)' }
  return usable(join(pkgDir, 'dist', rel), 'node_modules/electron')
}

function usable(binary, from) {
  try {
    accessSync(binary, constants.X_OK)
    return { binary }
  } catch {
    return { missing: `${binary} (from ${from}) is not an executable file` }
  }
}

/** On Linux Electron needs an X or Wayland display to open a window. */
function displayProblem() {
  if (process.platform !== 'linux') return undefined
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined
  return 'no display (DISPLAY and WAYLAND_DISPLAY are unset)'
}

// ---- running children, forwarding signals and exit codes ---------------------------------------

// Each Ctrl+C or termination goes to the child running now, once (see signal-relay.mjs).
const signals = createSignalRelay()

/** Runs a command with inherited stdio; resolves to its exit code (128+n when killed by signal n). */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options })
    signals.setChild(child)
    child.on('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      signals.setChild(undefined)
      resolve(exitCodeOf(code, signal))
    })
  })
}

/** An npm package's bin script, run with this Node (no shell, works on every platform). */
function packageBin(pkg, name = pkg) {
  const pkgDir = join(root, 'node_modules', pkg)
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]
  return join(pkgDir, bin)
}

async function main() {
  const args = process.argv.slice(2)
  const found = findElectronBinary()
  const noDisplay = 'binary' in found ? displayProblem() : undefined

  const serveWeb = () => run(process.execPath, [join(root, 'scripts', 'web.mjs'), ...args])
  if ('binary' in found && !noDisplay) {
    return launchDesktop({
      binary: found.binary,
      args,
      cwd: root,
      markerPath: join(root, 'out', '.electron-running.pid'),
      build: () => run(process.execPath, [packageBin('electron-vite'), 'build']),
      serveWeb,
      onChild: (child) => signals.setChild(child),
      interrupted: () => signals.received
    })
  }

  const why = 'missing' in found ? "Electron's binary is not installed here (offline install)" : `Electron cannot open a window here: ${noDisplay}`
  console.log(`${why}; serving the browser version of Gradient Lab instead.`)
  return serveWeb()
}

process.exitCode = await main()
