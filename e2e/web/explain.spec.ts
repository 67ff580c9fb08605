import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { encode } from 'fast-png'
import { openTrainWithDataset, screenshot, watchProblems } from './helpers'
import { canvasColours, canvasPixels } from './visual-helpers'

/** Serious or critical axe violations on the page as it is now (or in one part of it). */
async function axeProblems(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page })
  const results = await (include ? builder.include(include) : builder).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
}

/** A 28×28 grey PNG of a "1": a white vertical bar on black, as MNIST digits are. */
function barPng(): Uint8Array {
  const data = new Uint8Array(28 * 28)
  for (let y = 5; y < 23; y++) for (let x = 13; x < 16; x++) data[y * 28 + x] = 255
  return encode({ width: 28, height: 28, data, channels: 1, depth: 8 })
}

async function openExplain(page: Page): Promise<void> {
  await page.locator('[data-nav="explain"]').click()
  await expect(page).toHaveURL(/#\/explain$/)
}

test('#/explain: a short cnn-simple run explained by saliency, integrated gradients and Grad-CAM on its conv layer, by keyboard and mouse', async ({
  page
}) => {
  test.setTimeout(300_000)
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await openExplain(page)

  // No network yet: one line saying what to do, and a short conv run to start.
  await expect(page.getByTestId('explain-no-model')).toBeVisible()
  await page.getByTestId('explain-train').click()
  const result = page.getByTestId('explain-result')
  await expect(result).toBeVisible({ timeout: 200_000 })
  await expect(page.getByTestId('explain-model')).toHaveValue('live')

  // Saliency for test image 0, the predicted class: a magnitude map on a sequential scale from 0.
  await expect(result).toHaveAttribute('data-method', 'saliency')
  await expect(page.getByTestId('explain-measures')).toContainText('sensitivity, not evidence')
  await expect(result.getByTestId('explain-answer')).toContainText(/^label \d · the model says \d; explained: \d$/)
  const legend = result.getByTestId('map-legend')
  await expect(legend).toHaveAttribute('data-kind', 'magnitude')
  await expect(legend).toHaveAttribute('data-lo', '0')
  expect(Number(await legend.getAttribute('data-hi'))).toBeGreaterThan(0)
  expect(await canvasColours(result.getByTestId('explain-map'))).toBeGreaterThan(20)
  expect(await canvasColours(result.getByTestId('explain-overlay'))).toBeGreaterThan(20)
  await expect(result.getByTestId('draw-probabilities').locator('tbody tr')).toHaveCount(10)
  const firstMap = await canvasPixels(result.getByTestId('explain-map'))

  // Next image by the mouse, then by the → key on the stepper.
  await page.locator('[data-action="next"]').click()
  await expect(page.getByTestId('explain-index')).toHaveValue('1')
  await expect(result).toContainText('test image 1')
  await expect.poll(() => canvasPixels(result.getByTestId('explain-map'))).not.toBe(firstMap)
  await page.locator('[data-action="next"]').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('explain-index')).toHaveValue('2')
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('explain-index')).toHaveValue('1')
  await expect(result).toContainText('test image 1')

  // Integrated gradients: a signed map (diverging scale around 0) and the completeness check.
  await page.getByTestId('explain-method').selectOption('integrated')
  await expect(result).toHaveAttribute('data-method', 'integrated')
  await expect(legend).toHaveAttribute('data-kind', 'signed')
  expect(Number(await legend.getAttribute('data-lo'))).toBe(-Number(await legend.getAttribute('data-hi')))
  await expect(result.getByTestId('explain-completeness')).toHaveAttribute('data-ok', 'true')
  await expect(result.getByTestId('explain-completeness')).toContainText('Within 1 %')

  // Any class by name: the map is then for that class.
  await page.getByTestId('explain-class').selectOption({ label: '3' })
  await expect(result.getByTestId('explain-answer')).toContainText('explained: 3')
  await expect(result.getByTestId('explanation-maps')).toHaveAttribute('data-class', '3')
  await page.getByTestId('explain-class').selectOption({ label: 'the predicted class' })

  // Grad-CAM on cnn-simple's conv layer.
  await page.getByTestId('explain-method').selectOption('gradcam')
  await expect(page.getByTestId('explain-layer')).toHaveValue('conv1')
  await expect(result).toHaveAttribute('data-method', 'gradcam')
  await expect(result).toContainText('layer conv1')
  await expect(legend).toHaveAttribute('data-kind', 'magnitude')
  await expect(page.getByTestId('explain-measures')).toContainText('conv layer found evidence')

  expect(await axeProblems(page)).toEqual([])

  // An image file, picked: the engine converts it to the model's input, and that image is explained.
  await page.getByTestId('image-file-input').setInputFiles({ name: 'bar.png', mimeType: 'image/png', buffer: Buffer.from(barPng()) })
  await expect(result).toContainText('image file bar.png')
  await expect(result.getByTestId('explain-answer')).toContainText(/^the model says \d; explained: \d$/)
  expect(await canvasColours(result.getByTestId('explain-image'))).toBe(2)
  // Back to the data by the stepper, from the image it stood on (1).
  await expect(page.getByTestId('explain-index')).toHaveValue('1')
  await page.locator('[data-action="next"]').click()
  await expect(result).toContainText('test image 2')

  await page.getByTestId('explain-method').selectOption('saliency')
  await expect(result).toHaveAttribute('data-method', 'saliency')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await page.mouse.move(0, 0)
  await screenshot(page, 'explain-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('[data-nav="explain"]')).toHaveText('説明')
  await expect(page.getByRole('heading', { name: 'なぜそう答えたのか' })).toBeVisible()
  await page.getByTestId('explain-method').selectOption('integrated')
  await expect(result.getByTestId('explain-completeness')).toContainText('1 % 以内です')
  await screenshot(page, 'explain-ja')
  await page.getByTestId('language').selectOption('en')

  // #/models: a click on a misclassified image shows saliency and Grad-CAM for its true and predicted class.
  await page.locator('[data-nav="train"]').click()
  await page.getByTestId('save-model-name').fill('cnn explain')
  await page.locator('[data-action="save-model"]').click()
  await expect(page.getByTestId('save-model-status')).toContainText('cnn explain')
  await page.locator('[data-nav="models"]').click()
  await page.locator('[data-model="cnn explain"] [data-action="evaluate"]').click()
  const evaluation = page.getByTestId('model-evaluation')
  await expect(evaluation.getByTestId('evaluation-acc')).not.toBeEmpty({ timeout: 60_000 })
  const thumb = evaluation.locator('[data-action="explain-misclassified"]').first()
  const trueName = await thumb.locator('xpath=..').getAttribute('data-label')
  const predictedName = await thumb.locator('xpath=..').getAttribute('data-predicted')
  await thumb.click()
  const pair = evaluation.getByTestId('misclassified-explain')
  await expect(pair).toBeVisible()
  await expect(pair.locator('[data-column="true"] [data-testid="explanation-maps"]')).toHaveCount(2)
  await expect(pair.locator('[data-column="predicted"] [data-testid="explanation-maps"]')).toHaveCount(2)
  await expect(pair.locator('[data-column="true"] [data-method="gradcam"]')).toHaveAttribute('data-class', trueName!)
  await expect(pair.locator('[data-column="predicted"] [data-method="saliency"]')).toHaveAttribute('data-class', predictedName!)
  await expect(pair.locator('[data-column="true"]')).toContainText(`For the true class (${trueName})`)
  expect(await canvasColours(pair.locator('[data-column="predicted"] [data-testid="explain-overlay"]').first())).toBeGreaterThan(10)
  // Keyboard: Escape closes the maps; Enter on a thumbnail opens them again.
  await page.keyboard.press('Escape')
  await expect(pair).toHaveCount(0)
  await thumb.focus()
  await page.keyboard.press('Enter')
  await expect(pair.locator('[data-testid="explanation-maps"]')).toHaveCount(4)
  await expect(page.getByRole('alert')).toHaveCount(0)
  await pair.scrollIntoViewIfNeeded()
  expect(await axeProblems(page, '[data-testid="misclassified-explain"]')).toEqual([])
  await screenshot(page, 'models-explain-en')

  // #/draw: the map painted on the drawing, following the strokes as the probabilities do.
  await page.locator('[data-nav="draw"]').click()
  await expect(page.getByTestId('draw-model')).toHaveValue(/model-/)
  const pad = page.getByTestId('draw-canvas')
  const box = (await pad.boundingBox())!
  const stroke = async (x0: number, y0: number, x1: number, y1: number): Promise<void> => {
    await page.mouse.move(box.x + box.width * x0, box.y + box.height * y0)
    await page.mouse.down()
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (x0 + ((x1 - x0) * i) / 12), box.y + box.height * (y0 + ((y1 - y0) * i) / 12))
    await page.mouse.up()
  }
  await stroke(0.3, 0.2, 0.7, 0.2)
  await stroke(0.7, 0.2, 0.45, 0.85)
  await expect(page.getByTestId('draw-guess')).toBeVisible()
  await expect(page.getByTestId('draw-overlay')).toHaveCount(0)
  // The toggle by keyboard.
  await page.getByTestId('draw-overlay-toggle').focus()
  await page.keyboard.press('Space')
  const layer = page.getByTestId('draw-overlay')
  await expect(layer).toBeVisible()
  expect(Number(await layer.getAttribute('data-cells'))).toBeGreaterThan(20)
  await expect(page.getByTestId('map-legend')).toHaveAttribute('data-kind', 'magnitude')
  const before = await canvasPixels(layer)
  await stroke(0.35, 0.55, 0.6, 0.55)
  await expect.poll(() => canvasPixels(layer)).not.toBe(before)
  // Another method, signed: the legend turns diverging.
  await page.getByTestId('draw-overlay-method').selectOption('gradxinput')
  await expect(page.getByTestId('map-legend')).toHaveAttribute('data-kind', 'signed')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await page.getByTestId('draw-overlay-method').selectOption('saliency')
  await expect(page.getByTestId('map-legend')).toHaveAttribute('data-kind', 'magnitude')
  await page.mouse.move(0, 0)
  expect(await axeProblems(page)).toEqual([])
  await screenshot(page, 'draw-overlay-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByText('描いた数字にマップを重ねる')).toBeVisible()
  await screenshot(page, 'draw-overlay-ja')
  // Off: the layer goes, the drawing stays.
  await page.getByTestId('draw-overlay-toggle').uncheck()
  await expect(layer).toHaveCount(0)
  await page.getByTestId('language').selectOption('en')

  watch.assertNone()

  // A reload straight onto #/explain (a reload aborts the old page's requests, so after the check above):
  // no session network any more, the saved model answers once the engine and its data are ready.
  await page.goto('/#/explain')
  await page.reload()
  await expect(page.getByTestId('explain-model')).toHaveValue(/model-/)
  await expect(page.getByTestId('explain-result')).toHaveAttribute('data-method', 'saliency', { timeout: 60_000 })
  await expect(page.getByTestId('explain-result')).toContainText('test image 0')
  await expect(page.getByRole('alert')).toHaveCount(0)
})
