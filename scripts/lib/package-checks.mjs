// The checks `npm run dist:check` makes of a Linux package, as pure functions of what electron-builder
// produced (so test/scripts/package-checks.test.ts can feed them good and bad inputs). Each returns a list of
// problems, one line each; an empty list is a pass.

/** @electron/fuses' V1 wire: fuse index by electron-builder's option name. */
export const FUSE_INDEX = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
  loadBrowserProcessSpecificV8Snapshot: 6,
  grantFileProtocolExtraPrivileges: 7
}
const ENABLE = 49 // '1'
const DISABLE = 48 // '0'

/*
 * What a release must have, whatever the config says: no running as Node, no NODE_OPTIONS, no inspector,
 * only the app's asar, checked; and file:// keeps its privileges while the page is served from file://
 * (its ES-module scripts load in CORS mode, which plain file:// pages do not get; README, Security).
 */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: true
}

/** The config's fuses against the policy above. */
export function fuseConfigProblems(configured) {
  const problems = []
  for (const [name, wanted] of Object.entries(REQUIRED_FUSES)) {
    if (configured?.[name] !== wanted) problems.push(`electron-builder.yml: electronFuses.${name} must be ${wanted} (is ${configured?.[name]})`)
  }
  return problems
}

/** The packed binary's fuse wire (byte per fuse, as @electron/fuses reads it) against the config. */
export function fuseWireProblems(wire, configured) {
  const problems = []
  for (const [name, wanted] of Object.entries(configured ?? {})) {
    const index = FUSE_INDEX[name]
    if (index === undefined) {
      problems.push(`electronFuses.${name} is not a fuse this check knows`)
      continue
    }
    const state = wire[index]
    if (state !== (wanted ? ENABLE : DISABLE)) {
      const seen = state === ENABLE ? 'on' : state === DISABLE ? 'off' : `state ${state}`
      problems.push(`the packed binary has fuse ${name} ${seen}, configured ${wanted ? 'on' : 'off'}`)
    }
  }
  return problems
}

/** Linux targets: the deb, and no AppImage (it runs with --no-sandbox where user namespaces are blocked). */
export function linuxTargetProblems(linux) {
  const targets = [linux?.target ?? []].flat().map((t) => (typeof t === 'string' ? t : t?.target))
  const problems = []
  if (!targets.includes('deb')) problems.push(`linux.target must include deb (is [${targets.join(', ')}])`)
  if (targets.some((t) => String(t).toLowerCase() === 'appimage'))
    problems.push('linux.target must not include AppImage: it turns the sandbox off (README, Desktop builds)')
  return problems
}

/** fpm's arguments as a map (flag → values) and the file mappings (`source=destination`). */
export function parseFpmArgs(args) {
  const flags = new Map()
  const files = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg.startsWith('-')) {
      flags.set(arg, [...(flags.get(arg) ?? []), args[i + 1]])
      i++
    } else files.push(arg)
  }
  return { flag: (name) => flags.get(name)?.[0], files }
}

/**
 * The deb's control fields (Package, Version, Architecture, Maintainer, Homepage, License, Section, Priority,
 * Description) and what it installs, from the arguments electron-builder passes to fpm.
 */
export function debProblems(fpmArgs, { packageName, productName, executableName, desktopName }) {
  const { flag, files } = parseFpmArgs(fpmArgs)
  const problems = []
  const expect = (ok, message) => ok || problems.push(`deb: ${message}`)
  expect(flag('--name') === packageName, `Package is ${flag('--name')}, expected ${packageName}`)
  expect(/^[a-z0-9][a-z0-9.+-]+$/.test(flag('--name') ?? ''), `Package ${flag('--name')} is not a valid Debian package name`)
  expect(/^\d+\.\d+\.\d+/.test(flag('--version') ?? ''), `Version ${flag('--version')} is not a version`)
  expect(flag('--architecture') === 'amd64', `Architecture is ${flag('--architecture')}, expected amd64`)
  expect(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+>$/.test(flag('--maintainer') ?? ''), `Maintainer "${flag('--maintainer')}" is not "Name <email>"`)
  expect(/^https:\/\/\S+$/.test(flag('--url') ?? ''), `Homepage "${flag('--url')}" is not an https URL`)
  expect(!!flag('--license'), 'no License')
  expect(flag('--category') === 'education', `Section is ${flag('--category')}, expected education`)
  expect(flag('--deb-priority') === 'optional', `Priority is ${flag('--deb-priority')}, expected optional`)
  const description = flag('--description') ?? ''
  expect(/^\S.*\n \S/.test(description), 'Description needs a synopsis line and a long description')
  expect(
    files.some((f) => f.endsWith(`=/opt/${productName}`)),
    `the app is not installed to /opt/${productName}`
  )
  expect(
    files.some((f) => f.endsWith(`=/usr/share/applications/${desktopName}`)),
    `no desktop entry at /usr/share/applications/${desktopName}`
  )
  expect(
    files.some((f) => new RegExp(`=/usr/share/icons/hicolor/\\d+x\\d+/apps/${executableName}\\.png$`).test(f)),
    'no icons in /usr/share/icons/hicolor'
  )
  return problems
}

/** Key=value pairs of a desktop entry's [Desktop Entry] group. */
export function parseDesktopEntry(text) {
  const entry = new Map()
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)=(.*)$/.exec(line)
    if (m) entry.set(m[1], m[2])
  }
  return entry
}

export function desktopEntryProblems(text, { productName, executableName, desktopName }) {
  const entry = parseDesktopEntry(text)
  const problems = []
  const expect = (ok, message) => ok || problems.push(`desktop entry: ${message}`)
  expect(text.startsWith('[Desktop Entry]\n'), 'does not start with [Desktop Entry]')
  expect(entry.get('Type') === 'Application', `Type is ${entry.get('Type')}`)
  expect(entry.get('Name') === productName, `Name is ${entry.get('Name')}, expected ${productName}`)
  const exec = entry.get('Exec') ?? ''
  expect(exec === `"/opt/${productName}/${executableName}" %U`, `Exec is ${exec}, expected "/opt/${productName}/${executableName}" %U`)
  expect(!exec.includes('--no-sandbox'), 'Exec turns the sandbox off (--no-sandbox)')
  expect(entry.get('Icon') === executableName, `Icon is ${entry.get('Icon')}, expected ${executableName}`)
  expect(
    entry.get('StartupWMClass') === desktopName.replace(/\.desktop$/, ''),
    `StartupWMClass is ${entry.get('StartupWMClass')}: the window would not match its entry`
  )
  expect((entry.get('Categories') ?? '').split(';').includes('Education'), `Categories is ${entry.get('Categories')}, expected Education`)
  expect(!!entry.get('Comment'), 'no Comment')
  return problems
}

/**
 * The AppArmor profile the deb installs on Ubuntu 23.10 and later (where unprivileged user namespaces are
 * restricted): it must let the app's own binary make them, so Chromium's sandbox works.
 */
export function appArmorProblems(profile, afterInstall, { productName, executableName }) {
  const problems = []
  const binary = `/opt/${productName}/${executableName}`
  if (!profile.includes(`"${binary}"`)) problems.push(`AppArmor profile: does not name ${binary}`)
  if (!/^\s*userns,\s*$/m.test(profile)) problems.push('AppArmor profile: does not allow user namespaces (userns,)')
  if (!afterInstall.includes('apparmor_parser') || !afterInstall.includes(`/etc/apparmor.d/${executableName}`)) {
    problems.push('deb after-install: does not install the AppArmor profile')
  }
  return problems
}
