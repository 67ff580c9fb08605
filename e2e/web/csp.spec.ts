import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { openTrainWithDataset, shortRun } from './helpers'

/*
 * The strict CSP (no 'unsafe-inline' styles or scripts) must not break any view. Every route of the app's
 * router is visited, after a short run so the charts and run views have something to draw, and every
 * securitypolicyviolation the page reports fails the test. Routes are read from router.ts, so views added
 * later are covered too.
 */
const routerSource = readFileSync(resolve(__dirname, '../../src/renderer/src/router.ts'), 'utf8')
const routes = [...routerSource.matchAll(/path:\s*'(\/[a-z][a-z0-9-]*)'/g)].map((m) => m[1])

test('no view violates the content-security policy', async ({ page }) => {
  expect(routes.length).toBeGreaterThanOrEqual(5)
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`)
    })
  })
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 40)
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 })
  for (const route of routes) {
    await page.evaluate((hash) => (window.location.hash = hash), `#${route}`)
    await expect(page).toHaveURL(new RegExp(`#${route}$`))
    await page.waitForTimeout(300)
  }
  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)
  expect(violations, violations.join('\n')).toEqual([])
})
