import { expect, test } from '@playwright/test'
import { openTrainWithDataset, screenshot, watchProblems } from './helpers'

/* The layer editor: add, move and remove a layer, shapes and costs live, a broken stack named and Start held. */
test('edit a conv net layer by layer', async ({ page }) => {
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await page.locator('[data-preset-id="cnn-simple"]').click()
  const editor = page.getByTestId('layer-editor')
  const rows = editor.locator('[data-layer-row]')
  await expect(rows).toHaveCount(6)
  await expect(rows.nth(0).locator('[data-role="shape"]')).toHaveText('[30, 24, 24]')
  await expect(rows.nth(0).locator('[data-role="macs"]')).toHaveText('432.0 k')
  await expect(editor.getByTestId('total-params')).toHaveText((30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10).toLocaleString('en'))

  // Add a dropout at the end, move it up twice (before the last affine and its ReLU), then remove it.
  await editor.getByTestId('add-kind').selectOption('dropout')
  await editor.locator('[data-action="layer-add-end"]').click()
  await expect(rows).toHaveCount(7)
  await expect(rows.nth(6)).toHaveAttribute('data-kind', 'dropout')
  await rows.nth(6).locator('[data-action="layer-up"]').click()
  await rows.nth(5).locator('[data-action="layer-up"]').click()
  await expect(rows.nth(4)).toHaveAttribute('data-kind', 'dropout')
  await expect(rows.nth(4).locator('[data-role="shape"]')).toHaveText('[100]')
  await expect(page.getByTestId('custom-label')).toHaveText('Custom (from cnn-simple)')
  await screenshot(page, 'editor-en')
  await rows.nth(4).locator('[data-action="layer-remove"]').click()
  await expect(rows).toHaveCount(6)

  // A filter larger than its input: the row says so with the shapes, the rest is unknown, Start is held.
  await rows.nth(0).locator('input[data-field-name="size"]').fill('30')
  await expect(rows.nth(0).getByTestId('layer-problem')).toContainText('does not fit its input [1, 28, 28]')
  await expect(rows.nth(2).locator('[data-role="shape"]')).toHaveText('—')
  await expect(page.locator('[data-action="start"]')).toBeDisabled()
  await rows.nth(0).locator('input[data-field-name="size"]').fill('5')
  await expect(page.locator('[data-action="start"]')).toBeEnabled()

  // The last affine layer gives one score per class of the data, whatever units it names: the row says so.
  await rows.nth(5).locator('input[data-field-name="units"]').fill('12')
  await expect(rows.nth(5).locator('[data-role="shape"]')).toContainText('10')
  await expect(page.locator('[data-action="start"]')).toBeEnabled()
  await rows.nth(5).locator('input[data-field-name="units"]').fill('10')
  // A stack that does not end in class scores: without its affine layers it ends in maps.
  await rows.nth(5).locator('[data-action="layer-remove"]').click()
  await rows.nth(3).locator('[data-action="layer-remove"]').click()
  await expect(editor.getByTestId('stack-problem')).toHaveText('The last layer must give 10 class scores; it gives [30, 12, 12]. End with an affine layer.')
  await expect(page.locator('[data-action="start"]')).toBeDisabled()
  await page.getByTestId('language').selectOption('ja')
  // In the page's language, with the same numbers.
  await expect(editor.getByTestId('stack-problem')).toContainText('スコア 10 個')
  await expect(editor.getByTestId('stack-problem')).toContainText('[30, 12, 12]')
  await screenshot(page, 'editor-ja')
  watcher.assertNone()
})
