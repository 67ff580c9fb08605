import { expect, type Locator, type Page } from '@playwright/test'

/** Everything that went wrong in the page: uncaught errors, console errors, failed or refused requests. */
export function watchProblems(page: Page): { problems: string[]; assertNone: () => void } {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return {
    problems,
    assertNone: () => expect(problems, problems.join('\n')).toEqual([])
  }
}

/** Opens the Train view and waits until the engine has loaded the bundled 8,000 / 2,000 set. */
export async function openTrainWithDataset(page: Page): Promise<void> {
  await page.goto('/#/train')
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('dataset-train')).toHaveText('8,000', { timeout: 60_000 })
  await expect(page.getByTestId('dataset-test')).toHaveText('2,000')
}

/** Opens the Train view in English once the engine is ready: the start of the lessons that need no data set. */
export async function openEnglishTrain(page: Page): Promise<void> {
  await page.goto('/#/train')
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready')
  await page.getByTestId('language').selectOption('en')
}

/** Draws a "1" on #/draw's pad with the mouse: one vertical stroke down the middle. */
export async function drawOne(page: Page): Promise<{ pad: Locator; box: { x: number; y: number; width: number; height: number } }> {
  const pad = page.getByTestId('draw-canvas')
  const box = (await pad.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + (0.7 * i) / 12))
  await page.mouse.up()
  return { pad, box }
}

export async function numberAttr(page: Page, selector: string, name: string): Promise<number> {
  const value = await page.locator(selector).getAttribute(name)
  return Number(value ?? Number.NaN)
}

/** Types into a settings-form field (text input), replacing what is there. */
export async function setField(page: Page, field: string, value: string): Promise<void> {
  await page.locator(`[data-field="${field}"] input`).fill(value)
}

export function fieldError(page: Page, field: string) {
  return page.locator(`[data-field="${field}"] [data-testid="field-error"]`)
}

/** Picks a preset and makes it a short custom run (fast e2e), returning once the form shows it. */
export async function shortRun(page: Page, presetId: string, iterations: number): Promise<void> {
  await page.locator(`[data-preset-id="${presetId}"]`).click()
  await expect(page.locator(`[data-preset="${presetId}"]`)).toBeVisible()
  await setField(page, 'iterations', String(iterations))
  await expect(page.getByTestId('custom-label')).toHaveText(`Custom (from ${presetId})`)
}

/** Goes to a view through the header navigation (a client-side route change: nothing reloads). */
export async function openView(page: Page, view: 'train' | 'compare' | 'gradients' | 'convolution' | 'regularization'): Promise<void> {
  await page.locator(`[data-nav="${view}"]`).click()
  await expect(page).toHaveURL(new RegExp(`#/${view}$`))
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true })
}

/** A stored run as the app writes it (record version 1), built by hand. */
export function storedRunRecord(id: string, options: { status?: string; createdAt?: number } = {}) {
  return {
    version: 1,
    id,
    presetId: 'vg-relu-he',
    custom: false,
    config: {
      network: { kind: 'mlp', hidden: [40, 20], activation: 'relu', init: 'he', initStd: 0.01, normalization: 'none', dropout: { ratio: 0, mode: 'inverted' } },
      optimizer: { kind: 'sgd', lr: 0.1 },
      batchSize: 100,
      iterations: 20,
      evalInterval: 10,
      seed: 3,
      trainAccuracy: 'batch-after-update',
      regularization: { kind: 'none' },
      freeze: { normalization: false, outputLayer: false }
    },
    status: options.status ?? 'running',
    message: null,
    messageKey: null,
    dataset: 'MNIST (bundled, 8,000 / 2,000)',
    createdAt: options.createdAt ?? Date.UTC(2026, 10, 27, 9, 0),
    updatedAt: options.createdAt !== undefined ? options.createdAt + 1000 : Date.UTC(2026, 10, 27, 9, 1),
    iter: 20,
    totalIters: 20,
    elapsedMs: 1234,
    losses: { stride: 1, values: [null, ...Array.from({ length: 20 }, (_, i) => 2.3 - i * 0.05)], recorded: 20 },
    evaluations: [
      { iter: 10, loss: 1.9, trainAcc: 0.4, testAcc: 0.38, elapsedMs: 600 },
      { iter: 20, loss: 1.4, trainAcc: 0.55, testAcc: 0.52, elapsedMs: 1200 }
    ]
  }
}
