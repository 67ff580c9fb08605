import { expect, test } from '@playwright/test'
import { numberAttr, openTrainWithDataset, watchProblems } from './helpers'

test('trains vg-relu-he in the browser, charts grow live, test accuracy ≥ 0.90', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  // The worker compiled the WebAssembly kernels: the page's CSP allows wasm (and nothing else) to compile.
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-kernels', 'wasm')
  // The page is cross-origin isolated, so the kernels may use every core: the thread setting offers them.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  const threads = page.getByTestId('threads')
  await expect(threads).toBeEnabled()
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  await expect(threads.locator('option')).toHaveCount(cores)
  await expect(threads).toHaveValue(String(cores))

  await page.locator('[data-preset-id="vg-relu-he"]').click()
  await expect(page.locator('[data-preset="vg-relu-he"]')).toBeVisible()
  const start = page.locator('[data-action="start"]')
  await expect(start).toBeEnabled()
  await start.click()
  await expect(start).toBeDisabled()

  // Progress and both charts must grow while the run is going, not only at the end.
  const progress = page.locator('.progress')
  await expect.poll(() => numberAttr(page, '.progress', 'data-iter')).toBeGreaterThan(0)
  const firstIter = await numberAttr(page, '.progress', 'data-iter')
  await expect.poll(() => numberAttr(page, '[data-testid="loss-chart"]', 'data-points')).toBeGreaterThan(0)
  const firstLoss = await numberAttr(page, '[data-testid="loss-chart"]', 'data-points')
  await expect.poll(() => numberAttr(page, '[data-testid="accuracy-chart"]', 'data-points')).toBeGreaterThan(0)
  const firstAcc = await numberAttr(page, '[data-testid="accuracy-chart"]', 'data-points')
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', /running|completed/)

  await expect.poll(() => numberAttr(page, '.progress', 'data-iter')).toBeGreaterThan(firstIter)
  await expect.poll(() => numberAttr(page, '[data-testid="loss-chart"]', 'data-recorded')).toBeGreaterThan(firstLoss)
  await expect.poll(() => numberAttr(page, '[data-testid="accuracy-chart"]', 'data-points')).toBeGreaterThan(firstAcc)
  await expect(progress.locator('progress')).toHaveAttribute('max', '2000')

  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 170_000 })
  expect(await numberAttr(page, '.progress', 'data-iter')).toBe(2000)
  expect(await numberAttr(page, '[data-testid="loss-chart"]', 'data-recorded')).toBeGreaterThanOrEqual(2000)
  expect(await numberAttr(page, '[data-testid="loss-chart"]', 'data-points')).toBeLessThanOrEqual(1000)
  expect(await numberAttr(page, '[data-testid="accuracy-chart"]', 'data-points')).toBe(200)

  // The readout, exactly in the course's format, with the final test accuracy.
  const readout = page.getByTestId('generation')
  const lines = (await readout.locator('pre').textContent())!.split('\n')
  expect(lines[0]).toMatch(/^Generation: 2000\. 正答率\(トレーニング\) = [01]\.\d+$/)
  expect(lines[1]).toMatch(/^ {16}: 2000\. 正答率\(テスト\) = [01]\.\d+$/)
  const testAcc = Number(lines[1].split('= ')[1])
  expect(testAcc).toBe(await numberAttr(page, '[data-testid="generation"]', 'data-test-acc'))
  expect(testAcc).toBeGreaterThanOrEqual(0.9)
  await expect(start).toBeEnabled()
  await expect(page.getByRole('alert')).toHaveCount(0)

  await page.screenshot({ path: 'test-results/screens/train-en.png', fullPage: true })

  // Japanese: the switch is remembered and the course's terms appear.
  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await expect(page.getByRole('heading', { name: '勾配消失' })).toBeVisible()
  await expect(page.locator('[data-testid="loss-chart"] figcaption')).toHaveText('ミニバッチの損失')
  await expect(page.getByTestId('run-status')).toContainText('完了')
  await page.screenshot({ path: 'test-results/screens/train-ja.png', fullPage: true })
  expect(await page.evaluate(() => localStorage.getItem('gradient-lab.locale'))).toBe('ja')

  // One thread for the engine (a core kept free for the page): the engine confirms, and a reload keeps it.
  await threads.selectOption('1')
  await expect(threads).toHaveValue('1')
  await page.reload()
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('threads')).toHaveValue('1')

  watch.assertNone()
})
