import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { openTrainWithDataset, screenshot, watchProblems } from './helpers'

/*
 * #/sweeps in the browser host: a 4-trial grid (2 learning rates × 2 seeds) of a short MLP on two engine
 * workers, its table, scatter and Pareto front; a reload in the middle of a sweep keeps the finished
 * trials and Resume runs the rest; screenshots in English and Japanese.
 */

async function buildGrid(page: Page, iterations: number): Promise<void> {
  await page.getByTestId('sweep-base').selectOption('vg-relu-he')
  await page.getByTestId('sweep-add-field').click()
  await expect(page.getByTestId('sweep-field')).toHaveValue('optimizer.lr')
  await page.getByTestId('sweep-values').fill('0.05, 0.2')
  await page.getByTestId('sweep-seeds').fill('2')
  await page.getByTestId('sweep-iterations').fill(String(iterations))
  await page.getByTestId('sweep-workers').fill('2')
}

test('a grid sweep on two engine workers: table, scatter with its Pareto front, a trial opens in Compare; English and Japanese', async ({ page }) => {
  test.setTimeout(120_000)
  const problems = watchProblems(page)
  await openTrainWithDataset(page)
  await page.locator('[data-nav="sweeps"]').click()
  await expect(page).toHaveURL(/#\/sweeps$/)
  await buildGrid(page, 60)
  await page.getByTestId('sweep-start').click()
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'finished', { timeout: 60_000 })
  await expect(page.getByTestId('sweep-count')).toContainText('4 of 4 trials finished')

  const rows = page.locator('[data-testid="sweep-table"] tbody tr')
  await expect(rows).toHaveCount(4)
  await expect(page.locator('[data-testid="sweep-scatter"] .point')).toHaveCount(4)
  const front = Number(await page.getByTestId('sweep-pareto').getAttribute('data-points'))
  expect(front).toBeGreaterThanOrEqual(1)
  await expect(page.locator('[data-testid="sweep-parallel"] .trial')).toHaveCount(4)

  // Sorting by test accuracy, by keyboard (the header is a button): best first, then the other way.
  await page.locator('[data-sort="testAcc"]').focus()
  await page.keyboard.press('Enter')
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('Test accuracy')
  // Columns: trial, optimizer.lr, seed, iterations, test accuracy.
  const accuracies = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[4].textContent)))
  const accs = await accuracies()
  expect(new Set(accs).size).toBeGreaterThan(1)
  expect(accs).toEqual([...accs].sort((a, b) => b - a))
  await page.keyboard.press('Enter')
  expect(await accuracies()).toEqual([...accs].reverse())

  const axe = await new AxeBuilder({ page }).include('.sweeps').analyze()
  expect(axe.violations.map((v) => v.id)).toEqual([])
  await screenshot(page, 'sweeps-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByTestId('sweep-count')).toContainText('4 試行中 4 試行が完了')
  await screenshot(page, 'sweeps-ja')
  await page.getByTestId('language').selectOption('en')

  // The best trial's network goes to the model library.
  await page.getByTestId('sweep-save-best').click()
  await expect(page.getByText(/Saved in Models as “sweep trial \d \(vg-relu-he\)”/)).toBeVisible()

  // A trial's row opens its run in Compare (Enter on the focused row).
  await rows.first().focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/compare$/)
  problems.assertNone()
})

test('a reload in the middle of a sweep keeps its finished trials, and Resume runs the rest', async ({ page }) => {
  test.setTimeout(240_000)
  const problems = watchProblems(page)
  await openTrainWithDataset(page)
  await page.goto('/#/sweeps')
  // Long enough trials (one engine, one after another) that the reload lands between the first and the last
  // even on a quiet machine, where 400 iterations finished several trials between two looks.
  await buildGrid(page, 3000)
  await page.getByTestId('sweep-workers').fill('1')
  await page.getByTestId('sweep-start').click()
  await expect.poll(() => page.getByTestId('sweep-table').locator('tbody tr').count(), { timeout: 90_000, intervals: [50] }).toBeGreaterThanOrEqual(1)
  const kept = await page.locator('[data-testid="sweep-table"] tbody tr').first().getAttribute('data-trial')

  await page.reload()
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'interrupted')
  const rows = page.locator('[data-testid="sweep-table"] tbody tr')
  const after = await rows.count()
  expect(after).toBeGreaterThanOrEqual(1)
  expect(after).toBeLessThan(4)
  await expect(rows.first()).toHaveAttribute('data-trial', kept!)
  await expect(page.getByTestId('sweep-resume')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('sweep-resume').click()
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-phase', 'finished', { timeout: 150_000 })
  await expect(rows).toHaveCount(4)
  // The reload cut off a sweep engine as it fetched its kernel threads' source (a blob URL): expected.
  const unexpected = problems.problems.filter((p) => !/^request failed: blob:.*ERR_ABORTED/.test(p))
  expect(unexpected).toEqual([])
})
