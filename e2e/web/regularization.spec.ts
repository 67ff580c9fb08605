import { expect, test } from '@playwright/test'
import { openEnglishTrain, openView, screenshot, watchProblems } from './helpers'

test('L1/L2 geometry: the L1 optimum lands on an axis, the L2 one does not, as the radius changes', async ({ page }) => {
  const watch = watchProblems(page)
  await openEnglishTrain(page)
  await openView(page, 'regularization')

  const l1 = page.getByTestId('reg-l1')
  const l2 = page.getByTestId('reg-l2')
  await expect(page.getByTestId('reg-diamond')).toBeVisible()
  await expect(page.getByTestId('reg-circle')).toBeVisible()
  await expect(l1).toHaveAttribute('data-zeros', '1')
  await expect(l1).toContainText('w₂ is exactly 0: sparse')
  await expect(l1).toHaveAttribute('data-w1', '1')
  await expect(l2).toHaveAttribute('data-zeros', '0')
  await expect(l2).toContainText('both weights non-zero')
  await screenshot(page, 'regularization-en')

  // A smaller radius (stronger λ): still on the axis for L1, still off it for L2.
  await page.locator('[data-field="radius"] input').fill('0.5')
  await expect(l1).toHaveAttribute('data-w1', '0.5')
  await expect(l1).toHaveAttribute('data-zeros', '1')
  await expect(l2).toHaveAttribute('data-zeros', '0')

  // A large radius holds w* itself: no weight is forced to 0.
  await page.locator('[data-field="radius"] input').fill('3')
  await expect(l1).toHaveAttribute('data-zeros', '0')
  await page.getByTestId('reg-reset').click()
  await expect(l1).toHaveAttribute('data-zeros', '1')

  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('[data-nav="regularization"]')).toHaveText('正則化')
  await expect(page.getByRole('heading', { name: 'L1正則化とL2正則化' })).toBeVisible()
  await expect(l1).toContainText('スパース')
  await screenshot(page, 'regularization-ja')
  watch.assertNone()
})
