import { expect, test } from '@playwright/test'
import { openTrainWithDataset, screenshot, watchProblems } from './helpers'
import { canvasPixels, openVisualView, slide } from './visual-helpers'

test('filters over time: a conv run keeps snapshots; the timeline slider changes the filters; before and after', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await page.getByTestId('language').selectOption('en')
  await openVisualView(page, 'convolution')
  const timeline = page.getByTestId('filter-timeline')
  await expect(timeline.getByTestId('filter-timeline-empty')).toBeVisible()

  // The short cnn-simple run: snapshots at iteration 0 and at its evaluations (50, 100).
  await page.getByTestId('conv-start').click()
  const slider = timeline.getByTestId('filter-timeline-slider')
  await expect(slider).toHaveAttribute('max', '2', { timeout: 150_000 })
  const now = timeline.getByTestId('filter-timeline-now')
  await expect(now).toHaveAttribute('data-iter', '100')
  await expect(now.locator('canvas')).toHaveCount(30)
  await expect(timeline.getByTestId('filter-timeline-before').locator('canvas')).toHaveCount(30)
  await expect(timeline.getByTestId('filter-timeline-after').locator('canvas')).toHaveCount(30)

  const last = await canvasPixels(now.locator('canvas').first())
  await slide(slider, 0)
  await expect(now).toHaveAttribute('data-iter', '0')
  const first = await canvasPixels(now.locator('canvas').first())
  expect(first).not.toBe(last)
  expect(first).toBe(await canvasPixels(timeline.getByTestId('filter-timeline-before').locator('canvas').first()))
  await slide(slider, 1)
  await expect(now).toHaveAttribute('data-iter', '50')
  await timeline.scrollIntoViewIfNeeded()
  await screenshot(page, 'filters-over-time-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(timeline.getByRole('heading', { name: 'フィルタの変化' })).toBeVisible()
  await screenshot(page, 'filters-over-time-ja')
  watch.assertNone()
})
