import { expect, type Page } from '@playwright/test'

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

export async function numberAttr(page: Page, selector: string, name: string): Promise<number> {
  const value = await page.locator(selector).getAttribute(name)
  return Number(value ?? Number.NaN)
}
