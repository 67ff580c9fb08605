#!/usr/bin/env node
// Child of `npm run dist:check`: runs electron-builder for real on our electron-builder.yml, for the Linux
// targets `dir` and `deb`, offline. Electron's release is replaced by a stand-in folder (argv[3]) whose
// "binary" carries a fuse wire, so electron-builder flips the fuses as it would in the real binary; the deb
// stops where electron-builder hands its arguments and desktop entry to fpm (which it would download), and
// those are written to <output>/fpm.json for the checks.
// Usage: node scripts/lib/package-offline.mjs <output dir> <stand-in Electron dist>
import { copyFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import builder from 'electron-builder'

const [output, standInDist] = process.argv.slice(2).map((p) => resolve(p))
const root = resolve(import.meta.dirname, '..', '..')
let fpm = null

await builder.build({
  projectDir: root,
  targets: builder.Platform.LINUX.createTarget(['dir', 'deb'], builder.Arch.x64),
  publish: 'never',
  // Merged over electron-builder.yml, as `-c.key=value` would be.
  config: { electronDist: standInDist, directories: { output } },
  // electron-builder's hook for its own tests: called with fpm's arguments and the desktop file just before
  // fpm runs; returning true skips fpm (and its download).
  effectiveOptionComputed: async (options) => {
    if (!Array.isArray(options) || !Array.isArray(options[0]) || typeof options[1] !== 'string') return false
    const [args, desktopFile] = options
    copyFileSync(desktopFile, join(output, 'deb.desktop'))
    // The maintainer script is a temporary file electron-builder removes afterwards: keep a copy.
    const afterInstall = args[args.indexOf('--after-install') + 1]
    copyFileSync(afterInstall, join(output, 'deb.after-install'))
    fpm = { args }
    return true
  }
})

if (!fpm) throw new Error('electron-builder did not reach the deb packaging step')
writeFileSync(join(output, 'fpm.json'), JSON.stringify(fpm, null, 2))
