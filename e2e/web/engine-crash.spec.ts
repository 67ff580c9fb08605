import { expect, test } from '@playwright/test'
import { numberAttr, openTrainWithDataset, shortRun } from './helpers'

/*
 * The engine dies mid-run (an uncaught exception in its Web Worker): the run is marked interrupted with
 * its history kept, a new engine starts, and "Resume from iteration N" continues from the run's last
 * checkpoint to exactly the numbers of the run never interrupted.
 */
test('a crashed engine: interrupted, restarted, resumed to the unbroken numbers', async ({ page }) => {
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 2500)
  const start = page.locator('[data-action="start"]')
  const status = page.getByTestId('run-status')

  await start.click()
  await expect(status).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  const unbroken = await numberAttr(page, '[data-testid="generation"]', 'data-test-acc')

  await start.click()
  await expect(status).toHaveAttribute('data-recovery-iter', /\d+/, { timeout: 30_000 })
  const worker = page.workers().find((w) => w.url().includes('web-worker'))!
  expect(worker).toBeDefined()
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('engine killed by the test')
    })
  })
  await expect(status).toHaveAttribute('data-status', 'interrupted')
  await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0')
  const resume = page.locator('[data-action="resume-interrupted"]')
  await expect(resume).toBeVisible()
  const from = Number(await status.getAttribute('data-recovery-iter'))
  await expect(resume).toContainText(`Resume from iteration ${from}`)
  await expect(page.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })
  await expect(page.getByTestId('dataset-train')).toHaveText('8,000', { timeout: 60_000 })

  await resume.click()
  await expect(status).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  expect(await numberAttr(page, '[data-testid="generation"]', 'data-test-acc')).toBe(unbroken)
})
