#!/usr/bin/env node
// `npm run dist:check`: what can be verified of the desktop package on a machine that cannot download
// Electron. It runs electron-builder for real (`--linux dir`, our electron-builder.yml) but gives it a
// stand-in Electron distribution folder to copy (an empty placeholder: nothing ever runs it), then checks
// the result: the asar holds every file the app loads and nothing else it should not (no node_modules, no
// sources, no source maps), every module the built main/preload/engine code requires is inside the asar or
// built into Electron/Node, and the bundled MNIST sits outside the asar where the engine looks for it.
// Needs `npm run build` first. Prints one line per problem and exits 1 if there is any.
import { spawnSync } from 'node:child_process'
import { builtinModules } from 'node:module'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, resolve } from 'node:path'
import asar from '@electron/asar'

const root = resolve(import.meta.dirname, '..')
const problems = []
const fail = (message) => problems.push(message)

if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  console.log('dist:check: out/ is not built; run npm run build first.')
  process.exit(1)
}

const work = mkdtempSync(join(tmpdir(), 'lab-package-'))
try {
  const standInDist = join(work, 'electron-dist')
  const output = join(work, 'dist')
  spawnSync('mkdir', ['-p', standInDist])
  writeFileSync(join(standInDist, 'electron'), '') // copied as the app's executable; never run
  chmodSync(join(standInDist, 'electron'), 0o755)

  const builder = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${standInDist}`, `-c.directories.output=${output}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } }
  )
  if (builder.status !== 0) {
    console.log(builder.stdout + builder.stderr)
    console.log(`dist:check: electron-builder failed (exit code ${builder.status})`)
    process.exit(1)
  }

  const resources = join(output, 'linux-unpacked', 'resources')
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

  if (problems.length > 0) {
    for (const p of problems) console.log(`dist:check: ${p}`)
    process.exit(1)
  }
  console.log(`dist:check: the package holds the app (${files.size} asar entries, no node_modules) and <resources>/mnist (${present.length} files).`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
