import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/*
 * Finds a runnable Electron binary WITHOUT `require('electron')` (which tries to download the binary when it
 * is missing, and throws offline). Same lookup as scripts/start.mjs; keep them in step:
 *   ELECTRON_EXEC_PATH · ELECTRON_OVERRIDE_DIST_PATH/<path.txt or 'electron'> · node_modules/electron/dist/<path.txt>
 */

export type ElectronLookup = { binary: string } | { missing: string }

export function findElectronBinary(root: string): ElectronLookup {
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
  if (!rel) return { missing: 'node_modules/electron/path.txt is absent, the binary was never downloaded' }
  return usable(join(pkgDir, 'dist', rel), 'node_modules/electron')
}

function usable(binary: string, from: string): ElectronLookup {
  try {
    accessSync(binary, constants.X_OK)
    return { binary }
  } catch {
    return { missing: `${binary} (from ${from}) is not an executable file` }
  }
}

/** On Linux Electron needs an X or Wayland display (run the tests under `xvfb-run` on a headless machine). */
export function displayProblem(): string | undefined {
  if (process.platform !== 'linux') return undefined
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined
  return 'no display (DISPLAY and WAYLAND_DISPLAY are unset; run under xvfb-run)'
}
