import { expect, test } from '@playwright/test'
import { openTrainWithDataset, openView, screenshot, storedRunRecord, watchProblems } from './helpers'

test('a corrupt stored run is skipped with a visible warning; the others are listed', async ({ page }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await openView(page, 'compare')
  await expect(page.getByTestId('run-list')).toHaveAttribute('data-count', '0')

  // Write straight into the app's IndexedDB: one good record, one from a future version, one broken.
  await page.evaluate(
    async (records) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('gradient-lab') // the app's current version
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
      const tx = db.transaction('runs', 'readwrite')
      const store = tx.objectStore('runs')
      store.put(records.good, records.good.id)
      store.put({ ...records.good, id: 'run-future', version: 2 }, 'run-future')
      store.put({ version: 1, id: 'run-broken', config: 'not a config' }, 'run-broken')
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error)
      })
      db.close()
    },
    { good: storedRunRecord('run-good') }
  )

  await page.reload()
  await openView(page, 'compare')
  const warnings = page.getByTestId('storage-warnings')
  await expect(warnings).toContainText('2 saved runs could not be read and were skipped')
  await expect(warnings.locator('li[data-run-id="run-future"]')).toContainText('record version 2')
  await expect(warnings.locator('li[data-run-id="run-broken"]')).toContainText('config')
  const rows = page.locator('[data-testid="run-list"] li')
  await expect(rows).toHaveCount(1)
  // It was training when the app closed: it cannot go on, and the list says so.
  await expect(rows.first()).toHaveAttribute('data-status', 'interrupted')
  await rows.first().locator('[data-action="compare"]').check()
  await expect(page.getByTestId('compare-test')).toHaveAttribute('data-series-points', '2')
  await screenshot(page, 'compare-warning-en')

  await warnings.getByRole('button').click()
  await expect(warnings).toHaveCount(0)
  watch.assertNone()
})
