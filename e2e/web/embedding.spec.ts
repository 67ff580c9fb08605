import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { openTrainWithDataset, screenshot, shortRun, watchProblems } from './helpers'
import { canvasColours, canvasPixels } from './visual-helpers'

/** Moves the pointer over the scatter's middle until a point's image shows; true when one did. */
async function hoverAPoint(page: Page, scatter: Locator): Promise<boolean> {
  const rect = (await scatter.boundingBox())!
  for (let gy = 0.3; gy <= 0.7; gy += 0.05) {
    for (let gx = 0.3; gx <= 0.7; gx += 0.05) {
      await page.mouse.move(rect.x + rect.width * gx, rect.y + rect.height * gy)
      if ((await page.getByTestId('embedding-hover').locator('figure[data-index]').count()) > 0) return true
    }
  }
  return false
}

/** Serious or critical axe violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
}

test('#/embedding: a conv run recording its embedding, replayed over its evaluations; a network now; a box by mouse and keyboard; errors over training in #/compare', async ({
  page
}) => {
  test.setTimeout(400_000)
  const watch = watchProblems(page)
  await openTrainWithDataset(page)

  // A short conv run with "Record the embedding at each evaluation" ticked in its settings.
  await shortRun(page, 'cnn-simple', 60)
  const settings = page.getByTestId('embedding-settings')
  await settings.locator('[data-field-input="embedding"]').check()
  await expect(settings.locator('[data-field-input="embedding.method"]')).toHaveValue('pca')
  await settings.locator('[data-field-input="embedding.n"]').fill('300')
  await settings.locator('[data-field-input="embedding.n"]').press('Tab')
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 240_000 })

  // The run's evaluations, replayed: points drawn, and the slider changes the picture.
  await page.locator('[data-nav="embedding"]').click()
  await expect(page).toHaveURL(/#\/embedding$/)
  await page.getByTestId('embedding-mode-run').check()
  const scatter = page.getByTestId('embedding-scatter')
  await expect(scatter).toHaveAttribute('data-points', '300')
  expect(await canvasColours(scatter)).toBeGreaterThan(8)
  await expect(page.getByTestId('embedding-legend').locator('li')).toHaveCount(10)
  const slider = page.getByTestId('embedding-slider')
  // Snapshots at the start and at each of the 6 evaluations.
  expect(Number(await slider.getAttribute('max'))).toBeGreaterThanOrEqual(5)
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 60')
  const atEnd = await canvasPixels(scatter)
  await slider.focus()
  await page.keyboard.press('Home')
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 0 ')
  const atStart = await canvasPixels(scatter)
  expect(atStart).not.toBe(atEnd)
  // One step by the keyboard glides to the next evaluation.
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 10 ')
  await expect.poll(() => canvasPixels(scatter)).not.toBe(atStart)
  await page.keyboard.press('End')
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 60')
  // Play from the start: the picture moves through every evaluation to the last.
  await page.keyboard.press('Home')
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 0 ')
  await page.locator('[data-action="play"]').click()
  const iterShown = async (): Promise<number> => Number(/iteration (\d+)/.exec(await page.getByTestId('embedding-iter').innerText())?.[1])
  await expect.poll(async () => ((n) => n > 0 && n < 60)(await iterShown()), { intervals: [50], timeout: 10_000 }).toBe(true)
  await expect(page.getByTestId('embedding-iter')).toContainText('iteration 60', { timeout: 10_000 })
  expect(await canvasPixels(scatter)).toBe(atEnd)

  // A box by mouse drag: the images inside are listed with their classes.
  const rect = (await scatter.boundingBox())!
  await page.mouse.move(rect.x + rect.width * 0.2, rect.y + rect.height * 0.2)
  await page.mouse.down()
  await page.mouse.move(rect.x + rect.width * 0.5, rect.y + rect.height * 0.5, { steps: 6 })
  await page.mouse.move(rect.x + rect.width * 0.8, rect.y + rect.height * 0.8, { steps: 6 })
  await page.mouse.up()
  await expect(scatter).toHaveAttribute('data-box', 'yes')
  const selection = page.getByTestId('embedding-selection')
  await expect(selection).toBeVisible()
  const inBox = Number(await selection.getAttribute('data-count'))
  expect(inBox).toBeGreaterThan(0)
  expect(inBox).toBeLessThan(300)
  await expect(selection.locator('button[data-index]').first()).toContainText(/true: \d/)
  await expect(selection.locator('canvas').first()).toBeVisible()

  // Hover: the image under the pointer.
  await page.getByTestId('embedding-mode-now').check()
  await expect(page.getByTestId('embedding-model')).toHaveValue('live')
  await expect(page.getByTestId('embedding-line')).toContainText('1000 test images', { timeout: 60_000 })
  await expect(scatter).toHaveAttribute('data-points', '1000')
  expect(await hoverAPoint(page, scatter)).toBe(true)
  await expect(page.getByTestId('embedding-hover').locator('canvas')).toBeVisible()

  // The box by keyboard: the arrows bring it up and move it, Escape clears it.
  await scatter.focus()
  await page.keyboard.press('ArrowRight')
  await expect(scatter).toHaveAttribute('data-box', 'yes')
  await expect(selection).toBeVisible()
  const first = Number(await selection.getAttribute('data-count'))
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Shift+ArrowUp')
  await expect.poll(async () => Number(await selection.getAttribute('data-count'))).toBeGreaterThanOrEqual(first)
  await page.keyboard.press('Escape')
  await expect(scatter).toHaveAttribute('data-box', 'no')
  await expect(selection).toHaveCount(0)
  await page.keyboard.press('ArrowLeft')
  await expect(selection).toBeVisible()

  // t-SNE by the controls, same seed: the same picture twice.
  await page.getByTestId('embedding-method').selectOption('tsne')
  await page.getByTestId('embedding-n').fill('200')
  await page.getByTestId('embedding-n').press('Tab')
  await page.locator('[data-action="embed"]').click()
  await expect(page.getByTestId('embedding-line')).toContainText('t-SNE', { timeout: 120_000 })
  await expect(scatter).toHaveAttribute('data-points', '200')
  const tsne = await canvasPixels(scatter)
  const firstRequest = await page.getByTestId('embedding-line').getAttribute('data-request')
  await page.locator('[data-action="embed"]').click()
  await expect(page.getByTestId('embedding-line')).not.toHaveAttribute('data-request', firstRequest!, { timeout: 120_000 })
  expect(await canvasPixels(scatter)).toBe(tsne)
  expect(await axeProblems(page)).toEqual([])
  // Screenshots of "a network now" (this t-SNE picture), in English and in Japanese.
  expect(await hoverAPoint(page, scatter)).toBe(true)
  await screenshot(page, 'embedding-now-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByText('現在のネットワーク', { exact: true })).toBeVisible()
  expect(await hoverAPoint(page, scatter)).toBe(true)
  await expect(page.getByTestId('embedding-hover')).toContainText('正解')
  await screenshot(page, 'embedding-now-ja')
  await page.getByTestId('language').selectOption('en')

  // Screenshots of the run's replay with a box, in English and in Japanese.
  await page.getByTestId('embedding-mode-run').check()
  await expect(scatter).toHaveAttribute('data-points', '300')
  await scatter.focus()
  await page.keyboard.press('ArrowUp')
  await expect(selection).toBeVisible()
  expect(await hoverAPoint(page, scatter)).toBe(true)
  expect(await axeProblems(page)).toEqual([])
  await screenshot(page, 'embedding-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('[data-nav="embedding"]')).toHaveText('埋め込み')
  await expect(page.getByRole('heading', { name: 'ネットワークの中でクラスが分かれていく様子' })).toBeVisible()
  await expect(page.getByTestId('embedding-iter')).toContainText('反復')
  // Choosing the language took the pointer away from the plot: point at a dot again.
  expect(await hoverAPoint(page, scatter)).toBe(true)
  await expect(page.getByTestId('embedding-hover')).toContainText('正解')
  expect(await axeProblems(page)).toEqual([])
  await screenshot(page, 'embedding-ja')
  await page.getByTestId('language').selectOption('en')

  // Open an image of the selection in #/explain.
  const pick = selection.locator('button[data-index]').first()
  const index = await pick.getAttribute('data-index')
  await pick.click()
  await expect(page).toHaveURL(/#\/explain$/)
  await expect(page.getByTestId('explain-index')).toHaveValue(index!)

  // #/compare: the run's confusion matrix replayed over its evaluations, and each class's accuracy.
  await page.locator('[data-nav="compare"]').click()
  await page.locator('[data-action="compare"]').first().check()
  const errors = page.getByTestId('errors-over-training')
  await expect(errors).toBeVisible()
  const confusionSlider = errors.getByTestId('confusion-slider')
  await expect(errors.getByTestId('confusion-iter')).toContainText('iteration 60')
  const lastMatrix = await errors.getByTestId('confusion-matrix').innerText()
  await confusionSlider.focus()
  await page.keyboard.press('Home')
  await expect(errors.getByTestId('confusion-iter')).toContainText(/evaluation 1 of \d+/)
  expect(await errors.getByTestId('confusion-matrix').innerText()).not.toBe(lastMatrix)
  await page.keyboard.press('ArrowRight')
  await expect(errors.getByTestId('confusion-iter')).toContainText(/evaluation 2 of \d+/)
  await expect(errors.getByTestId('class-accuracy')).toHaveAttribute('data-series-count', '10')
  await errors.scrollIntoViewIfNeeded()
  expect(await axeProblems(page)).toEqual([])
  await screenshot(page, 'confusion-replay-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(errors.getByTestId('confusion-iter')).toContainText('評価 2 /')
  await screenshot(page, 'confusion-replay-ja')
  watch.assertNone()
})
