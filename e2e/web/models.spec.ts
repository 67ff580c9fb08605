import { expect, test } from '@playwright/test'
import { drawOne, numberAttr, openTrainWithDataset, screenshot, shortRun, watchProblems } from './helpers'

/*
 * Models that last, as the "done when" says: train a model, save it, reload the page, find it in
 * #/models, evaluate it to the same accuracy as the run ended with, and draw a digit for it in #/draw.
 */
test('train, save, reload, evaluate to the same accuracy, draw a digit', async ({ page }) => {
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 300)
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  const runTestAcc = await numberAttr(page, '[data-testid="generation"]', 'data-test-acc')
  expect(runTestAcc).toBeGreaterThan(0.5)

  await page.getByTestId('save-model-name').fill('he 300')
  await page.locator('[data-action="save-model"]').click()
  await expect(page.getByTestId('save-model-status')).toContainText('he 300')

  // Saving over the same name asks first; declining leaves one model.
  page.once('dialog', (dialog) => void dialog.dismiss())
  await page.locator('[data-action="save-model"]').click()

  await page.reload()
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready')
  await page.locator('[data-nav="models"]').click()
  await expect(page).toHaveURL(/#\/models$/)
  const row = page.locator('[data-model="he 300"]')
  await expect(row).toHaveCount(1)
  await expect(row.getByTestId('model-acc')).toHaveText(`${(runTestAcc * 100).toFixed(2)}%`)

  await row.locator('[data-action="evaluate"]').click()
  const evaluation = page.getByTestId('model-evaluation')
  await expect(evaluation.getByTestId('evaluation-acc')).toHaveText(String(runTestAcc), { timeout: 60_000 })
  await expect(evaluation.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(10)
  await expect(evaluation.getByTestId('misclassified').locator('canvas').first()).toBeVisible()
  await expect(evaluation.getByTestId('dataset-note')).toHaveCount(0)
  await screenshot(page, 'models-en')

  // Export: the stored file as it is, and ONNX made by the engine in its worker.
  const [onnx] = await Promise.all([page.waitForEvent('download'), row.locator('[data-action="export-onnx"]').click()])
  expect(onnx.suggestedFilename()).toBe('he 300.onnx')
  const [safetensors] = await Promise.all([page.waitForEvent('download'), row.locator('[data-action="export-safetensors"]').click()])
  expect(safetensors.suggestedFilename()).toBe('he 300.safetensors')
  // The run as a PyTorch project (issue 20), one .zip made in the page.
  const [pytorch] = await Promise.all([page.waitForEvent('download'), row.locator('[data-action="export-pytorch"]').click()])
  expect(pytorch.suggestedFilename()).toBe('he 300-pytorch.zip')

  // A file that is not a model: named, and the library unchanged.
  await page
    .getByTestId('model-file-input')
    .setInputFiles({ name: 'notes.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model at all, just text') })
  await expect(page.getByTestId('import-problems')).toContainText('notes.safetensors')
  await expect(page.locator('[data-model]')).toHaveCount(1)

  // Draw a "1": one vertical stroke.
  await page.locator('[data-nav="draw"]').click()
  await expect(page.getByTestId('draw-model')).toHaveValue(/model-/)
  const { pad: canvas, box } = await drawOne(page)
  await expect(page.getByTestId('draw-seen')).toBeVisible()
  const bars = page.getByTestId('draw-probabilities').locator('tbody tr')
  await expect(bars).toHaveCount(10)
  await expect(page.getByTestId('draw-guess')).toBeVisible()
  await screenshot(page, 'draw-en')
  await page.locator('[data-action="undo"]').click()
  await expect(page.locator('[data-action="clear"]')).toBeDisabled()
  await canvas.press('Control+z') // nothing left to undo: no error
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3)
  await page.mouse.down()
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.3 + 0.05 * i), box.y + box.height * 0.3)
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.7 - 0.03 * i), box.y + box.height * (0.3 + 0.06 * i))
  await page.mouse.up()
  await expect(page.getByTestId('draw-guess')).toBeVisible()
  await page.locator('select').filter({ hasText: 'English' }).selectOption('ja')
  await expect(page.getByRole('heading', { name: '数字を描く' })).toBeVisible()
  await screenshot(page, 'draw-ja')
  await page.locator('[data-nav="models"]').click()
  await row.locator('[data-action="evaluate"]').click()
  await expect(page.getByTestId('model-evaluation').getByTestId('evaluation-acc')).toHaveText(String(runTestAcc), { timeout: 60_000 })
  await screenshot(page, 'models-ja')
  watcher.assertNone()

  // A reload straight onto #/draw (after the check above: a reload aborts the old page's requests): the
  // library is read after the view mounts and the data load after it, yet the saved model is picked,
  // opened without a problem and reads a drawing.
  await page.goto('/#/draw')
  await page.reload()
  await expect(page.getByTestId('draw-model')).toHaveValue(/model-/)
  await drawOne(page)
  await expect(page.getByTestId('draw-guess')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('draw-probabilities').locator('tbody tr')).toHaveCount(10)
  await expect(page.getByRole('alert')).toHaveCount(0)
})
