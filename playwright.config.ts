import { defineConfig } from '@playwright/test'

/*
 * Two projects:
 * - web: the renderer with the engine in a Web Worker, served by scripts/serve-web.mjs, in the system
 *   Chromium (Playwright's own browser download is not available offline).
 * - electron: the desktop app itself (e2e/electron launches it; no browser settings here).
 * out/ must be built first (`npm run build`); the test script does that.
 */
// E2E_PORT lets several checkouts run their e2e suites side by side.
const WEB_PORT = Number(process.env.E2E_PORT ?? 5199)
const WEB_URL = `http://127.0.0.1:${WEB_PORT}`

export default defineConfig({
  // A full training run in the browser takes a while on a slow CI machine.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: 'test-results/playwright',
  use: {
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000
  },
  projects: [
    {
      name: 'web',
      testDir: 'e2e/web',
      use: {
        browserName: 'chromium',
        baseURL: WEB_URL,
        headless: true,
        viewport: { width: 1366, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    {
      name: 'electron',
      testDir: 'e2e/electron'
    }
  ],
  webServer: {
    command: 'node scripts/serve-web.mjs',
    env: { PORT: String(WEB_PORT) },
    url: WEB_URL,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe'
  }
})
