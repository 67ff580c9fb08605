/**
 * `npm run bench:library`: does the browser version open as fast with 1,000 stored runs as with 10? Serves
 * the built renderer, and for each library size, in a fresh Chromium profile:
 *
 * 1. stores N long-run records (bench/library-records.ts, ~1.4 MB each as JSON) in the app's IndexedDB,
 *    the way an older build left them (records only): the first open rebuilds their summaries (timed,
 *    printed on stderr);
 * 2. openMs: loads the app at #/compare until the engine is ready and the list shows all N runs (the
 *    median of 3 loads);
 * 3. compareMs: from #/train, already open, goes to #/compare through the header until the list of N runs
 *    is drawn (the median of 5 switches);
 * 4. ticks the newest run and waits for its curves: the record is read on demand and drawn.
 *
 * Prints one JSON line per size, `{"runs":N,"openMs":x,"compareMs":x}`, and whether the 1,000-run times are
 * within 3× the 10-run times. Flags: --sizes 10,1000 --headed. Needs `npm run build` first and Chromium
 * (CHROMIUM_PATH or /usr/bin/chromium); ~1.4 GB of disk for 1,000 runs, in a temporary profile removed
 * at the end. Not part of `npm test`: timings depend on the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { longRunRecord } from './library-records'
import { BENCH_CHROMIUM_ARGS, builtAppAndChromium, serveWebHost } from './serve-web'

const OPEN_REPEATS = 3
const COMPARE_REPEATS = 5
/** Records per page.evaluate while seeding: each call carries them through Playwright's protocol. */
const SEED_BATCH = 10

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

const sizes = flag('sizes', '10,1000').split(',').map(Number)
const headed = process.argv.includes('--headed')

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const round = (ms: number): number => Math.round(ms)
const note = (line: string): void => void process.stderr.write(`${line}\n`)

/** Writes N records into a version-1 database (records only), as a build without summaries kept them. */
async function seed(page: Page, url: string, runs: number): Promise<void> {
  await page.goto(`${url}no-app-here`)
  const now = Date.now()
  for (let first = 0; first < runs; first += SEED_BATCH) {
    // As JSON text: Playwright carries a string at once, where an object of 30,000 numbers crawls.
    const texts: string[] = []
    for (let n = first; n < Math.min(runs, first + SEED_BATCH); n++) {
      texts.push(JSON.stringify(longRunRecord(`run-${String(n).padStart(5, '0')}`, now - (runs - n) * 60_000, n + 1)))
    }
    await page.evaluate(async (batch) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const req = indexedDB.open('gradient-lab', 1)
        req.onupgradeneeded = () => req.result.createObjectStore('runs')
        req.onsuccess = () => done(req.result)
        req.onerror = () => fail(req.error)
      })
      const tx = db.transaction('runs', 'readwrite')
      for (const text of batch) {
        const record = JSON.parse(text) as { id: string }
        tx.objectStore('runs').put(record, record.id)
      }
      await new Promise<void>((done, fail) => {
        tx.oncomplete = () => done()
        tx.onerror = () => fail(tx.error)
      })
      db.close()
    }, texts)
    if (first % 200 === 0 && first > 0) note(`  stored ${first} of ${runs} runs`)
  }
}

/** Loads the app at #/compare; resolves with ms until the engine is ready and all N runs are listed. */
async function openCompare(page: Page, url: string, runs: number, timeout: number): Promise<number> {
  // From a blank page: going from #/compare to #/compare would only change the hash, not load anything.
  await page.goto('about:blank')
  const started = Date.now()
  await page.goto(`${url}#/compare`)
  await page.locator(`[data-testid="run-list"][data-count="${runs}"] li[data-run-id]`).first().waitFor({ timeout })
  await page.locator('[data-testid="engine-state"][data-state="ready"]').waitFor({ timeout })
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
  return Date.now() - started
}

/** From #/train (open and settled), through the header to #/compare: ms until the list is drawn. */
async function switchToCompare(page: Page, runs: number): Promise<number> {
  await page.locator('[data-nav="train"]').click()
  await page.locator('[data-testid="run-list"]').waitFor({ state: 'detached' })
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
  const started = Date.now()
  await page.locator('[data-nav="compare"]').click()
  await page.locator(`[data-testid="run-list"][data-count="${runs}"] li[data-run-id]`).first().waitFor()
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
  return Date.now() - started
}

/** The page's long tasks since it loaded, in a few words. */
async function longTasks(page: Page): Promise<string> {
  const durations = await page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks)
  return durations.length === 0 ? 'no long task' : `${durations.length} long tasks, the longest ${Math.round(Math.max(...durations))} ms`
}

async function measure(url: string, executablePath: string, runs: number): Promise<{ runs: number; openMs: number; compareMs: number }> {
  const profile = mkdtempSync(join(tmpdir(), 'lab-bench-library-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: !headed,
    viewport: { width: 1366, height: 900 },
    args: [...BENCH_CHROMIUM_ARGS]
  })
  try {
    // tsx compiles this file with esbuild's keepNames, which may wrap functions in a `__name` helper the
    // page does not have: give every page a no-op one.
    await context.addInitScript('globalThis.__name = (fn) => fn')
    // Long tasks (> 50 ms) of each page load: the rebuild and the list must never hold the page for long.
    await context.addInitScript(`globalThis.__longTasks = []
      try { new PerformanceObserver((list) => { for (const e of list.getEntries()) globalThis.__longTasks.push(e.duration) }).observe({ type: 'longtask', buffered: true }) } catch {}`)
    const page = context.pages()[0] ?? (await context.newPage())
    const seedStart = Date.now()
    await seed(page, url, runs)
    note(`${runs} runs stored in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`)
    // The first open finds records without summaries and rebuilds them: once per library, not timed as an open.
    const firstOpen = await openCompare(page, url, runs, 30 * 60_000)
    note(`first open (summaries rebuilt from ${runs} records): ${firstOpen} ms; ${await longTasks(page)}`)

    const opens: number[] = []
    for (let i = 0; i < OPEN_REPEATS; i++) opens.push(await openCompare(page, url, runs, 120_000))
    note(`last open: ${await longTasks(page)}`)
    const switches: number[] = []
    for (let i = 0; i < COMPARE_REPEATS; i++) switches.push(await switchToCompare(page, runs))

    // The newest run's curves: its record (1.4 MB) is read when it is drawn.
    const drawStart = Date.now()
    await page.locator('[data-testid="run-list"] li[data-run-id] [data-action="compare"]').first().check()
    await page
      .locator('[data-testid="compare-test"][data-series-count="1"]:not([data-series-points="0"]):not([data-series-points=""])')
      .waitFor({ timeout: 60_000 })
    note(`opens ${opens.join(', ')} ms; switches ${switches.join(', ')} ms; newest run's curves drawn in ${Date.now() - drawStart} ms`)
    return { runs, openMs: round(median(opens)), compareMs: round(median(switches)) }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const executablePath = builtAppAndChromium()
  const server = await serveWebHost()
  try {
    const results = []
    for (const runs of sizes) {
      const result = await measure(server.url, executablePath, runs)
      results.push(result)
      console.log(JSON.stringify(result))
    }
    const small = results.find((r) => r.runs === Math.min(...sizes))
    const large = results.find((r) => r.runs === Math.max(...sizes))
    if (small && large && small !== large) {
      const open = large.openMs / small.openMs
      const compare = large.compareMs / small.compareMs
      const ok = open <= 3 && compare <= 3
      note(`${large.runs} runs vs ${small.runs}: open ×${open.toFixed(2)}, #/compare ×${compare.toFixed(2)} (target ≤ 3): ${ok ? 'OK' : 'over'}`)
      note(
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`
      )
      if (!ok) process.exitCode = 1
    }
  } finally {
    server.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
