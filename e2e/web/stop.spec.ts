import { expect, test } from '@playwright/test'
import { numberAttr, openTrainWithDataset, watchProblems } from './helpers'

test('Stop ends a run mid-way and the charts keep their points', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)

  await page.locator('[data-preset-id="vg-relu-he"]').click()
  await page.locator('[data-action="start"]').click()
  await expect.poll(() => numberAttr(page, '[data-testid="loss-chart"]', 'data-points'), { intervals: [25] }).toBeGreaterThan(0)

  const stop = page.locator('[data-action="stop"]')
  await expect(stop).toBeEnabled()
  await stop.focus()
  // Keyboard, not mouse: the controls must work without a pointer.
  await page.keyboard.press('Enter')

  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped')
  const iter = await numberAttr(page, '.progress', 'data-iter')
  expect(iter).toBeGreaterThan(0)
  expect(iter).toBeLessThan(2000)
  const lossPoints = await numberAttr(page, '[data-testid="loss-chart"]', 'data-points')
  expect(lossPoints).toBeGreaterThan(0)

  // Nothing more arrives after the stop, and nothing is cleared.
  await page.waitForTimeout(500)
  expect(await numberAttr(page, '[data-testid="loss-chart"]', 'data-points')).toBe(lossPoints)
  expect(await numberAttr(page, '.progress', 'data-iter')).toBe(iter)
  await expect(page.locator('[data-action="start"]')).toBeEnabled()
  await expect(stop).toBeDisabled()

  watch.assertNone()
})
