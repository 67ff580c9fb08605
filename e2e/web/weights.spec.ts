import { expect, test } from '@playwright/test'
import { openTrainWithDataset, screenshot, watchProblems } from './helpers'
import { canvasColours, openVisualView } from './visual-helpers'

test("weights: offers a run without a network, then draws the first layer's units and every layer's histogram, live and kept with the run", async ({
  page
}) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await page.getByTestId('language').selectOption('en')

  // #/regularization links here.
  await openVisualView(page, 'regularization')
  await page.getByTestId('reg-weights-link').click()
  await expect(page).toHaveURL(/#\/weights$/)

  await expect(page.getByTestId('weights-empty')).toBeVisible()
  await page.getByTestId('weights-train').click()

  // The of-l1 network: 784-100×6-10; 100 first-layer units as 28×28 images, 7 weight histograms.
  const units = page.getByTestId('weights-units')
  await expect(units).toHaveAttribute('data-units', '100', { timeout: 60_000 })
  await expect(units.locator('canvas')).toHaveCount(100)
  expect(await canvasColours(units.locator('canvas').first())).toBeGreaterThan(20)
  await expect(page.locator('.weights__hist')).toHaveCount(7)
  await expect(page.getByTestId('weights-near-zero-total')).toContainText('have |w| < 1e-3')

  // It follows the run; once the run ends the weights are kept with it and can be picked as a saved run.
  await expect(page.getByTestId('weights-run')).toContainText('after 300 iterations', { timeout: 120_000 })
  await page.getByTestId('weights-scale-log').check()
  await expect(page.locator('.weights__hist').first().getByTestId('weight-histogram')).toHaveAttribute('data-bins', '29')
  await expect(page.getByTestId('weights-source').locator('option')).toHaveCount(2, { timeout: 15_000 })
  await screenshot(page, 'weights-en')
  const runOption = await page.getByTestId('weights-source').locator('option').nth(1).getAttribute('value')
  await page.getByTestId('weights-source').selectOption(runOption!)
  await expect(units).toHaveAttribute('data-units', '16')

  // The side-by-side needs of-none, of-l1 and of-l2 preset runs: a custom run does not count.
  const compare = page.getByTestId('weights-compare')
  await expect(compare.locator('[data-compare="of-l1"]')).toHaveAttribute('data-state', 'missing')
  await expect(page.getByTestId('weights-compare-queue')).toContainText('(3)')

  // One click queues the three presets' full runs; when they have run, L1 has far more weights at zero than
  // no regularization or L2.
  await page.getByTestId('weights-compare-queue').click()
  await expect(page.getByTestId('weights-compare-queue')).toContainText('(0)')
  for (const id of ['of-none', 'of-l1', 'of-l2']) {
    await expect(compare.locator(`[data-compare="${id}"]`)).toHaveAttribute('data-state', 'done', { timeout: 150_000 })
  }
  const share = async (id: string) => Number(await compare.locator(`[data-compare="${id}"] [data-testid="compare-near-zero"]`).getAttribute('data-share'))
  const [none, l1, l2] = [await share('of-none'), await share('of-l1'), await share('of-l2')]
  expect(l1).toBeGreaterThan(2 * none)
  expect(l1).toBeGreaterThan(2 * l2)
  await compare.scrollIntoViewIfNeeded()
  await screenshot(page, 'weights-compare-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByRole('heading', { name: '重みが学習したもの' })).toBeVisible()
  await screenshot(page, 'weights-ja')
  watch.assertNone()
})
