import { expect, test, type Page } from '@playwright/test'
import { openView, shortRun, storedRunRecord, watchProblems } from './helpers'

/*
 * The browser's run library: records kept by an older build (no summaries) get their summaries rebuilt and
 * are listed; a record is read when a run is drawn; a run the app saves gets its summary in the same
 * transaction; "delete runs older than …" and "delete the ticked runs" ask first, then delete from
 * IndexedDB too.
 */

const DAY = 24 * 60 * 60 * 1000

const record = (id: string, createdAt: number) => storedRunRecord(id, { status: 'completed', createdAt })

/** Ids in each store of the app's database. */
async function storedIds(page: Page): Promise<{ version: number; runs: string[]; summaries: string[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('gradient-lab')
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const keys = (store: string) =>
      new Promise<string[]>((resolve, reject) => {
        const req = db.transaction(store, 'readonly').objectStore(store).getAllKeys()
        req.onsuccess = () => resolve(req.result.map(String))
        req.onerror = () => reject(req.error)
      })
    const out = { version: db.version, runs: await keys('runs'), summaries: await keys('run-summaries') }
    db.close()
    return out
  })
}

test('runs kept before summaries are listed, drawn, and deleted in bulk after a confirmation', async ({ page }) => {
  // A page of the app's origin that is not the app: the database is made as an older build left it.
  await page.goto('/no-app-here')
  const now = Date.now()
  const records = [
    ...Array.from({ length: 8 }, (_, i) => record(`run-old-${i}`, now - 60 * DAY - i * 1000)),
    ...Array.from({ length: 100 }, (_, i) => record(`run-new-${i}`, now - DAY - i * 1000))
  ]
  await page.evaluate(async (all) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('gradient-lab', 1)
      req.onupgradeneeded = () => req.result.createObjectStore('runs')
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const tx = db.transaction('runs', 'readwrite')
    for (const r of all) tx.objectStore('runs').put(r, r.id)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
    db.close()
  }, records)

  const watch = watchProblems(page)
  await page.goto('/#/compare')
  const list = page.getByTestId('run-list')
  await expect(list).toHaveAttribute('data-count', '108')
  // The newest 100 are drawn, the rest on request.
  await expect(list).toHaveAttribute('data-shown', '100')
  await expect(list.locator('li[data-run-id="run-old-0"]')).toHaveCount(0)
  // "Select all listed" ticks the 100 drawn, not the 8 unlisted (each ticked run's whole record is loaded):
  // once those 8 are listed too, they are not ticked.
  await page.locator('[data-action="select-all"]').click()
  await expect(list.locator('input[data-action="compare"]:checked')).toHaveCount(100)
  await list.locator('[data-action="more-runs"]').click()
  await expect(list).toHaveAttribute('data-shown', '108')
  await expect(list.locator('input[data-action="compare"]:checked')).toHaveCount(100)
  await expect(list.locator('li[data-run-id="run-old-7"] input[data-action="compare"]')).not.toBeChecked()
  await page.locator('[data-action="select-none"]').click()
  await expect(list.locator('input[data-action="compare"]:checked')).toHaveCount(0)
  await expect(list.locator('li[data-run-id="run-old-7"]')).toBeVisible()
  await expect(list.locator('[data-action="more-runs"]')).toHaveCount(0)
  // The summaries were rebuilt beside the records, in the upgraded database.
  expect(await storedIds(page)).toMatchObject({ version: 2, summaries: expect.arrayContaining(records.map((r) => r.id)) })
  // The list shows the last evaluation from the summary; the curves need the record, read on demand.
  const newest = list.locator('li[data-run-id="run-new-0"]')
  await expect(newest).toContainText('test 0.5200')
  await newest.locator('[data-action="compare"]').check()
  await expect(page.getByTestId('compare-test')).toHaveAttribute('data-series-points', '2')

  // Older than 30 days: the eight old runs. Cancelling deletes nothing.
  const cleanup = page.getByTestId('run-cleanup')
  await cleanup.locator('[data-field="older-amount"]').fill('30')
  await cleanup.locator('[data-field="older-unit"]').selectOption('days')
  await expect(cleanup.locator('[data-action="delete-older"]')).toHaveText('Delete 8 runs')
  await cleanup.locator('[data-action="delete-older"]').click()
  await expect(page.getByTestId('cleanup-question')).toContainText('Delete 8 runs created before')
  await page.locator('[data-action="cancel-delete"]').click()
  await expect(list).toHaveAttribute('data-count', '108')
  await cleanup.locator('[data-action="delete-older"]').click()
  await page.locator('[data-action="confirm-delete"]').click()
  await expect(page.getByTestId('cleanup-message')).toHaveText('8 runs deleted.')
  await expect(list).toHaveAttribute('data-count', '100')
  await expect(cleanup.locator('[data-action="delete-older"]')).toBeDisabled()

  // The ticked runs: the one drawn and one more.
  await list.locator('li[data-run-id="run-new-1"] [data-action="compare"]').check()
  await cleanup.locator('[data-action="delete-selected"]').click()
  await expect(page.getByTestId('cleanup-question')).toHaveText('Delete the 2 ticked runs? This cannot be undone.')
  await page.locator('[data-action="confirm-delete"]').click()
  await expect(list).toHaveAttribute('data-count', '98')
  await expect(page.getByTestId('compare-test')).toHaveAttribute('data-series-count', '0')

  // Gone from IndexedDB too, records and summaries: a reload lists the 98 left.
  const left = records
    .slice(10)
    .map((r) => r.id)
    .sort()
  expect(await storedIds(page)).toEqual({ version: 2, runs: left, summaries: left })
  await page.reload()
  await expect(list).toHaveAttribute('data-count', '98')
  watch.assertNone()
})

test('a run the app saves has its summary stored with its record', async ({ page }) => {
  const watch = watchProblems(page)
  await page.goto('/#/train')
  await expect(page.getByTestId('dataset-train')).toHaveText('8,000', { timeout: 60_000 })
  await shortRun(page, 'vg-relu-he', 20)
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 })
  await expect.poll(async () => (await storedIds(page)).summaries.length).toBe(1)
  const stored = await storedIds(page)
  expect(stored.summaries).toEqual(stored.runs)
  // The list after a reload comes from that summary.
  await page.reload()
  await openView(page, 'compare')
  await expect(page.getByTestId('run-list')).toHaveAttribute('data-count', '1')
  watch.assertNone()
})
