import { expect, test } from '@playwright/test'
import { numberAttr, openTrainWithDataset, screenshot, watchProblems } from './helpers'

/*
 * cnn-simple on the course's schedule evaluates 6,000 images every 10 iterations: the progress area counts
 * them while training waits, a pause lands between two chunks of images, and a stop lets the evaluation end.
 */
test("a conv net's evaluation shows its progress, pauses mid-way and ends whole on a stop", async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await page.locator('[data-preset-id="cnn-simple"]').click()
  await page.locator('[data-action="start"]').click()

  const evaluating = page.getByTestId('progress-evaluating')
  await expect(evaluating).toHaveText(/^evaluating [\d,]+ \/ 6,000 images$/, { timeout: 120_000 })
  await page.locator('[data-action="pause"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused')
  // Paused mid-evaluation: iteration 10 trained, its evaluation part-way, nothing reported for it yet.
  await expect(evaluating).toBeVisible()
  expect(await numberAttr(page, '.progress', 'data-iter')).toBe(10)
  const done = await numberAttr(page, '.progress', 'data-evaluated')
  expect(done).toBeGreaterThanOrEqual(0)
  expect(done).toBeLessThan(6000)
  await expect(page.getByTestId('generation')).not.toHaveAttribute('data-iter', '10')
  await screenshot(page, 'evaluation-progress-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(evaluating).toHaveText(/^評価中 [\d,]+ \/ 6,000 枚$/)
  await screenshot(page, 'evaluation-progress-ja')
  await page.getByTestId('language').selectOption('en')

  // Stop, by keyboard: the evaluation under way ends first, so the run stops at a whole iteration.
  await page.locator('[data-action="stop"]').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 })
  await expect(evaluating).toHaveCount(0)
  expect(await numberAttr(page, '.progress', 'data-iter')).toBe(10)
  await expect(page.getByTestId('generation')).toHaveAttribute('data-iter', '10')
  watch.assertNone()
})
