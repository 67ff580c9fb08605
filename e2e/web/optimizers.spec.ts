import { expect, test } from '@playwright/test'
import { openEnglishTrain, screenshot, watchProblems } from './helpers'
import { openVisualView, slide } from './visual-helpers'

test('optimizer paths: six paths over contour lines, animated; a learning-rate slider moves its path; a diverging rate is named', async ({ page }) => {
  const watch = watchProblems(page)
  await openEnglishTrain(page)
  await openVisualView(page, 'optimizers')

  const plot = page.getByTestId('opt-plot')
  await expect(plot).toBeVisible()
  expect(Number(await plot.getAttribute('data-bands'))).toBeGreaterThan(5)
  expect(await plot.locator('path').count()).toBeGreaterThan(5)
  for (const kind of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
    await expect(page.getByTestId(`opt-path-${kind}`)).toHaveAttribute('data-points', '31')
  }
  await expect(page.getByTestId('opt-warnings')).toHaveCount(0)
  await screenshot(page, 'optimizers-en')

  // Moving Momentum's learning rate moves Momentum's path, and only it.
  const momentum = page.getByTestId('opt-path-momentum')
  const adam = page.getByTestId('opt-path-adam')
  const before = await momentum.getAttribute('data-last')
  const adamBefore = await adam.getAttribute('data-last')
  // The sliders move log₁₀(lr): −1.3 is 0.05.
  await slide(page.getByTestId('opt-lr-momentum'), -1.3)
  await expect(page.getByTestId('opt-lr-value-momentum')).toHaveText('0.05')
  await expect(momentum).not.toHaveAttribute('data-last', before!)
  await expect(adam).toHaveAttribute('data-last', adamBefore!)

  // SGD at 1.2 overshoots more each step: it is drawn until it leaves the plot, and the view says so.
  await slide(page.getByTestId('opt-lr-sgd'), 0.08)
  await expect(page.getByTestId('opt-lr-value-sgd')).toHaveText('1.20')
  await expect(page.getByTestId('opt-warnings')).toContainText('SGD left the plot after step')
  const sgdPoints = Number(await page.getByTestId('opt-path-sgd').getAttribute('data-points'))
  expect(sgdPoints).toBeLessThan(31)
  await page.getByTestId('opt-reset-rates').click()
  await expect(page.getByTestId('opt-warnings')).toHaveCount(0)

  // Step by step: reset shows the start only, step adds one point to every path, play runs to the end.
  await page.getByTestId('opt-reset').click()
  await expect(page.getByTestId('opt-position')).toHaveAttribute('data-position', '0')
  await expect(adam).toHaveAttribute('data-points', '1')
  await page.getByTestId('opt-step').click()
  await expect(adam).toHaveAttribute('data-points', '2')
  await page.locator('[data-field="steps"] input').fill('12')
  await expect(page.getByTestId('opt-steps')).toHaveText('12')
  await page.getByTestId('opt-play').click()
  await expect(page.getByTestId('opt-position')).toHaveAttribute('data-position', '12', { timeout: 10_000 })
  await expect(adam).toHaveAttribute('data-points', '13')
  await expect(page.getByTestId('opt-play')).toBeVisible()

  // Other surfaces come with their own rates: on the saddle plain SGD stalls near the middle while the
  // adaptive methods escape downhill (said as an escape, not a divergence); the valley needs tiny rates.
  await page.getByTestId('opt-surface').selectOption('saddle')
  expect(Number(await plot.getAttribute('data-bands'))).toBeGreaterThan(5)
  await expect(page.getByTestId('opt-lr-value-sgd')).toHaveText('0.05')
  await page.locator('[data-field="steps"] input').fill('60')
  await expect(page.getByTestId('opt-warnings')).toContainText('AdaGrad left the plot after step')
  await expect(page.getByTestId('opt-warnings')).toContainText('escaped the saddle downhill')
  await expect(page.getByTestId('opt-warnings')).not.toContainText('SGD left')
  await screenshot(page, 'optimizers-saddle-en')
  await page.getByTestId('opt-surface').selectOption('rosenbrock')
  await expect(page.getByTestId('opt-steps')).toHaveText('100')
  await expect(page.getByTestId('opt-lr-value-nesterov')).toHaveText('0.00050')
  await expect(page.getByTestId('opt-warnings')).toHaveCount(0)

  // The opt-* presets: none has run in this fresh browser, so all five can be queued in one click.
  const mnist = page.getByTestId('opt-mnist')
  await expect(mnist.locator('[data-state="missing"]')).toHaveCount(5)
  await expect(page.getByTestId('opt-mnist-queue')).toContainText('(5)')
  // One click queues all five; as each completes its curves join the overlay.
  await page.getByTestId('opt-mnist-queue').click()
  await expect(page.getByTestId('opt-mnist-queue')).toContainText('(0)')
  await expect(mnist.locator('[data-state="done"]')).toHaveCount(5, { timeout: 170_000 })
  await expect(mnist.getByTestId('preset-curves-test')).toHaveAttribute('data-series-count', '5')
  await expect(page.getByTestId('opt-mnist-queue')).toHaveCount(0)
  await screenshot(page, 'optimizers-mnist-en')

  await page.getByTestId('language').selectOption('ja')
  await page.getByTestId('opt-surface').selectOption('bowl')
  await expect(page.getByRole('heading', { name: '最適化手法の軌跡' })).toBeVisible()
  await screenshot(page, 'optimizers-ja')
  watch.assertNone()
})
