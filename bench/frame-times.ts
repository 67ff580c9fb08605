/**
 * `npm run bench:frames`: how smooth the renderer stays while it trains. Serves the built renderer (the
 * browser host), opens it in Chromium, starts a long run (20,000 iterations by default, so the charts hold
 * as many points as they ever will), and records for ~15 s:
 *
 * - frame times, from requestAnimationFrame (the 95th percentile is the figure; target < 20 ms);
 * - metric updates per second (changes of the progress bar's iteration count, or of the count of images
 *   an evaluation has done while training waits for it; target ≥ 10), and each kind's share;
 * - long tasks (> 50 ms on the main thread).
 *
 * Flags: --seconds N (default 15), --iters N (default 20000), --preset ID (default vg-relu-he), --headed,
 * --idle (the same page and measurement without training: the machine's baseline under its current load).
 * Needs `npm run build` first and Chromium (CHROMIUM_PATH or /usr/bin/chromium). Not part of `npm test`:
 * timings depend on the machine and on whatever else it is doing, so the load average is printed too.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { percentile, withTrainPage } from './train-page'

const ROOT = resolve(import.meta.dirname, '..')

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

const seconds = Number(flag('seconds', '15'))
const iterations = Number(flag('iters', '20000'))
const presetId = flag('preset', 'vg-relu-he')
const headed = process.argv.includes('--headed')
const idle = process.argv.includes('--idle')

async function main(): Promise<void> {
  await withTrainPage({ presetId, iterations, headed }, async (page, browser) => {
    // The charts must be on screen: frames that draw nothing would flatter the figure.
    await page.getByTestId('loss-chart').scrollIntoViewIfNeeded()
    if (!idle) {
      await page.locator('[data-action="start"]').click()
      await page.locator('[data-testid="run-status"][data-status="running"]').waitFor({ timeout: 30_000 })
    }

    // tsx compiles this file with esbuild's keepNames, which wraps named functions in a `__name` helper
    // the page does not have: give it a no-op one.
    await page.evaluate('globalThis.__name = (fn) => fn')
    const result = await page.evaluate(async (ms: number) => {
      const frames: number[] = []
      const updates: number[] = []
      let evaluationUpdates = 0
      let longTasks = 0
      let longest = 0
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longTasks++
          longest = Math.max(longest, entry.duration)
        }
      })
      try {
        observer.observe({ type: 'longtask', buffered: false })
      } catch {
        // Long-task timing is not available everywhere; the frame times still are.
      }
      const progress = document.querySelector('.progress')!
      let lastIter = progress.getAttribute('data-iter')
      let lastEvaluated = progress.getAttribute('data-evaluated')
      const mutations = new MutationObserver(() => {
        const iter = progress.getAttribute('data-iter')
        const evaluated = progress.getAttribute('data-evaluated')
        if (iter !== lastIter) {
          updates.push(performance.now())
        } else if (evaluated !== lastEvaluated && evaluated !== null) {
          updates.push(performance.now())
          evaluationUpdates++
        }
        lastIter = iter
        lastEvaluated = evaluated
      })
      mutations.observe(progress, { attributes: true, attributeFilter: ['data-iter', 'data-evaluated'] })
      const t0 = performance.now()
      await new Promise<void>((done) => {
        let last = performance.now()
        const tick = (now: number) => {
          frames.push(now - last)
          last = now
          if (now - t0 < ms) requestAnimationFrame(tick)
          else done()
        }
        requestAnimationFrame((now) => {
          last = now
          requestAnimationFrame(tick)
        })
      })
      mutations.disconnect()
      observer.disconnect()
      const points = Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-recorded') ?? 0)
      return { frames, updates: updates.length, evaluationUpdates, elapsedMs: performance.now() - t0, longTasks, longest, iter: Number(lastIter), points }
    }, seconds * 1000)

    const sorted = [...result.frames].sort((a, b) => a - b)
    const summary = {
      date: new Date().toISOString(),
      preset: idle ? null : presetId,
      iterations,
      seconds: Math.round(result.elapsedMs / 100) / 10,
      frames: result.frames.length,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p95Ms: Math.round(percentile(sorted, 95) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      maxMs: Math.round((sorted.at(-1) ?? Number.NaN) * 10) / 10,
      over20MsPercent: Math.round((sorted.filter((f) => f > 20).length / Math.max(1, sorted.length)) * 1000) / 10,
      metricUpdatesPerSecond: Math.round((result.updates / (result.elapsedMs / 1000)) * 10) / 10,
      evaluationUpdatesPerSecond: Math.round((result.evaluationUpdates / (result.elapsedMs / 1000)) * 10) / 10,
      longTasks: result.longTasks,
      longestTaskMs: Math.round(result.longest),
      iterationReached: result.iter,
      lossesRecorded: result.points,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      chromium: browser.version()
    }
    console.log(
      idle
        ? `Frame times of the idle Train view (no run, baseline) for ${summary.seconds} s in Chromium ${summary.chromium}:`
        : `Frame times while training ${presetId} (${iterations.toLocaleString('en')} iterations) for ${summary.seconds} s in Chromium ${summary.chromium}:`
    )
    console.log(
      `  frames ${summary.frames}: p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms (target p95 < 20 ms)`
    )
    console.log(`  frames over 20 ms: ${summary.over20MsPercent}%`)
    console.log(
      `  metric updates: ${summary.metricUpdatesPerSecond}/s (target ≥ 10), ${summary.evaluationUpdatesPerSecond}/s of them evaluation progress; long tasks > 50 ms: ${summary.longTasks} (longest ${summary.longestTaskMs} ms)`
    )
    console.log(`  reached iteration ${summary.iterationReached.toLocaleString('en')}; load average ${summary.loadAverage.join(' ')} on this machine`)
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
    writeFileSync(join(ROOT, `bench/results/frame-times${idle ? '-idle' : ''}.json`), JSON.stringify(summary, null, 2) + '\n')
    console.log(summary.p95Ms < 20 ? 'p95 under 20 ms: OK' : 'p95 at or over 20 ms: see above')
  })
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
