#!/usr/bin/env node
// `npm test`: everything CI checks, ending with ONE summary line `N passed, N failed[, N skipped]`.
//
//   0. Chromium present?           (fails fast, before anything slow)
//   1. typecheck                   npm run typecheck (tsc node + vue-tsc web)
//  1b. lint                        npm run lint (ESLint: bugs and the rooms' import walls; Prettier --check)
//   2. unit tests                  vitest run  → test-results/vitest.json
//   3. build                       electron-vite build (the e2e specs use out/); no WebAssembly in the renderer's main-thread chunks
//  3b. security + package          Electronegativity over src/; electron-builder --dir layout check
//   4. end-to-end tests            playwright test → test-results/playwright.json
//
// The summary adds up vitest's and Playwright's test counts. The typecheck and the build are counted as one
// check each as well (1 passed or 1 failed), so a type error or a broken build shows in the line. A step
// that fails does not stop later steps that still make sense (a type error does not stop the unit tests);
// only the e2e tests need a successful build. Exit code 1 if anything failed.
import { spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chunkProblems, placeBuiltChunks } from './lib/renderer-chunks.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const resultsDir = join(root, 'test-results')
const vitestJson = join(resultsDir, 'vitest.json')
const playwrightJson = join(resultsDir, 'playwright.json')

const totals = { passed: 0, failed: 0, skipped: 0 }
const problems = []

// ---- 0. Chromium ------------------------------------------------------------------------------

function findChromium() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // next
    }
  }
  return undefined
}

const chromium = findChromium()
if (!chromium) {
  console.log(
    "Chromium not found: install Debian's chromium (apt-get install -y chromium) or run npx playwright install chromium (online), or set CHROMIUM_PATH."
  )
  process.exit(1)
}

// ---- helpers ----------------------------------------------------------------------------------

let current
process.on('SIGINT', () => {
  if (current && current.exitCode === null) current.kill('SIGINT')
  console.log('Interrupted.')
  process.exit(130)
})

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`)
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium, ...env } })
    current = child
    child.on('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      current = undefined
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/** An npm package's bin script, run with this Node (no shell, no npx). */
function packageBin(pkg, name = pkg) {
  const pkgDir = join(root, 'node_modules', pkg)
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]
  return join(pkgDir, bin)
}

function npm(args) {
  // Under `npm test`, npm_execpath is npm's own CLI script; otherwise fall back to npm on the PATH.
  const npmCli = process.env.npm_execpath
  if (npmCli && /\.(c?js|mjs)$/.test(npmCli)) return [process.execPath, [npmCli, ...args]]
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args]
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

function check(label, ok) {
  if (ok) totals.passed += 1
  else {
    totals.failed += 1
    problems.push(label)
  }
}

// ---- 1. typecheck -----------------------------------------------------------------------------

{
  const [cmd, args] = npm(['run', 'typecheck'])
  check('typecheck', (await run('typecheck (tsc + vue-tsc)', cmd, args)) === 0)
}

// ---- 1b. lint ----------------------------------------------------------------------------------

check(
  'lint (npm run lint: ESLint, Prettier)',
  (await run('lint (ESLint: bugs and the import walls between the rooms; Prettier --check)', process.execPath, [join(root, 'scripts', 'lint.mjs')])) === 0
)

// ---- 2. unit tests ----------------------------------------------------------------------------

mkdirSync(resultsDir, { recursive: true })
{
  rmSync(vitestJson, { force: true })
  const code = await run('unit tests (vitest)', process.execPath, [
    packageBin('vitest'),
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json'
  ])
  // Read it now: Playwright empties its output folder (test-results/ by default) when it starts.
  const report = readJson(vitestJson)
  if (!report) {
    check(`vitest (exit ${code}, no report)`, false)
  } else {
    totals.passed += report.numPassedTests ?? 0
    totals.failed += report.numFailedTests ?? 0
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    if (report.numFailedTests) problems.push(`${report.numFailedTests} unit test(s)`)
    // A non-zero exit with no failed test: a suite that did not load, an unhandled error, …
    if (code !== 0 && !report.numFailedTests) check(`vitest (exit ${code}: a suite failed to run or an error was unhandled)`, false)
  }
}

// ---- 3. build ---------------------------------------------------------------------------------

const built = (await run('build (electron-vite build)', process.execPath, [packageBin('electron-vite'), 'build'])) === 0
check('build', built)

// No chunk the page's main thread loads, first or on demand, carries WebAssembly: the kernels load only in
// the engine's hosts (kernels/install-wasm-backends.ts), so the browser host's worker must carry them.
// renderer-chunks.mjs tells main-thread chunks from worker ones by following index.html's imports.
if (built) {
  const placed = placeBuiltChunks(join(root, 'out', 'renderer'))
  const problems = chunkProblems(placed)
  if (problems.length) {
    console.log(`\nThe renderer's chunks (see eslint.config.mjs, RENDERER_ENGINE_MODULES):`)
    for (const [where, chunks] of [
      ['main thread', placed.mainThread],
      ['worker', placed.workers],
      ['unplaced', placed.unplaced]
    ])
      for (const c of chunks) console.log(`  ${where.padEnd(11)} ${c.name.padEnd(40)} ${String(c.bytes).padStart(9)} B${c.wasm ? '  WebAssembly' : ''}`)
    for (const problem of problems) console.log(`  ${problem}`)
  }
  check(
    `renderer main-thread chunks without WebAssembly, worker with it (${placed.mainThread.length} main-thread, ${placed.workers.length} worker)`,
    problems.length === 0
  )
}

// ---- 3b. Electron's checklist and the desktop package -----------------------------------------

check(
  'security scan (Electronegativity)',
  (await run('security scan (Electronegativity)', process.execPath, [join(root, 'scripts', 'security-scan.mjs')])) === 0
)
if (built) {
  check(
    'desktop package (dist:check)',
    (await run('desktop package layout (electron-builder --dir, asar contents)', process.execPath, [join(root, 'scripts', 'check-package.mjs')])) === 0
  )
}

// ---- 4. end-to-end tests ----------------------------------------------------------------------

if (built) {
  rmSync(playwrightJson, { force: true })
  const code = await run('end-to-end tests (playwright)', process.execPath, [packageBin('@playwright/test', 'playwright'), 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json'
  })
  const report = readJson(playwrightJson)
  const stats = report?.stats
  if (!stats) {
    check(`playwright (exit ${code}, no report)`, false)
  } else {
    // expected = passed; flaky = passed on a retry; unexpected = failed.
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0)
    totals.failed += stats.unexpected ?? 0
    totals.skipped += stats.skipped ?? 0
    if (stats.unexpected) problems.push(`${stats.unexpected} e2e test(s)`)
    if (code !== 0 && !stats.unexpected) {
      const errors = Array.isArray(report.errors) ? report.errors.length : 0
      check(`playwright (exit ${code}${errors ? `, ${errors} error(s) outside tests` : ''})`, false)
    }
  }
} else {
  console.log('\nSkipping the end-to-end tests: the build failed.')
}

// ---- summary: the last line -------------------------------------------------------------------

if (problems.length) console.log(`\nFailed: ${problems.join('; ')}`)
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exitCode = totals.failed > 0 ? 1 : 0
