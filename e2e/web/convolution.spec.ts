import { expect, test } from '@playwright/test'
import { openTrainWithDataset, openView, screenshot, watchProblems } from './helpers'

test('im2col explorer works without training; a short cnn-simple run shows its filters, maps and im2col', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await openView(page, 'convolution')

  // The course demo: one 1-channel 4×4 image, 3×3 filter, stride 1, no padding → (4, 9).
  const explorer = page.getByTestId('im2col-explorer')
  await expect(explorer.getByTestId('matrix-shape')).toHaveText('(4, 9)')
  await expect(explorer.getByTestId('matrix-row')).toHaveCount(4)
  await expect(explorer.getByTestId('input-cell')).toHaveCount(16)

  // Hovering a row highlights exactly its 9 input cells.
  await explorer.locator('[data-testid="matrix-row"][data-row="3"]').hover()
  const hot = explorer.locator('[data-testid="input-cell"][data-highlight="true"]')
  await expect(hot).toHaveCount(9)
  await expect(hot).toHaveText(['6', '7', '8', '10', '11', '12', '14', '15', '16'])

  // Keyboard: focus the matrix, arrows move the selected row (the mouse must not sit on a row meanwhile).
  await page.mouse.move(0, 0)
  await explorer.getByTestId('col-matrix').focus()
  await page.keyboard.press('Home')
  await expect(explorer.locator('[data-row="0"]')).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(explorer.locator('[data-row="1"]')).toHaveAttribute('aria-selected', 'true')
  await expect(hot).toHaveText(['2', '3', '4', '6', '7', '8', '10', '11', '12'])

  // Padding 1 makes the padded input 6×6 and the matrix (16, 9); col2im counts are shown on request.
  await explorer.locator('[data-field="pad"] input').fill('1')
  await expect(explorer.getByTestId('matrix-shape')).toHaveText('(16, 9)')
  await expect(explorer.getByTestId('input-cell')).toHaveCount(36)
  await explorer.getByTestId('explorer-counts').check()
  await expect(explorer.getByTestId('coverage')).toBeVisible()

  // A filter larger than the padded input is reported next to its field.
  await explorer.locator('[data-field="filter"] input').fill('9')
  await expect(explorer.locator('[data-field="filter"] [data-testid="field-error"]')).toContainText('larger than the padded input (6×6)')
  await expect(explorer.getByTestId('col-matrix')).toHaveCount(0)
  await explorer.getByTestId('explorer-demo').click()
  await expect(explorer.getByTestId('matrix-shape')).toHaveText('(4, 9)')
  await explorer.locator('[data-testid="matrix-row"][data-row="2"]').hover()

  // No conv run yet: the view says so and offers a short cnn-simple run.
  const network = page.getByTestId('conv-network')
  await expect(network.getByTestId('conv-no-run')).toBeVisible()
  await screenshot(page, 'convolution-explorer-en')
  await network.getByTestId('conv-start').click()

  // cnn-simple's conv1: 30 filters 1×5×5, 30 feature maps 24×24, and a (576, 25) im2col matrix per image.
  await expect(network.getByTestId('conv-filters')).toHaveAttribute('data-count', '30', { timeout: 120_000 })
  await expect(network.getByTestId('filter-tile')).toHaveCount(30)
  await expect(network.getByTestId('map-tile')).toHaveCount(30)
  await expect(network.getByTestId('conv-im2col')).toHaveAttribute('data-rows', '576')
  await expect(network.getByTestId('conv-im2col')).toHaveAttribute('data-cols', '25')

  // Wait for the run to end so the final network is shown, then pick another image and a row.
  await openView(page, 'train')
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 150_000 })
  await openView(page, 'convolution')
  await expect(network.getByTestId('filter-tile')).toHaveCount(30)
  await network.getByTestId('conv-index').fill('7')
  await expect(network.getByTestId('conv-maps')).toContainText('test image 7')
  const matrix = network.getByTestId('im2col-matrix')
  await matrix.focus()
  await page.keyboard.press('End')
  await expect(network.getByTestId('im2col-row')).toContainText('Row 575: output (23, 23)')
  await page.keyboard.press('Home')
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown')
  await expect(network.getByTestId('im2col-row')).toContainText('Row 30: output (1, 6), window top-left (1, 6)')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await screenshot(page, 'convolution-network-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(page.locator('[data-nav="convolution"]')).toHaveText('畳み込み')
  await expect(page.getByRole('heading', { name: 'im2col エクスプローラー' })).toBeVisible()
  await expect(network.getByRole('heading', { name: '実際のネットワークから' })).toBeVisible()
  await screenshot(page, 'convolution-ja')

  watch.assertNone()
})
