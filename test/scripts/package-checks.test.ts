/**
 * The checks `npm run dist:check` makes of the Linux package, on what electron-builder 26 produced here for
 * our config (the fpm arguments, the desktop entry, the AppArmor profile, as captured by
 * scripts/lib/package-offline.mjs), and on each way it could go wrong.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appArmorProblems,
  debProblems,
  desktopEntryProblems,
  fuseConfigProblems,
  fuseWireProblems,
  linuxTargetProblems,
  REQUIRED_FUSES
  // @ts-expect-error plain .mjs script without types
} from '../../scripts/lib/package-checks.mjs'

const names = { packageName: 'gradient-lab', productName: 'Gradient Lab', executableName: 'gradient-lab', desktopName: 'gradient-lab.desktop' }

const fpmArgs = [
  '--architecture',
  'amd64',
  '--after-install',
  '/tmp/t/0-after-install',
  '--after-remove',
  '/tmp/t/1-after-remove',
  '--description',
  'Train networks on MNIST and see why they work or fail\n An offline desktop lab for learning deep learning on MNIST.',
  '--version',
  '0.1.0',
  '--package',
  '/tmp/out/gradient-lab_0.1.0_amd64.deb',
  '--name',
  'gradient-lab',
  '--maintainer',
  'Gradient Lab authors <gradient-lab@users.noreply.github.com>',
  '--vendor',
  'Gradient Lab authors <gradient-lab@users.noreply.github.com>',
  '--url',
  'https://github.com/gradientlab/gradient-lab',
  '--category',
  'education',
  '--deb-priority',
  'optional',
  '--license',
  'MIT',
  '/tmp/out/linux-unpacked/=/opt/Gradient Lab',
  '/work/main/build/icons/256x256.png=/usr/share/icons/hicolor/256x256/apps/gradient-lab.png',
  '/tmp/t/4-gradient-lab.desktop=/usr/share/applications/gradient-lab.desktop'
]

const desktop = `[Desktop Entry]
Name=Gradient Lab
Exec="/opt/Gradient Lab/gradient-lab" %U
Terminal=false
Type=Application
Icon=gradient-lab
StartupWMClass=gradient-lab
Comment=An offline desktop lab for learning deep learning on MNIST.
Categories=Education;
`

const profile = `abi <abi/4.0>,
include <tunables/global>

profile "gradient-lab" "/opt/Gradient Lab/gradient-lab" flags=(unconfined) {
  userns,
}`
// electron-builder's own maintainer script, with our names filled in.
const afterInstall = readFileSync(join(import.meta.dirname, '../../node_modules/app-builder-lib/templates/linux/after-install.tpl'), 'utf8').replaceAll(
  '${executable}',
  'gradient-lab'
)

const replace = (args: string[], flag: string, value: string) => args.map((a, i) => (args[i - 1] === flag ? value : a))

describe('dist:check: the deb', () => {
  it('passes what electron-builder makes of our config', () => {
    expect(debProblems(fpmArgs, names)).toEqual([])
    expect(desktopEntryProblems(desktop, names)).toEqual([])
    expect(appArmorProblems(profile, afterInstall, names)).toEqual([])
  })

  it('names each wrong control field', () => {
    expect(debProblems(replace(fpmArgs, '--url', 'http://example.com'), names)).toEqual(['deb: Homepage "http://example.com" is not an https URL'])
    expect(debProblems(replace(fpmArgs, '--maintainer', 'nobody'), names)).toEqual(['deb: Maintainer "nobody" is not "Name <email>"'])
    expect(debProblems(replace(fpmArgs, '--name', 'Gradient_Lab'), names)).toHaveLength(2)
    expect(debProblems(replace(fpmArgs, '--description', 'one line only'), names)).toEqual(['deb: Description needs a synopsis line and a long description'])
    expect(
      debProblems(
        fpmArgs.filter((a) => !a.includes('/usr/share/applications/')),
        names
      )
    ).toEqual(['deb: no desktop entry at /usr/share/applications/gradient-lab.desktop'])
  })

  it('refuses a desktop entry that turns the sandbox off or does not match the window', () => {
    const noSandbox = desktop.replace('%U', '--no-sandbox %U')
    expect(desktopEntryProblems(noSandbox, names).some((p: string) => p.includes('--no-sandbox'))).toBe(true)
    expect(desktopEntryProblems(desktop.replace('StartupWMClass=gradient-lab', 'StartupWMClass=Gradient Lab'), names)).toEqual([
      'desktop entry: StartupWMClass is Gradient Lab: the window would not match its entry'
    ])
  })

  it('needs the AppArmor profile that lets the app make user namespaces, and its installation', () => {
    expect(appArmorProblems(profile.replace('userns,', ''), afterInstall, names)).toEqual(['AppArmor profile: does not allow user namespaces (userns,)'])
    expect(appArmorProblems('', afterInstall, names)).toHaveLength(2)
    expect(appArmorProblems(profile, '#!/bin/bash\n', names)).toEqual(['deb after-install: does not install the AppArmor profile'])
  })
})

describe('dist:check: targets and fuses', () => {
  it('wants the deb and no AppImage', () => {
    expect(linuxTargetProblems({ target: ['deb'] })).toEqual([])
    expect(linuxTargetProblems({ target: ['AppImage', 'deb'] })).toHaveLength(1)
    expect(linuxTargetProblems({ target: [{ target: 'appimage' }] })).toHaveLength(2)
  })

  it('holds the config to the release policy', () => {
    expect(fuseConfigProblems(REQUIRED_FUSES)).toEqual([])
    expect(fuseConfigProblems({ ...REQUIRED_FUSES, runAsNode: true })).toEqual(['electron-builder.yml: electronFuses.runAsNode must be false (is true)'])
    expect(fuseConfigProblems({})).toHaveLength(Object.keys(REQUIRED_FUSES).length)
  })

  it('compares the packed binary’s fuse wire with the config', () => {
    const on = 49
    const off = 48
    // RunAsNode, cookies, NODE_OPTIONS, inspect, asar integrity, only asar, V8 snapshot, file://
    const flipped = [off, on, off, off, on, on, off, on]
    const configured = { ...REQUIRED_FUSES, enableCookieEncryption: true }
    expect(fuseWireProblems(flipped, configured)).toEqual([])
    // Electron's defaults: nothing was flipped.
    const untouched = [on, off, on, on, off, off, off, on]
    expect(fuseWireProblems(untouched, configured)).toEqual([
      'the packed binary has fuse runAsNode on, configured off',
      'the packed binary has fuse enableNodeOptionsEnvironmentVariable on, configured off',
      'the packed binary has fuse enableNodeCliInspectArguments on, configured off',
      'the packed binary has fuse enableEmbeddedAsarIntegrityValidation off, configured on',
      'the packed binary has fuse onlyLoadAppFromAsar off, configured on',
      'the packed binary has fuse enableCookieEncryption off, configured on'
    ])
  })
})
