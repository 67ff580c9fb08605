/**
 * The desktop app end to end: the built app (out/main/index.js, via package.json "main") launched in a real
 * Electron with Playwright's `_electron`. Where no Electron binary can run (the offline install has none)
 * every test here is skipped with one clear line; Electron is never faked.
 *
 * Needs `electron-vite build` first (npm test does it). On a Linux machine without a display, run the tests
 * under `xvfb-run`.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PROTOCOL_VERSION } from '../../src/engine/protocol'
import type { GradientLabApi } from '../../src/preload/api'
import { displayProblem, findElectronBinary } from '../../scripts/lib/electron-binary.mjs'

const root = resolve(__dirname, '../..')
const lookup = findElectronBinary(root)
const noDisplay = 'binary' in lookup ? displayProblem() : undefined
const skipReason =
  'missing' in lookup
    ? `Electron binary not available (offline install): ${lookup.missing}; skipping the Electron app tests.`
    : noDisplay
      ? `Electron cannot open a window here: ${noDisplay} (run under xvfb-run); skipping the Electron app tests.`
      : undefined

/** A run short enough for CI, long enough to evaluate twice. */
const SHORT_RUN = {
  network: { kind: 'mlp', hidden: [32], activation: 'relu', init: 'he' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 50,
  iterations: 60,
  evalInterval: 30,
  seed: 7,
  trainAccuracy: 'batch-before-update',
  testLimit: 500
}

/**
 * Asks the preload for an extra engine port (an EnginePortRequest with a request id) and talks the engine
 * protocol over it from the page: the same MessagePort path the app uses, without depending on its UI. The
 * capture listener takes the answer before the app's own listener could see it.
 */
async function driveEngineFromPage(page: Page, config: unknown): Promise<{ ready: any; evaluation: any; finished: any }> {
  return page.evaluate(
    async ({ config, protocolVersion }) => {
      const requestId = `e2e-${Date.now()}`
      const port = await new Promise<MessagePort>((resolvePort, reject) => {
        const timer = setTimeout(() => reject(new Error('no engine port within 10 s')), 10_000)
        const onMessage = (event: MessageEvent): void => {
          const data = event.data as { source?: string; kind?: string; requestId?: string } | null
          if (data?.source !== 'gradient-lab' || data.kind !== 'engine-port' || data.requestId !== requestId) return
          event.stopImmediatePropagation()
          window.removeEventListener('message', onMessage, true)
          clearTimeout(timer)
          resolvePort(event.ports[0])
        }
        window.addEventListener('message', onMessage, true)
        window.postMessage({ source: 'gradient-lab', kind: 'engine-port-request', requestId }, '*')
      })
      const events: any[] = []
      let wake: () => void = () => {}
      port.onmessage = (event) => {
        events.push(event.data)
        wake()
      }
      const next = async (type: string, timeoutMs: number): Promise<any> => {
        const deadline = Date.now() + timeoutMs
        for (;;) {
          const index = events.findIndex((e) => e.type === type || e.type === 'error')
          if (index >= 0) {
            const [event] = events.splice(index, 1)
            if (event.type === 'error') throw new Error(`engine error ${event.code}: ${event.message}`)
            return event
          }
          if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(', ')}`)
          await new Promise<void>((r) => {
            wake = r
            setTimeout(r, 200)
          })
        }
      }
      port.postMessage({ type: 'hello', protocolVersion })
      let ready = await next('ready', 10_000)
      if (!ready.dataset) ready = { ...ready, dataset: (await next('datasetLoaded', 30_000)).dataset }
      port.postMessage({ type: 'startRun', runId: requestId, config })
      const evaluation = await next('evaluation', 60_000)
      const finished = await next('runFinished', 60_000)
      port.close()
      return { ready, evaluation, finished }
    },
    { config, protocolVersion: PROTOCOL_VERSION }
  )
}

test.describe('Electron app', () => {
  test.describe.configure({ mode: 'serial' })

  let app: ElectronApplication
  let appWindow: Page
  const pageErrors: string[] = []

  test.beforeAll(async () => {
    if (skipReason) {
      // One line in the list reporter's output, once for the whole group; then every test is skipped.
      console.log(skipReason)
      test.skip(true, skipReason)
      return
    }
    if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('out/main/index.js is missing: run `npx electron-vite build` first')
    if (!('binary' in lookup)) throw new Error('unreachable: skipped above')
    app = await electron.launch({
      executablePath: lookup.binary,
      // `.` = this package: "main" is out/main/index.js, and app.getAppPath() is the project root, where
      // resources/mnist (the bundled data) lives.
      args: ['.'],
      cwd: root,
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 60_000
    })
    appWindow = await app.firstWindow()
    appWindow.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`))
    appWindow.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console error: ${message.text()}`)
    })
    await appWindow.waitForLoadState('load')
  })

  test.afterAll(async () => {
    await app?.close()
  })

  test('opens one locked-down window showing the app from out/renderer', async () => {
    await expect(appWindow).toHaveTitle(/Gradient Lab/)
    const info = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows()
      const contents = windows[0].webContents
      // getLastWebPreferences() is undocumented (absent from electron.d.ts) but present at run time; the
      // page-side checks below hold either way.
      const prefs = (contents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null }).getLastWebPreferences?.()
      return {
        count: windows.length,
        url: contents.getURL(),
        prefs: prefs
          ? { contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration, webSecurity: prefs.webSecurity }
          : null
      }
    })
    expect(info.count).toBe(1)
    if (info.prefs) expect(info.prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(info.url).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html/)

    const bridge = await appWindow.evaluate(() => {
      const api = (window as unknown as { gradientLab?: GradientLabApi }).gradientLab
      return {
        host: api?.host,
        api: Object.keys(api ?? {}).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process
      }
    })
    expect(bridge).toEqual({
      host: 'electron',
      api: ['chooseDatasetDirectory', 'chooseImportDirectory', 'host', 'models', 'onEngineStatus', 'runs', 'saveCsvFile'],
      require: 'undefined',
      process: 'undefined'
    })

    // window.open is denied; the window count stays 1.
    await appWindow.evaluate(() => void window.open('https://example.com/'))
    await appWindow.waitForTimeout(300)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })

  test('loads the bundled dataset and a short training run produces an evaluation', async () => {
    // Through the app's UI: the engine badge, the dataset panel, Start, the generation readout.
    await expect(appWindow.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })
    await expect(appWindow.getByTestId('dataset')).toHaveAttribute('data-train', '8000', { timeout: 30_000 })
    await expect(appWindow.getByTestId('dataset')).toHaveAttribute('data-test', '2000')
    await appWindow.locator('[data-action="start"]').click()
    await expect(appWindow.getByTestId('generation')).toHaveAttribute('data-test-acc', /\d/, { timeout: 60_000 })
    const stop = appWindow.locator('[data-action="stop"]')
    if (await stop.isEnabled()) await stop.click()
    // The engine runs one run at a time: wait until the UI's run has ended before starting another.
    await expect(appWindow.getByTestId('run-status')).toHaveAttribute('data-status', /^(completed|stopped|diverged|failed)$/, {
      timeout: 30_000
    })

    // Through the engine protocol over a port of its own, with a config small enough to finish.
    const { ready, evaluation, finished } = await driveEngineFromPage(appWindow, SHORT_RUN)
    expect(ready.dataset).toMatchObject({ train: { count: 8000 }, test: { count: 2000 } })
    expect(Number.isFinite(evaluation.evaluation.loss)).toBe(true)
    expect(evaluation.evaluation.testAcc).toBeGreaterThan(0.3)
    expect(finished.status).toBe('completed')
    expect(pageErrors, pageErrors.join('\n')).toEqual([])
  })

  test('restarts the engine after its process dies and hands the page a new port', async () => {
    // Record the statuses the preload pushes, from the page's side of the bridge.
    await appWindow.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { __engineStates: string[] }).__engineStates = seen
      ;(window as unknown as { gradientLab: GradientLabApi }).gradientLab.onEngineStatus((s) => seen.push(s.state))
    })
    const killed = await app.evaluate(({ app: electronApp }) => {
      // utilityProcess.fork's serviceName is the `name` of its ProcessMetric.
      const engine = electronApp.getAppMetrics().find((m) => m.type === 'Utility' && m.name === 'gradient-lab-engine')
      if (!engine) return null
      process.kill(engine.pid, 'SIGKILL')
      return engine.pid
    })
    expect(killed, 'the engine utility process should be listed in app.getAppMetrics()').not.toBeNull()
    const states = (): Promise<string[]> => appWindow.evaluate(() => (window as unknown as { __engineStates: string[] }).__engineStates)
    await expect.poll(async () => (await states()).slice(-3), { timeout: 30_000 }).toEqual(['crashed', 'restarting', 'running'])
    await expect(appWindow.getByTestId('engine-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })
    const { finished } = await driveEngineFromPage(appWindow, { ...SHORT_RUN, iterations: 30 })
    expect(finished.status).toBe('completed')
  })
})
