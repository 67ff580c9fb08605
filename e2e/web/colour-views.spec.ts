import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { encode } from 'fast-png'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drawOne, openTrainWithDataset, screenshot, setField, shortRun, watchProblems } from './helpers'
import { canvasColours } from './visual-helpers'
import { seededUniform } from './seeded-uniform'

/*
 * The views on a colour data set, in the browser version: a folder of real 16×16 RGB PNG files (three
 * classes, each a colour; train/ and test/ given, three test images wrongly labelled) is imported through
 * #/data, a short cnn-simple run trains on it and is saved; #/convolution then draws its first layer's
 * filters as RGB pictures, the input in colour and the im2col columns grouped R, G, B; #/models names the
 * classes in the confusion matrix and draws the misread images in colour; #/explain explains a colour test
 * image by its class names (saliency, Grad-CAM on conv1); #/draw asks a colour model for
 * an image file and classifies one; #/weights draws an MLP's units in colour. Then a 100-class matrix, and
 * the accuracy column's "which test images" on MNIST.
 */

const CLASSES = ['red', 'green', 'blue'] as const
const PER_CLASS = 30
const SIDE = 16

/** One RGB image: a bright square of a colour (0 red, 1 green, 2 blue) on a dark, seeded-noise background. */
function squareImage(colour: number, n: number): Uint8Array {
  const data = new Uint8Array(SIDE * SIDE * 3)
  const random = seededUniform(colour * 7919 + n * 104729 + 17)
  const top = 2 + Math.floor(random() * 6)
  const left = 2 + Math.floor(random() * 6)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = y >= top && y < top + 8 && x >= left && x < left + 8
      for (let c = 0; c < 3; c++) data[(y * SIDE + x) * 3 + c] = inside && c === colour ? 170 + Math.floor(random() * 80) : Math.floor(random() * 60)
    }
  }
  return encode({ width: SIDE, height: SIDE, data, channels: 3, depth: 8 })
}

/**
 * squares/train/<class>/ (25 images each) and squares/test/<class>/ (5 each). The last test image of each
 * class has the next class's colour (a wrong label), so a trained model misreads exactly those.
 */
function writeFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'colour-views-'))
  const TEST = 5
  CLASSES.forEach((name, c) => {
    for (const split of ['train', 'test'] as const) mkdirSync(join(root, 'squares', split, name), { recursive: true })
    for (let n = 0; n < PER_CLASS; n++) {
      const split = n < PER_CLASS - TEST ? 'train' : 'test'
      const colour = n === PER_CLASS - 1 ? (c + 1) % 3 : c
      writeFileSync(join(root, 'squares', split, name, `${name}-${String(n).padStart(2, '0')}.png`), squareImage(colour, n))
    }
  })
  return root
}

/** How many pixels of a canvas are coloured (their channels differ by more than a little): 0 for a grey picture. */
async function colouredPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 12) n++
    return n
  })
}

/** No serious or critical axe-core violation in the view as it is now (colour tiles, a class-named matrix…). */
async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(
    serious.map(
      (v) =>
        `${where}: ${v.id} ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`
    )
  ).toEqual([])
}

/** The channel (0 red, 1 green, 2 blue) with the most light in a canvas. */
async function dominantChannel(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height)
    const sums = [0, 0, 0]
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sums[c] += data[i + c]
    return sums.indexOf(Math.max(...sums))
  })
}

async function importSquares(page: Page, dir: string): Promise<void> {
  await page.locator('[data-nav="data"]').click()
  const form = page.getByTestId('import-form')
  await form.getByTestId('import-folder-input').setInputFiles(join(dir, 'squares'))
  await form.locator('[data-field="name"]').fill('Squares')
  await form.locator('[data-action="import"]').click()
  await expect(page.getByTestId('import-outcome')).toHaveAttribute('data-outcome', 'imported', { timeout: 60_000 })
}

let folder: string
test.beforeAll(() => {
  folder = writeFolder()
})
test.afterAll(() => rmSync(folder, { recursive: true, force: true }))

test('a colour run: RGB filters in #/convolution, class names in #/models, an image file in #/draw', async ({ page }) => {
  test.setTimeout(300_000)
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await page.getByTestId('language').selectOption('en')

  // #/draw without any model offers a short run; once it has ended, its network reads a drawing.
  await page.locator('[data-nav="draw"]').click()
  await expect(page.getByTestId('draw-no-model')).toBeVisible()
  await page.getByTestId('draw-train').click()
  await expect(page.getByTestId('draw-model')).toHaveValue('live', { timeout: 120_000 })
  await drawOne(page)
  await expect(page.getByTestId('draw-probabilities').locator('tbody th')).toHaveText(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  await expect(page.getByTestId('draw-guess')).toBeVisible()

  await importSquares(page, folder)

  // A short cnn-simple run on the imported set (it is loaded by the import), then saved.
  await page.locator('[data-nav="train"]').click()
  await expect(page.getByTestId('dataset-select')).toHaveValue('Squares')
  await page.locator('[data-preset-id="cnn-simple"]').click()
  await setField(page, 'iterations', '60')
  await setField(page, 'batchSize', '10')
  await setField(page, 'evalInterval', '20')
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  await page.getByTestId('save-model-name').fill('squares cnn')
  await page.locator('[data-action="save-model"]').click()
  await expect(page.getByTestId('save-model-status')).toContainText('squares cnn')

  // #/convolution: conv1's 30 filters are 3×5×5, drawn as colour pictures on the layer's one scale.
  await page.locator('[data-nav="convolution"]').click()
  const network = page.getByTestId('conv-network')
  const filters = network.getByTestId('conv-filters')
  await expect(filters).toHaveAttribute('data-count', '30', { timeout: 30_000 })
  await expect(filters).toHaveAttribute('data-view', 'colour')
  await expect(filters.locator('h4')).toContainText('30×3×5×5')
  const tiles = network.getByTestId('filter-tile')
  await expect(tiles).toHaveCount(30)
  await expect(tiles.first()).toHaveAttribute('data-channels', '3')
  let coloured = 0
  for (let i = 0; i < 30; i++) coloured += await colouredPixels(tiles.nth(i))
  expect(coloured).toBeGreaterThan(0)

  // The test image in colour, its class named; the im2col matrix over 3 channels: 75 columns, R, G and B.
  await expect(network.getByTestId('map-input')).toHaveAttribute('data-channels', '3')
  expect(await colouredPixels(network.getByTestId('map-input'))).toBeGreaterThan(0)
  await expect(network.getByTestId('conv-maps').locator('h4')).toContainText(/class (red|green|blue)/)
  // Pick a test image whose square has its class's colour (the wrongly labelled ones are for #/models).
  for (let index = 0; index < 15; index++) {
    await network.getByTestId('conv-index').fill(String(index))
    await expect(network.getByTestId('conv-maps').locator('h4')).toContainText(`test image ${index} (class`)
    const named = /class (red|green|blue)/.exec((await network.getByTestId('conv-maps').locator('h4').textContent()) ?? '')![1]
    if (CLASSES.indexOf(named as (typeof CLASSES)[number]) === (await dominantChannel(network.getByTestId('map-input')))) break
  }
  await expect(network.getByTestId('conv-im2col')).toHaveAttribute('data-rows', '144')
  await expect(network.getByTestId('conv-im2col')).toHaveAttribute('data-cols', '75')
  await expect(network.getByTestId('im2col-groups').locator('span')).toHaveText(['R', 'G', 'B'])
  await expect(network.getByTestId('im2col-input')).toHaveAttribute('data-channels', '3')
  // Keyboard: the matrix still moves its selected row.
  await network.getByTestId('im2col-matrix').focus()
  await page.keyboard.press('End')
  await expect(network.getByTestId('im2col-row')).toContainText('Row 143: output (11, 11)')
  // Filters over time: the first layer of a colour run in colour too.
  await expect(page.getByTestId('filter-timeline-colour')).toBeVisible()
  await expect(page.getByTestId('filter-timeline-after').locator('canvas').first()).toHaveAttribute('data-channels', '3')
  await filters.scrollIntoViewIfNeeded()
  await screenshot(page, 'convolution-colour-en')
  await expectAccessible(page, '#/convolution')
  await network.screenshot({ path: 'test-results/screens/convolution-colour-network-en.png' })

  // The blue/red view, one input channel at a time, is still there.
  await network.getByTestId('filter-view-channels').check()
  await expect(filters).toHaveAttribute('data-view', 'channels')
  await expect(network.getByTestId('conv-channel')).toBeVisible()
  await expect(tiles.first()).not.toHaveAttribute('data-channels', '3')
  await network.getByTestId('filter-view-colour').check()
  await expect(filters).toHaveAttribute('data-view', 'colour')

  await page.getByTestId('language').selectOption('ja')
  await expect(network.getByRole('heading', { name: '実際のネットワークから' })).toBeVisible()
  await expect(filters.locator('h4')).toContainText('カラーで見たフィルター')
  await screenshot(page, 'convolution-colour-ja')
  await network.screenshot({ path: 'test-results/screens/convolution-colour-network-ja.png' })
  await page.getByTestId('language').selectOption('en')

  // #/models: what the model takes, which images its accuracy counted, the classes in the matrix.
  await page.locator('[data-nav="models"]').click()
  const row = page.locator('[data-model="squares cnn"]')
  await expect(row.getByTestId('model-takes')).toHaveText('3×16×16, 3 classes')
  await expect(row.getByTestId('model-acc-basis')).toHaveText(/^on all \d+ test images$/)
  await row.locator('[data-action="evaluate"]').click()
  const evaluation = page.getByTestId('model-evaluation')
  const matrix = evaluation.getByTestId('confusion-matrix')
  await expect(matrix).toHaveAttribute('data-classes', '3', { timeout: 60_000 })
  await expect(matrix.locator('thead th.confusion__col .visually-hidden')).toHaveText(['blue', 'green', 'red'])
  await expect(matrix.locator('tbody th')).toHaveText(['blue', 'green', 'red'])
  const cells = (await matrix.locator('tbody td').allTextContents()).map(Number)
  const total = cells.reduce((a, b) => a + b, 0)
  await expect(evaluation).toContainText(`of ${total.toLocaleString('en-US')} images`)
  // The mislabelled test images are misread: drawn in colour, captioned with their class names.
  const thumbs = evaluation.getByTestId('misclassified').locator('li')
  expect(await thumbs.count()).toBeGreaterThan(0)
  await expect(thumbs.first().locator('canvas')).toHaveAttribute('data-channels', '3')
  expect(await colouredPixels(thumbs.first().locator('canvas'))).toBeGreaterThan(0)
  await expect(thumbs.first()).toContainText(/(red|green|blue) → (red|green|blue)/)
  await expect(evaluation).toContainText(`Misclassified test images (${await thumbs.count()})`)
  await screenshot(page, 'models-colour-en')
  await expectAccessible(page, '#/models')
  // The matrix's box is reachable with the keyboard (a wide one scrolls).
  await evaluation.getByTestId('confusion-box').focus()
  await expect(evaluation.getByTestId('confusion-box')).toBeFocused()
  await page.getByTestId('language').selectOption('ja')
  await expect(evaluation.locator('caption').first()).toContainText('正解のクラス')
  await screenshot(page, 'models-colour-ja')
  await page.getByTestId('language').selectOption('en')

  // #/explain on the imported set: the colour image, its classes by name, a map and Grad-CAM on conv1.
  await page.locator('[data-nav="explain"]').click()
  await page.getByTestId('explain-model').selectOption({ label: 'squares cnn' })
  const explained = page.getByTestId('explain-result')
  await expect(explained).toHaveAttribute('data-method', 'saliency', { timeout: 60_000 })
  await expect(explained.getByTestId('explain-answer')).toHaveText(/^label (red|green|blue) · the model says (red|green|blue); explained: (red|green|blue)$/)
  expect(await colouredPixels(explained.getByTestId('explain-image'))).toBeGreaterThan(0)
  expect(await canvasColours(explained.getByTestId('explain-map'))).toBeGreaterThan(5)
  await expect(explained.getByTestId('draw-probabilities').locator('tbody th')).toHaveText(['blue', 'green', 'red'])
  await page.getByTestId('explain-method').selectOption('gradcam')
  await expect(explained).toHaveAttribute('data-method', 'gradcam', { timeout: 30_000 })
  await expect(explained).toContainText('conv1')
  await expect(page.getByRole('alert')).toHaveCount(0)

  // #/draw: a colour model takes an image file, not a drawing; a red square is read with the class names.
  await page.locator('[data-nav="draw"]').click()
  await page.getByTestId('draw-model').selectOption({ label: 'squares cnn' })
  await expect(page.getByTestId('draw-needs')).toHaveText('This model takes 16×16 colour images: drop or pick an image file.')
  await expect(page.getByTestId('draw-canvas')).toHaveCount(0)
  await page.getByTestId('image-file-input').setInputFiles({ name: 'red.png', mimeType: 'image/png', buffer: Buffer.from(squareImage(0, 996)) })
  const seen = page.getByTestId('draw-seen-file')
  await expect(seen).toHaveAttribute('data-channels', '3')
  await expect(seen).toHaveAttribute('data-rows', '16')
  const red = await seen.evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height)
    let r = 0
    let g = 0
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]
      g += data[i + 1]
    }
    return r > 1.5 * g
  })
  expect(red).toBe(true)
  await expect(page.getByTestId('draw-probabilities').locator('tbody th')).toHaveText(['blue', 'green', 'red'])
  await expect(page.getByTestId('draw-guess')).toContainText(/The model's answer: (red|green|blue)/)
  await screenshot(page, 'draw-colour-en')
  await expectAccessible(page, '#/draw')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByTestId('draw-needs')).toHaveText('このモデルは 16×16 のカラー画像を受け取ります。画像ファイルをドロップするか選んでください。')
  await screenshot(page, 'draw-colour-ja')
  await page.getByTestId('language').selectOption('en')

  // An MLP on the same data: #/weights draws its first-layer units as 16×16 colour images, and #/draw offers
  // this session's network (the run that just ended) for image files.
  await page.locator('[data-nav="train"]').click()
  await shortRun(page, 'vg-relu-he', 100)
  await setField(page, 'batchSize', '10') // the set has 75 training images
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  await page.locator('[data-nav="weights"]').click()
  const units = page.getByTestId('weights-units')
  await expect(units).toHaveAttribute('data-channels', '3', { timeout: 30_000 })
  await expect(units.locator('canvas').first()).toHaveAttribute('data-channels', '3')
  await expect(units.locator('canvas').first()).toHaveAttribute('data-rows', '16')
  expect(await colouredPixels(units.locator('canvas').first())).toBeGreaterThan(0)
  await expect(page.getByTestId('weights-units-shape')).toContainText('16×16 colour image')
  await screenshot(page, 'weights-colour-en')
  await page.locator('[data-nav="draw"]').click()
  await expect(page.getByTestId('draw-model')).toHaveValue('live')
  await expect(page.getByTestId('draw-needs')).toContainText('16×16 colour images')
  await page.getByTestId('image-file-input').setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: Buffer.from(squareImage(2, 996)) })
  await expect(page.getByTestId('draw-seen-file')).toHaveAttribute('data-channels', '3')
  await expect(page.getByTestId('draw-probabilities').locator('tbody tr')).toHaveCount(3)
  // A file dropped anywhere on the view is classified too: a green square this time.
  const green = Array.from(squareImage(1, 996))
  const drop = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([new Uint8Array(bytes)], 'green.png', { type: 'image/png' }))
    return transfer
  }, green)
  await page.getByTestId('draw-view').locator('h2').dispatchEvent('drop', { dataTransfer: drop })
  await expect(page.getByTestId('draw-seen-file')).toHaveAttribute('aria-label', /green\.png/)
  expect(await dominantChannel(page.getByTestId('draw-seen-file'))).toBe(1)

  watcher.assertNone()
})

/** 100 classes, CIFAR-100-like names, 6 small grey images each: a wide confusion matrix. */
const WORDS = ['apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle']
const manyName = (k: number): string => `${WORDS[k % 10]}_${String(k).padStart(2, '0')}`

function writeManyClasses(): string {
  const root = mkdtempSync(join(tmpdir(), 'colour-views-many-'))
  for (let k = 0; k < 100; k++) {
    mkdirSync(join(root, 'many', manyName(k)), { recursive: true })
    for (let n = 0; n < 6; n++) {
      // The class's number written in the pixels' brightness pattern, with a little noise.
      const data = new Uint8Array(8 * 8)
      for (let p = 0; p < 64; p++) data[p] = ((k >> (p % 7)) & 1) * 180 + ((p * 31 + n * 17 + k) % 50)
      writeFileSync(join(root, 'many', manyName(k), `${n}.png`), encode({ width: 8, height: 8, data, channels: 1, depth: 8 }))
    }
  }
  return root
}

test('100 classes: the confusion matrix names them all, scrolls in its box with its headers, and stays accessible', async ({ page }) => {
  test.setTimeout(240_000)
  const watcher = watchProblems(page)
  const root = writeManyClasses()
  try {
    await openTrainWithDataset(page)
    await page.getByTestId('language').selectOption('en')
    await page.locator('[data-nav="data"]').click()
    const form = page.getByTestId('import-form')
    await form.getByTestId('import-folder-input').setInputFiles(join(root, 'many'))
    await form.locator('[data-field="name"]').fill('Many')
    await form.locator('[data-action="import"]').click()
    await expect(page.getByTestId('import-outcome')).toHaveAttribute('data-outcome', 'imported', { timeout: 60_000 })

    await page.locator('[data-nav="train"]').click()
    await shortRun(page, 'vg-relu-he', 200)
    await setField(page, 'batchSize', '50')
    await page.locator('[data-action="start"]').click()
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
    await page.getByTestId('save-model-name').fill('many mlp')
    await page.locator('[data-action="save-model"]').click()
    await expect(page.getByTestId('save-model-status')).toContainText('many mlp')

    await page.locator('[data-nav="models"]').click()
    const row = page.locator('[data-model="many mlp"]')
    await expect(row.getByTestId('model-takes')).toHaveText('1×8×8, 100 classes')
    await expect(row).toContainText('MLP 64-')
    await row.locator('[data-action="evaluate"]').click()
    const matrix = page.getByTestId('confusion-matrix')
    await expect(matrix).toHaveAttribute('data-classes', '100', { timeout: 60_000 })
    await expect(matrix.locator('thead th.confusion__col')).toHaveCount(100)
    await expect(matrix.locator('tbody tr')).toHaveCount(100)
    // Every column's full name is its accessible name; the shown label is at most 12 characters.
    // The import orders classes by folder name: apple_00 … apple_90, then aquarium_fish_01, …
    const names = Array.from({ length: 100 }, (_, k) => manyName(k)).sort()
    await expect(matrix.locator('tbody th')).toHaveText(names)
    await expect(matrix.locator('thead th.confusion__col .visually-hidden').nth(10)).toHaveText('aquarium_fish_01')
    await expect(matrix.locator('thead th.confusion__col [aria-hidden="true"]').nth(10)).toHaveText('aquarium_fi…')
    const cells = (await matrix.locator('tbody td').allTextContents()).map(Number)
    expect(cells.reduce((a, b) => a + b, 0)).toBe(100)

    // The box scrolls, and the header row stays at its top while it does.
    const box = page.getByTestId('confusion-box')
    const size = await box.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, scrollW: el.scrollWidth, clientW: el.clientWidth }))
    expect(size.scroll).toBeGreaterThan(size.client)
    expect(size.scrollW).toBeGreaterThan(size.clientW)
    await box.focus()
    await page.keyboard.press('PageDown')
    await page.keyboard.press('PageDown')
    await expect.poll(() => box.evaluate((el) => el.scrollTop)).toBeGreaterThan(0)
    const headerTop = await matrix
      .locator('thead th.confusion__col')
      .first()
      .evaluate((el) => el.getBoundingClientRect().top)
    const boxTop = await box.evaluate((el) => el.getBoundingClientRect().top)
    expect(Math.abs(headerTop - boxTop)).toBeLessThan(4)
    await box.evaluate((el) => el.scrollTo(0, 0))
    await screenshot(page, 'models-100-classes-en')
    await expectAccessible(page, '#/models with 100 classes')
    watcher.assertNone()
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('the model library says which test images an accuracy counted: a cnn-simple checkpoint on 1,000, Evaluate on all 2,000', async ({ page }) => {
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await page.getByTestId('language').selectOption('en')
  await shortRun(page, 'cnn-simple', 20)
  await setField(page, 'evalInterval', '10')
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  await page.getByTestId('save-model-name').fill('cnn 20')
  await page.locator('[data-action="save-model"]').click()
  await expect(page.getByTestId('save-model-status')).toContainText('cnn 20')

  await page.locator('[data-nav="models"]').click()
  const row = page.locator('[data-model="cnn 20"]')
  // The course's cnn-simple tests on the first 1,000 test images (its test limit).
  await expect(row.getByTestId('model-acc-basis')).toHaveText('on the first 1,000 of 2,000 test images')
  const listed = await row.getByTestId('model-acc').textContent()
  await row.locator('[data-action="evaluate"]').click()
  const evaluation = page.getByTestId('model-evaluation')
  await expect(evaluation.getByTestId('confusion-matrix')).toHaveAttribute('data-classes', '10', { timeout: 60_000 })
  await expect(evaluation.getByTestId('listed-vs-evaluated')).toContainText(
    `The library lists ${listed}: the run's last evaluation, on the first 1,000 of 2,000 test images.`
  )
  await expect(evaluation).toContainText(' of 2,000 images)')
  const measured = Number(await evaluation.getByTestId('evaluation-acc').textContent())
  await expect(evaluation.getByTestId('listed-vs-evaluated')).toContainText(
    `Evaluate measured ${(measured * 100).toFixed(2)}% on all 2,000 test images of the loaded data`
  )
  await expect(evaluation.getByTestId('confusion-matrix').locator('tbody th')).toHaveText(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  await screenshot(page, 'models-basis-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(row.getByTestId('model-acc-basis')).toHaveText('テスト画像 2,000 枚のうち先頭 1,000 枚で測定')
  await screenshot(page, 'models-basis-ja')
  watcher.assertNone()
})
