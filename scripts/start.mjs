#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary can run, else the browser version.
// Finding the binary never does `require('electron')`, which downloads it (lib/electron-binary.mjs).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary, displayProblem } from './lib/electron-binary.mjs'
import { exitCodeOf } from './lib/launch-failure.mjs'
import { launchDesktop } from './lib/launch-desktop.mjs'
import { createSignalRelay } from './lib/signal-relay.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

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
  const found = findElectronBinary(root)
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
