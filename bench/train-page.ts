/**
 * The start the browser frame-time benchmarks share: the built renderer served as the browser host, opened
 * in Chromium on #/train with the bundled digits loaded and a preset chosen for a number of iterations.
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { BENCH_CHROMIUM_ARGS, builtAppAndChromium, serveWebHost } from './serve-web'

/** The p-th percentile of ascending `sorted` (nearest rank); NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

/** Runs `use` on the Train view set up for `presetId` × `iterations`; the browser and server are closed after. */
export async function withTrainPage(
  options: { presetId: string; iterations: number; headed: boolean },
  use: (page: Page, browser: Browser) => Promise<void>
): Promise<void> {
  const executablePath = builtAppAndChromium()
  const server = await serveWebHost()
  const browser = await chromium.launch({
    executablePath,
    headless: !options.headed,
    args: [...BENCH_CHROMIUM_ARGS]
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    await page.goto(`${server.url}#/train`)
    await page.getByTestId('dataset-train').filter({ hasText: /\d/ }).waitFor({ timeout: 60_000 })
    await page.locator(`[data-preset-id="${options.presetId}"]`).click()
    await page.locator('[data-field="iterations"] input').fill(String(options.iterations))
    await use(page, browser)
  } finally {
    await browser.close()
    server.stop()
  }
}
