// Finds a runnable Electron binary for `npm start` and the Electron e2e spec, WITHOUT `require('electron')`:
// node_modules/electron/index.js tries to download the binary when it is missing (and throws offline).
// This mirrors its lookup without the download:
//   ELECTRON_EXEC_PATH                      (also honoured by electron-vite)
//   ELECTRON_OVERRIDE_DIST_PATH/<path.txt or 'electron'>
//   node_modules/electron/dist/<path.txt>
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * @param {string} root the project folder (where node_modules is)
 * @returns {{ binary: string } | { missing: string }}
 */
export function findElectronBinary(root) {
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

/**
 * On Linux Electron needs an X or Wayland display to open a window.
 * @returns {string | undefined} why it cannot open one here
 */
export function displayProblem() {
  if (process.platform !== 'linux') return undefined
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined
  return 'no display (DISPLAY and WAYLAND_DISPLAY are unset)'
}
