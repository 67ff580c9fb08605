import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { numberAttr, openTrainWithDataset, openView, screenshot, shortRun, watchProblems } from './helpers'

const status = (page: Page) => page.getByTestId('run-status')
const runRow = (page: Page, id: string) => page.locator(`[data-testid="run-list"] li[data-run-id="${id}"]`)

async function currentRunId(page: Page): Promise<string> {
  // The newest run is the first row of the list; its id is what the store gave it.
  return (await page.locator('[data-testid="run-list"] li').first().getAttribute('data-run-id'))!
}

test('a short custom run: both charts grow, pause holds it, resume finishes it', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 1500)
  await page.locator('[data-action="start"]').click()

  await expect.poll(() => numberAttr(page, '.progress', 'data-iter'), { intervals: [20] }).toBeGreaterThan(0)
  // Speed and time left while it trains.
  await expect(page.locator('.progress__text')).toContainText(/\d it\/s.*left/)
  await page.locator('[data-action="pause"]').click()
  await expect(status(page)).toHaveAttribute('data-status', 'paused')
  const pausedAt = await numberAttr(page, '.progress', 'data-iter')
  expect(pausedAt).toBeLessThan(1500)
  await page.waitForTimeout(600)
  expect(await numberAttr(page, '.progress', 'data-iter')).toBe(pausedAt)
  await expect(page.getByTestId('current-run')).toHaveText('Custom (from vg-relu-he) · seed 1')

  await page.locator('[data-action="resume"]').click()
  await expect(status(page)).toHaveAttribute('data-status', /running|completed/)
  // Live: iterations per second and time left while it trains, the charts growing.
  const loss = page.getByTestId('loss-chart')
  await expect.poll(() => numberAttr(page, '[data-testid="loss-chart"]', 'data-recorded')).toBeGreaterThan(pausedAt)
  await expect(status(page)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 })

  // Raw and smoothed loss together, and both accuracies, with every evaluation.
  await expect(loss).toHaveAttribute('data-series-count', '2')
  const [raw, smoothed] = (await loss.getAttribute('data-series-points'))!.split(',').map(Number)
  expect(raw).toBeGreaterThan(500)
  expect(smoothed).toBeGreaterThan(250)
  expect(smoothed).toBeLessThanOrEqual(500)
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-series-points', '150,150')
  await expect(page.getByTestId('generation').locator('pre')).toContainText('Generation: 1500.')

  // Switching the smoothing redraws only the smoothed line; "none" leaves the raw one.
  await page.getByTestId('smoothing').locator('select').selectOption('moving-average')
  await expect(loss).toHaveAttribute('data-series-count', '2')
  await page.getByTestId('smoothing').locator('select').selectOption('none')
  await expect(loss).toHaveAttribute('data-series-count', '1')
  await page.getByTestId('smoothing').locator('select').selectOption('ema')
  await screenshot(page, 'train-run-en')
  watch.assertNone()
})

test('queue runs, overlay them in Compare, export CSV, re-run exactly, see the gradient flow, and find it all after a reload', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)

  // The first run goes at once; held on pause, it keeps the queue waiting behind it.
  await shortRun(page, 'vg-relu-he', 1000)
  await page.locator('[data-action="queue"]').click()
  await expect.poll(() => numberAttr(page, '.progress', 'data-iter'), { intervals: [20] }).toBeGreaterThan(0)
  await page.locator('[data-action="pause"]').click()
  await expect(status(page)).toHaveAttribute('data-status', 'paused')

  await shortRun(page, 'vg-sigmoid-gauss', 300)
  await page.locator('[data-action="queue"]').click()
  await shortRun(page, 'vg-relu-gauss', 300)
  await page.locator('[data-action="queue"]').click()
  const queue = page.getByTestId('queue')
  await expect(queue).toHaveAttribute('data-count', '2')
  await expect(queue.locator('li').nth(0)).toContainText('Custom (from vg-sigmoid-gauss)')
  await expect(queue.locator('li').nth(1)).toContainText('Custom (from vg-relu-gauss)')
  await expect(page.locator('[data-nav="train"]')).toContainText('+2')
  await screenshot(page, 'train-queue-en')
  await queue.locator('li').nth(1).locator('[data-action="remove-queued"]').click()
  await expect(queue).toHaveAttribute('data-count', '1')

  // Resume: the first finishes, then the queued one starts on its own and finishes too.
  await page.locator('[data-action="resume"]').click()
  await expect(queue).toHaveAttribute('data-count', '0', { timeout: 60_000 })
  await expect(page.getByTestId('current-run')).toContainText('Custom (from vg-sigmoid-gauss)')
  await expect(status(page)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 })

  // Compare: both runs are listed; nothing selected, an export says so.
  await openView(page, 'compare')
  const rows = page.locator('[data-testid="run-list"] li')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText('Custom (from vg-sigmoid-gauss)')
  await expect(rows.nth(1)).toContainText('Custom (from vg-relu-he)')
  const sigmoidId = (await rows.nth(0).getAttribute('data-run-id'))!
  const reluId = (await rows.nth(1).getAttribute('data-run-id'))!
  await page.locator('[data-action="export-results"]').click()
  await expect(page.getByTestId('export-message')).toHaveText('Nothing to export: select at least one run first.')

  await runRow(page, reluId).locator('[data-action="compare"]').check()
  await runRow(page, sigmoidId).locator('[data-action="compare"]').check()
  await expect(page.getByTestId('compare-loss')).toHaveAttribute('data-series-count', '2')
  await expect(page.getByTestId('compare-test')).toHaveAttribute('data-series-points', '100,30')
  await expect(page.getByTestId('compare-train')).toHaveAttribute('data-series-count', '2')
  await expect(page.getByTestId('run-legend').locator('li')).toHaveCount(2)
  await expect(page.getByTestId('run-legend')).toContainText('[40, 20] ReLU · He · SGD lr 0.1 · batch 100 · 1,000 it.')
  await expect(page.getByTestId('results-table').locator('tr[data-row="run"]')).toHaveCount(2)

  // CSV: the table (one row per run) and the curves (long format).
  const [tableDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-results"]').click()])
  expect(tableDownload.suggestedFilename()).toMatch(/^gradient-lab-results-.*\.csv$/)
  const table = readFileSync((await tableDownload.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
  expect(table[0]).toBe(
    'experiment,run_id,preset_id,custom,seed,status,iterations,train_acc,test_acc,wall_s,experiment_completed_runs,experiment_train_acc_mean,experiment_train_acc_sd,experiment_test_acc_mean,experiment_test_acc_sd'
  )
  expect(table).toHaveLength(3)
  expect(table.some((line) => line.includes(`${reluId},vg-relu-he,true,1,completed,1000,`))).toBe(true)
  const [curveDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-curves"]').click()])
  const curves = readFileSync((await curveDownload.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
  expect(curves[0]).toBe('run_id,label,seed,series,iter,value')
  expect(curves.filter((l) => l.startsWith(`${reluId},`) && l.includes(',loss,'))).toHaveLength(1000)
  expect(curves.filter((l) => l.startsWith(`${sigmoidId},`) && l.includes(',test_acc,'))).toHaveLength(30)
  await expect(page.getByTestId('export-message')).toHaveText('Exported 2 runs.')
  await screenshot(page, 'compare-en')

  // Re-run the sigmoid run from its record: same settings, same seed, same numbers.
  const firstTest = await page.locator(`[data-testid="results-table"] tr[data-run-id="${sigmoidId}"] [data-cell="test"]`).textContent()
  await runRow(page, sigmoidId).locator('[data-action="rerun"]').click()
  await expect(page).toHaveURL(/#\/train$/)
  await expect(status(page)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 })
  await expect(page.getByTestId('current-run')).toContainText('Custom (from vg-sigmoid-gauss)')
  await openView(page, 'compare')
  await expect(rows).toHaveCount(3)
  const rerunId = await currentRunId(page)
  await runRow(page, rerunId).locator('[data-action="compare"]').check()
  await expect(page.locator(`[data-testid="results-table"] tr[data-run-id="${rerunId}"] [data-cell="test"]`)).toHaveText(firstTest!)
  // The same experiment twice: one group, mean ± sd over its two runs (identical, so sd 0).
  const group = page.locator('[data-testid="results-table"] tbody[data-group-runs="2"]')
  await expect(group.locator('[data-cell="test-mean"]')).toHaveText(`${firstTest} ± 0.0000`)

  // Japanese: the same view, the course's terms.
  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByRole('heading', { name: '実行の比較' })).toBeVisible()
  await expect(page.locator('[data-testid="compare-test"] figcaption')).toHaveText('テストの正答率')
  await expect(rows.nth(0)).toContainText('カスタム (vg-sigmoid-gauss から変更)')
  await screenshot(page, 'compare-ja')

  // Gradient flow: sigmoid with Gaussian 0.01 starves the first layer; ReLU with He does not.
  await openView(page, 'gradients')
  const picker = page.getByTestId('gradient-run')
  await picker.selectOption(sigmoidId)
  await expect(page.getByTestId('gradient-chart')).toHaveAttribute('data-series-count', '3')
  await expect(page.getByTestId('histograms')).toHaveAttribute('data-count', '2')
  const sigmoidRatio = Number(await page.getByTestId('gradient-ratio').getAttribute('data-ratio'))
  await expect(page.getByRole('heading', { name: '勾配の流れ' })).toBeVisible()
  await expect(page.getByText('勾配消失')).toBeVisible()
  await screenshot(page, 'gradients-ja')
  await page.getByTestId('language').selectOption('en')
  await picker.selectOption(reluId)
  await expect(page.getByTestId('gradient-chart')).toHaveAttribute('data-series-count', '3')
  const reluRatio = Number(await page.getByTestId('gradient-ratio').getAttribute('data-ratio'))
  expect(sigmoidRatio).toBeLessThan(reluRatio / 10)
  await picker.selectOption(sigmoidId)
  await expect(page.getByRole('heading', { name: 'Gradient flow', exact: true })).toBeVisible()
  await screenshot(page, 'gradients-en')

  // A reload (a restart of the browser version): the runs are still listed, finished, with their curves.
  await page.reload()
  await openView(page, 'compare')
  await expect(rows).toHaveCount(3)
  for (const id of [sigmoidId, reluId, rerunId]) await expect(runRow(page, id)).toHaveAttribute('data-status', 'completed')
  await runRow(page, reluId).locator('[data-action="compare"]').check()
  await expect(page.getByTestId('compare-test')).toHaveAttribute('data-series-points', '100')
  watch.assertNone()
})
