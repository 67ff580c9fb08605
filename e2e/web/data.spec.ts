import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { encode } from 'fast-png'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openTrainWithDataset, screenshot, setField, watchProblems } from './helpers'
import { seededUniform } from './seeded-uniform'

/*
 * #/data in the browser version: a folder of real PNG files (3 colour classes × 20 images, 12×12 RGB,
 * plus one file that is not an image) is imported through the directory input into IndexedDB, listed
 * with its counts, its classes charted, its images drawn per class; MNIST and it are used in turn, and a
 * short conv run trains on it in #/train.
 */

const CLASSES = ['red', 'green', 'blue'] as const
const PER_CLASS = 20
const SIDE = 12

/** One 12×12 RGB image of a class: its own channel bright, a seeded blob of noise elsewhere. */
function classImage(classIndex: number, n: number): Uint8Array {
  const data = new Uint8Array(SIDE * SIDE * 3)
  const random = seededUniform(classIndex * 7919 + n * 104729 + 1)
  for (let p = 0; p < SIDE * SIDE; p++) {
    for (let c = 0; c < 3; c++) data[p * 3 + c] = c === classIndex ? 150 + Math.floor(random() * 100) : Math.floor(random() * 90)
  }
  return encode({ width: SIDE, height: SIDE, data, channels: 3, depth: 8 })
}

function writeFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'data-import-'))
  const top = join(root, 'colours')
  CLASSES.forEach((name, c) => {
    mkdirSync(join(top, name), { recursive: true })
    for (let n = 0; n < PER_CLASS; n++) writeFileSync(join(top, name, `${name}-${String(n).padStart(2, '0')}.png`), classImage(c, n))
  })
  writeFileSync(join(top, 'green', 'notes.png'), 'not an image at all')
  return root
}

async function importFolder(page: Page, dir: string, name: string): Promise<void> {
  const form = page.getByTestId('import-form')
  await form.getByTestId('import-folder-input').setInputFiles(dir)
  await form.locator('[data-field="name"]').fill(name)
  await form.locator('[data-action="import"]').click()
}

/** axe-core on the page as it is now (the route scan in accessibility.spec.ts sees #/data without an imported set). */
async function expectNoSeriousAxeViolation(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze()
  const serious = axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
  expect(serious, serious.join('\n')).toEqual([])
}

let folder: string

test.beforeAll(() => {
  folder = writeFolder()
})
test.afterAll(() => rmSync(folder, { recursive: true, force: true }))

test('import a folder of PNG images, browse it, use it and train on it', async ({ page }) => {
  test.setTimeout(240_000)
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await page.locator('[data-nav="data"]').click()
  await expect(page).toHaveURL(/#\/data$/)

  // The folder picker is named in the app's language (not the browser's "Choose Files").
  await expect(page.getByLabel('Choose a folder…')).toHaveAttribute('type', 'file')

  // Only the bundled set at first, in use.
  const table = page.getByTestId('dataset-table')
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await expect(table.locator('tbody tr').first().getByTestId('active-badge')).toBeVisible()

  // Three of the blue images as WebP (Chromium's own encoder): decoded by the worker's WebAssembly
  // decoder, they are imported, not skipped.
  const webps = await page.evaluate((side) => {
    const canvas = document.createElement('canvas')
    canvas.width = side
    canvas.height = side
    const ctx = canvas.getContext('2d')!
    return [0, 1, 2].map((n) => {
      ctx.fillStyle = `rgb(${20 * n}, 30, 220)`
      ctx.fillRect(0, 0, side, side)
      return canvas.toDataURL('image/webp', 1).split(',')[1]
    })
  }, SIDE)
  webps.forEach((base64, n) => {
    rmSync(join(folder, 'colours', 'blue', `blue-0${n}.png`))
    writeFileSync(join(folder, 'colours', 'blue', `blue-0${n}.webp`), Buffer.from(base64, 'base64'))
  })

  await importFolder(page, join(folder, 'colours'), 'Colours')
  const outcome = page.getByTestId('import-outcome')
  await expect(outcome).toHaveAttribute('data-outcome', 'imported', { timeout: 60_000 })
  await expect(outcome.getByTestId('skipped-files')).toContainText('green/notes.png')
  await expect(outcome.getByTestId('skipped-files').locator('li')).toHaveCount(1)

  // Listed after the bundled set, loaded, 59 images split per class (1/6 of each class for testing).
  const row = table.locator('tr[data-set="Colours"]')
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await expect(table.locator('tbody tr').nth(1)).toHaveAttribute('data-set', 'Colours')
  await expect(row.getByTestId('active-badge')).toBeVisible()
  await expect(row.locator('[data-col="channels"]')).toHaveText('Colour (RGB)')
  await expect(row.locator('[data-col="size"]')).toHaveText('12×12')
  const train = Number(await row.locator('[data-col="train"]').textContent())
  const test_ = Number(await row.locator('[data-col="test"]').textContent())
  expect(train + test_).toBe(3 * PER_CLASS)
  expect(test_).toBeGreaterThanOrEqual(9)
  expect(test_).toBeLessThanOrEqual(12)

  // One decoder for every host: the CLI (Node) imports the same folder to the same bytes, so the same fingerprint.
  const cli = spawnSync(
    join(process.cwd(), 'node_modules/.bin/tsx'),
    [join(process.cwd(), 'src/cli/lab.ts'), 'data', 'import', join(folder, 'colours'), '--name', 'Colours', '--json'],
    {
      encoding: 'utf8',
      env: { ...process.env, GRADIENT_LAB_HOME: mkdtempSync(join(tmpdir(), 'data-import-home-')) }
    }
  )
  expect(cli.status, cli.stderr).toBe(0)
  const fromCli = JSON.parse(cli.stdout.trim().split('\n').at(-1)!) as { fingerprint: string; train: number; test: number }
  expect([fromCli.train, fromCli.test]).toEqual([train, test_])
  await expect(row.locator('code')).toHaveText(fromCli.fingerprint)

  // The classes, with their training counts in the chart's data, adding up to the training split.
  const chart = page.getByTestId('class-chart')
  const counts = (await chart.getAttribute('data-counts'))!.split(',').map(Number)
  expect(counts).toHaveLength(3)
  expect(counts.reduce((a, b) => a + b, 0)).toBe(train)
  expect(Math.min(...counts)).toBeGreaterThanOrEqual(16)
  await expect(page.getByTestId('class-table').locator('tbody th')).toHaveText(['blue', 'green', 'red'])

  // A row of images per class, each drawn in colour; a click enlarges one, Escape closes it.
  const grid = page.getByTestId('sample-grid')
  for (const name of CLASSES) await expect(grid.locator(`[data-class="${name}"] canvas`)).toHaveCount(12)
  const redPixel = await grid
    .locator('[data-class="red"] canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(5, 5, 1, 1).data))
  expect(redPixel[0]).toBeGreaterThan(redPixel[1])
  expect(redPixel[0]).toBeGreaterThan(redPixel[2])
  await expect(page.getByTestId('grid-page')).toHaveText('Page 1 of 2')
  await grid.locator('[data-action="page-next"]').click()
  await expect(page.getByTestId('grid-page')).toHaveText('Page 2 of 2')
  // The page number changes at once, the images when the engine answers: wait for them.
  await expect(grid.locator('[data-class="red"]')).toHaveAttribute('data-shown', String(counts[2] - 12))
  await grid.locator('[data-class="blue"] button').first().click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('enlarged-sample')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // The augmentation strip: originals and augmented images, which differ.
  const strip = page.getByTestId('augment-strip')
  await expect(strip.locator('canvas')).toHaveCount(24)
  const stripPixels = () =>
    strip
      .locator('canvas')
      .evaluateAll((canvases: HTMLCanvasElement[]) => canvases.map((c) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data).join(',')))
  const drawn = await stripPixels()
  const changed = drawn.slice(12).filter((augmentedImage, i) => augmentedImage !== drawn[i]).length
  expect(changed).toBeGreaterThanOrEqual(10) // shift 2, flip and rotate 10° leave few images as they were

  // Screenshots with the augmentation on, in both languages.
  await screenshot(page, 'data-en')
  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('[data-nav="data"]')).toHaveText('データ')
  await screenshot(page, 'data-ja')
  await expectNoSeriousAxeViolation(page)
  await page.getByTestId('language').selectOption('en')
  // All options off: the augmented row is the originals, exactly.
  for (const option of ['shift', 'rotate']) {
    await page.locator(`[data-testid="augment-controls"] [data-augment="${option}"]`).fill('0')
    await page.locator(`[data-testid="augment-controls"] [data-augment="${option}"]`).blur()
  }
  await page.locator('[data-testid="augment-controls"] [data-augment="flip"]').uncheck()
  await expect
    .poll(async () => {
      const now = await stripPixels()
      return now.slice(12).every((image, i) => image === now[i])
    })
    .toBe(true)

  // The grid from the keyboard: Tab to an image, Enter enlarges it.
  await grid.locator('[data-class="green"] button').first().focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()

  await expectNoSeriousAxeViolation(page)

  // The same name again: the app asks; keeping the set changes nothing.
  await importFolder(page, join(folder, 'colours'), 'Colours')
  await expect(page.getByRole('dialog')).toContainText('Replace Colours?')
  await page.locator('[data-action="keep-set"]').click()
  await expect(table.locator('tbody tr')).toHaveCount(2)

  // Use MNIST, then the imported set again.
  await table.locator('tbody tr').first().locator('[data-action="use-set"]').click()
  await expect(table.locator('tbody tr').first().getByTestId('active-badge')).toBeVisible()
  await expect(page.getByTestId('class-chart')).toHaveAttribute('data-counts', /^\d+(,\d+){9}$/)
  await row.locator('[data-action="use-set"]').click()
  await expect(row.getByTestId('active-badge')).toBeVisible()

  // #/train: the select names the set; cnn-simple is planned for 3×12×12 and 3 classes, and trains.
  await page.locator('[data-nav="train"]').click()
  await expect(page.getByTestId('dataset-select')).toHaveValue('Colours')
  await page.locator('[data-preset-id="cnn-simple"]').click()
  const rows = page.getByTestId('layer-editor').locator('[data-layer-row]')
  await expect(rows.nth(0).locator('[data-role="shape"]')).toHaveText('[30, 8, 8]')
  await expect(rows.last()).toContainText('10 → 3')
  await setField(page, 'iterations', '20')
  await setField(page, 'batchSize', '10')
  await setField(page, 'evalInterval', '10')
  await page.locator('[data-augment="shift"]').fill('1')
  await page.locator('[data-augment="shift"]').blur()
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  await screenshot(page, 'train-on-imported-set-en')

  watcher.assertNone()
})

test('the loaded set cannot be deleted; another can be renamed and deleted, each after a confirmation', async ({ page }) => {
  const watcher = watchProblems(page)
  await openTrainWithDataset(page)
  await page.goto('/#/data')
  const table = page.getByTestId('dataset-table')
  // Each test has its own browser context, so its own IndexedDB: the library starts empty again.
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await importFolder(page, join(folder, 'colours'), 'Colours')
  await expect(page.getByTestId('import-outcome')).toHaveAttribute('data-outcome', 'imported', { timeout: 60_000 })
  const row = table.locator('tr[data-set="Colours"]')
  await expect(row.getByTestId('active-badge')).toBeVisible()

  // In use: the engine refuses, the view says why, the set stays.
  await row.locator('[data-action="remove-set"]').click()
  await expect(page.getByRole('dialog')).toContainText('Delete Colours?')
  await page.locator('[data-action="confirm-remove"]').click()
  await expect(page.getByTestId('data-problem')).toContainText('loaded set')
  await expect(table.locator('tbody tr')).toHaveCount(2)

  await table.locator('tbody tr').first().locator('[data-action="use-set"]').click()
  await expect(table.locator('tbody tr').first().getByTestId('active-badge')).toBeVisible()

  // Rename from the keyboard: the dialog's field takes the new name, Enter confirms.
  await row.locator('[data-action="rename-set"]').click()
  await page.getByTestId('rename-input').fill('Colour blobs')
  await page.keyboard.press('Enter')
  const renamed = table.locator('tr[data-set="Colour blobs"]')
  await expect(renamed).toBeVisible()
  await expect(row).toHaveCount(0)

  // Kept in IndexedDB: after a reload (a new engine worker) it is listed under its new name.
  await page.reload()
  await expect(renamed).toBeVisible({ timeout: 60_000 })
  await expect(renamed.locator('[data-col="size"]')).toHaveText('12×12')

  // Cancelling the deletion keeps the set; confirming removes it.
  await renamed.locator('[data-action="remove-set"]').click()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()
  await expect(renamed).toBeVisible()
  await renamed.locator('[data-action="remove-set"]').click()
  await page.locator('[data-action="confirm-remove"]').click()
  await expect(table.locator('tbody tr')).toHaveCount(1)

  // Gone from the store too: a reload lists only the bundled set.
  await page.reload()
  await expect(page.getByTestId('dataset-table').locator('tbody tr')).toHaveCount(1, { timeout: 60_000 })
  watcher.assertNone()
})
