#!/usr/bin/env node
// `npm run dist:check`: what can be verified of the desktop package on a machine that cannot download
// Electron or electron-builder's tools. It runs electron-builder for real on our electron-builder.yml for the
// Linux targets `dir` and `deb` (scripts/lib/package-offline.mjs), with a stand-in Electron folder to copy:
// its "binary" is a few bytes holding Electron's fuse wire, so the fuses are flipped as in a real build. Then
// it checks:
// - the asar holds every file the app loads and nothing it should not (no node_modules, no sources, no
//   source maps), every module the built main/preload/engine code requires is inside it or built into
//   Electron/Node, and the bundled MNIST sits outside it where the engine looks;
// - the fuses: the config against the release policy, and the packed binary against the config;
// - the deb: its control fields, what it installs, its desktop entry and its AppArmor profile, as
//   electron-builder hands them to fpm. The .deb file itself is not made here (fpm is downloaded);
// - the Linux targets: the deb, and no AppImage.
// Needs `npm run build` first. Prints one line per problem and exits 1 if there is any.
import { spawnSync } from 'node:child_process'
import { builtinModules, createRequire } from 'node:module'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, resolve } from 'node:path'
import asar from '@electron/asar'
// Both come with electron-builder (app-builder-lib reads its YAML config and flips fuses with them).
import fuses from '@electron/fuses'
import yaml from 'js-yaml'
import { appArmorProblems, debProblems, desktopEntryProblems, fuseConfigProblems, fuseWireProblems, linuxTargetProblems } from './lib/package-checks.mjs'

const root = resolve(import.meta.dirname, '..')
const { SENTINEL } = createRequire(import.meta.url)('@electron/fuses/dist/constants.js')
const problems = []
const fail = (message) => problems.push(message)

if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  console.log('dist:check: out/ is not built; run npm run build first.')
  process.exit(1)
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const names = {
  packageName: config.deb?.packageName ?? pkg.name,
  productName: pkg.productName,
  executableName: config.linux?.executableName ?? pkg.name,
  desktopName: pkg.desktopName
}
for (const field of ['productName', 'desktopName', 'homepage', 'license', 'description']) if (!pkg[field]) fail(`package.json has no ${field}`)
if (!pkg.author?.email) fail('package.json has no author with an email')
for (const p of [...fuseConfigProblems(config.electronFuses), ...linuxTargetProblems(config.linux)]) fail(p)

/** Electron's own fuse states before any flip (Electron 45: RunAsNode, NODE_OPTIONS, inspect and file:// on). */
const ELECTRON_DEFAULT_WIRE = '10110001'

const work = mkdtempSync(join(tmpdir(), 'lab-package-'))
try {
  const standInDist = join(work, 'electron-dist')
  const output = join(work, 'dist')
  mkdirSync(standInDist)
  mkdirSync(output)
  // Copied as the app's executable and its fuses flipped; never run.
  const standIn = Buffer.concat([
    Buffer.from('stand-in for the Electron binary\n'),
    Buffer.from(SENTINEL),
    Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE)
  ])
  writeFileSync(join(standInDist, 'electron'), standIn)
  chmodSync(join(standInDist, 'electron'), 0o755)

  const builder = spawnSync(process.execPath, [join(root, 'scripts', 'lib', 'package-offline.mjs'), output, standInDist], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }
  })
  if (builder.status !== 0) {
    console.log(builder.stdout + builder.stderr)
    console.log(`dist:check: electron-builder failed (exit code ${builder.status})`)
    process.exit(1)
  }

  const appDir = join(output, 'linux-unpacked')
  const resources = join(appDir, 'resources')
  const archive = join(resources, 'app.asar')
  const files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/').replace(/^\//, '')))

  for (const required of ['package.json', 'out/main/index.js', 'out/main/engineHost.js', 'out/preload/index.js', 'out/renderer/index.html']) {
    if (!files.has(required)) fail(`the asar lacks ${required}`)
  }
  for (const file of files) {
    if (file.startsWith('node_modules/')) fail(`the asar holds ${file}: no node_modules should be packed`)
    if (file.startsWith('src/') || file.startsWith('test/') || file.startsWith('resources/')) fail(`the asar holds ${file}: not a run-time file`)
    if (file.endsWith('.map')) fail(`the asar holds a source map: ${file}`)
  }

  // Every require() of the Node-side bundles must resolve inside the asar or be Electron / a Node built-in.
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron'])
  for (const file of [...files].filter((f) => /^out\/(main|preload)\/.*\.js$/.test(f))) {
    // Comments quote require() calls of their own (protobufjs's docs do): only code counts.
    const code = asar
      .extractFile(archive, file)
      .toString('utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    for (const [, request] of code.matchAll(/require\(["']([^"']+)["']\)/g)) {
      if (builtins.has(request)) continue
      if (request.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file), request))
        if (!files.has(target) && !files.has(`${target}.js`)) fail(`${file} requires ${request}, which is not in the asar`)
      } else fail(`${file} requires the package "${request}", which is not in the package (bundle it in electron.vite.config.ts)`)
    }
  }

  // The bundled MNIST: <resources>/mnist, outside the asar.
  const mnist = join(resources, 'mnist')
  const expected = ['README.md', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']
  const present = existsSync(mnist) ? readdirSync(mnist).sort() : []
  if (present.join() !== expected.join()) fail(`<resources>/mnist holds [${present.join(', ')}], expected [${expected.join(', ')}]`)
  if ([...files].some((f) => f.includes('mnist'))) fail('MNIST files are inside the asar')
  // WebP's decoder for imports, outside the asar too, byte for byte the package's own.
  const webp = join(resources, 'webp_dec.wasm')
  const webpSource = join(root, 'node_modules/@jsquash/webp/codec/dec/webp_dec.wasm')
  if (!existsSync(webp) || !readFileSync(webp).equals(readFileSync(webpSource)))
    fail("<resources>/webp_dec.wasm is missing or differs from @jsquash/webp's decoder")

  // The fuses as the packed binary holds them.
  const wire = await fuses.getCurrentFuseWire(join(appDir, names.executableName))
  const wireBytes = Array.from({ length: ELECTRON_DEFAULT_WIRE.length }, (_, i) => wire[i])
  for (const p of fuseWireProblems(wireBytes, config.electronFuses)) fail(p)

  // The deb, up to fpm.
  const fpm = JSON.parse(readFileSync(join(output, 'fpm.json'), 'utf8'))
  for (const p of debProblems(fpm.args, names)) fail(p)
  for (const p of desktopEntryProblems(readFileSync(join(output, 'deb.desktop'), 'utf8'), names)) fail(p)
  const profile = existsSync(join(resources, 'apparmor-profile')) ? readFileSync(join(resources, 'apparmor-profile'), 'utf8') : ''
  for (const p of appArmorProblems(profile, readFileSync(join(output, 'deb.after-install'), 'utf8'), names)) fail(p)

  if (problems.length > 0) {
    for (const p of problems) console.log(`dist:check: ${p}`)
    process.exit(1)
  }
  const configured = Object.entries(config.electronFuses)
    .map(([name, on]) => `${name} ${on ? 'on' : 'off'}`)
    .join(', ')
  console.log(
    `dist:check: the package holds the app (${files.size} asar entries, no node_modules) and <resources>/mnist (${present.length} files) and webp_dec.wasm.`
  )
  console.log(`dist:check: fuses in the packed binary as configured: ${configured}.`)
  console.log(
    `dist:check: deb ${names.packageName} ${fpm.args[fpm.args.indexOf('--version') + 1]}: control fields, desktop entry (no --no-sandbox) and AppArmor profile checked; no AppImage target.`
  )
  console.log(
    'dist:check: not built here: the .deb file itself (electron-builder downloads fpm; USE_SYSTEM_FPM=true uses an installed one, and this machine has neither).'
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
