import { expect, type Locator, type Page } from '@playwright/test'

/** Goes to one of the visual lessons' views through the header navigation. */
export async function openVisualView(page: Page, view: 'train' | 'optimizers' | 'weights' | 'landscape' | 'convolution' | 'regularization'): Promise<void> {
  await page.locator(`[data-nav="${view}"]`).click()
  await expect(page).toHaveURL(new RegExp(`#/${view}$`))
}

/** How many distinct colours a canvas holds: a blank one has one (or none). */
export async function canvasColours(canvas: Locator): Promise<number> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement
    const ctx = c.getContext('2d')
    if (!ctx || c.width === 0 || c.height === 0) return 0
    const data = ctx.getImageData(0, 0, c.width, c.height).data
    const seen = new Set<number>()
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
    return seen.size
  })
}

/** The pixels of a canvas as one string, to tell whether a picture changed. */
export async function canvasPixels(canvas: Locator): Promise<string> {
  return canvas.evaluate((el) => (el as HTMLCanvasElement).toDataURL())
}

/** Sets a range input's value the way a user's drag does (an input event). */
export async function slide(input: Locator, value: number): Promise<void> {
  await input.fill(String(value))
}
