import { expect, test } from '@playwright/test'
import { fieldError, openTrainWithDataset, screenshot, setField, watchProblems } from './helpers'

test('the settings form: a bad value blocks the run and says why next to the field; an edit makes a labelled custom run', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await page.locator('[data-preset-id="vg-relu-he"]').click()
  const start = page.locator('[data-action="start"]')
  const queue = page.locator('[data-action="queue"]')
  await expect(start).toBeEnabled()
  await expect(page.getByTestId('custom-label')).toHaveCount(0)

  // A learning rate of 0: the message sits under the learning-rate field, and nothing can start.
  await setField(page, 'optimizer.lr', '0')
  await expect(fieldError(page, 'optimizer.lr')).toHaveText('Must be greater than 0.')
  await expect(page.locator('[data-field="optimizer.lr"] input')).toHaveAttribute('aria-invalid', 'true')
  await expect(start).toBeDisabled()
  await expect(queue).toBeDisabled()
  await expect(page.getByTestId('settings-invalid')).toBeVisible()

  // Half-typed, then fixed: the message follows the typing.
  await setField(page, 'optimizer.lr', '1e')
  await expect(fieldError(page, 'optimizer.lr')).toHaveText('Enter a number.')
  await setField(page, 'optimizer.lr', '0.05')
  await expect(fieldError(page, 'optimizer.lr')).toHaveCount(0)
  await expect(start).toBeEnabled()
  await expect(page.getByTestId('custom-label')).toHaveText('Custom (from vg-relu-he)')

  // Checks that need the dataset, and per-layer messages for the hidden sizes.
  await setField(page, 'batchSize', '9000')
  await expect(fieldError(page, 'batchSize')).toHaveText('9000 is more than the 8000 training images in use.')
  await setField(page, 'batchSize', '100')
  await setField(page, 'network.hidden', '40, 2.5')
  await expect(fieldError(page, 'network.hidden')).toHaveText('layer 2: Must be a whole number.')
  await setField(page, 'network.dropout.ratio', '1')
  await expect(fieldError(page, 'network.dropout.ratio')).toHaveText('Must be less than 1.')
  await expect(start).toBeDisabled()
  await screenshot(page, 'train-form-invalid-en')

  // The seed alone does not make a custom run; Reset brings everything back.
  await page.locator('[data-action="reset-settings"]').click()
  await expect(page.getByTestId('custom-label')).toHaveCount(0)
  await expect(page.locator('[data-field="optimizer.lr"] input')).toHaveValue('0.1')
  await expect(page.locator('[data-field="network.hidden"] input')).toHaveValue('40, 20')
  await expect(page.getByTestId('field-error')).toHaveCount(0)
  await setField(page, 'seed', '7')
  await expect(page.getByTestId('custom-label')).toHaveCount(0)
  await expect(page.locator('[data-action="reset-settings"]')).toBeVisible()
  await expect(start).toBeEnabled()

  // A new optimizer brings its constants; the course's terms in Japanese, the messages too.
  await page.locator('[data-field="optimizer.kind"] select').selectOption('adam')
  await expect(page.locator('[data-field="optimizer.beta2"] input')).toHaveValue('0.999')
  await page.getByTestId('language').selectOption('ja')
  await setField(page, 'optimizer.lr', '-1')
  await expect(fieldError(page, 'optimizer.lr')).toHaveText('0 より大きい値にしてください。')
  await expect(page.getByTestId('custom-label')).toHaveText('カスタム (vg-relu-he から変更)')
  await expect(page.locator('[data-field="optimizer.lr"] label')).toHaveText('学習率')
  await expect(page.getByTestId('settings-form')).toContainText('重み減衰')
  await expect(page.getByTestId('settings-form')).toContainText('ドロップアウト率')
  await expect(page.getByTestId('settings-form')).toContainText('バッチ正規化')
  await screenshot(page, 'train-form-invalid-ja')

  watch.assertNone()
})
