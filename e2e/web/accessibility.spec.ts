import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { openTrainWithDataset, shortRun } from './helpers'

/*
 * axe-core on every route of the app's router, in English and in Japanese, after a short run so the
 * charts, tables and run views have content: no serious or critical violation. Routes are read from
 * router.ts, so a view added later is scanned too.
 */
const routerSource = readFileSync(resolve(__dirname, '../../src/renderer/src/router.ts'), 'utf8')
const routes = [...routerSource.matchAll(/path:\s*'(\/[a-z][a-z0-9-]*)'/g)].map((m) => m[1])

test('every route in both languages has no serious or critical accessibility violation', async ({ page }) => {
  test.setTimeout(240_000)
  expect(routes.length).toBeGreaterThanOrEqual(10)
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 60)
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 })
  const found: string[] = []
  for (const language of ['en', 'ja']) {
    await page.getByTestId('language').selectOption(language)
    for (const route of routes) {
      await page.evaluate((hash) => (window.location.hash = hash), `#${route}`)
      await expect(page).toHaveURL(new RegExp(`#${route}$`))
      await page.waitForTimeout(250)
      const results = await new AxeBuilder({ page }).analyze()
      for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        found.push(
          `${language} ${route}: ${v.id} (${v.impact}) ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')}`
        )
      }
    }
  }
  expect(found, found.join('\n')).toEqual([])
})
