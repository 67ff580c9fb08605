import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import type { RunConfig } from '@engine/config/run-config'
import type { SweepSpec } from '@engine/sweep'
import { EngineClient } from '@renderer/engine-client/engine-client'
import type { EnginePool, ExtraEngine } from '@renderer/engine-client/engine-pool'
import { useEngineStore } from '@renderer/stores/engine'
import { useRunLibraryStore } from '@renderer/stores/run-library'
import { useSweepsStore } from '@renderer/stores/sweeps'
import { SWEEP_STORAGE_KEY } from '@renderer/lib/sweeps/sweep-storage'
import { sweepCsv } from '@renderer/lib/sweeps/sweep-csv'
import { DATASET, FakePort, fakeConnection, preset } from '../fixtures'

/*
 * The sweeps store over fake engines: each answers hello with the data set and trains a run as a few
 * evaluations a timer tick apart (test accuracy rises with the learning rate and the iteration), so two
 * engines really interleave and halving has something to judge.
 */

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1))

class FakeEngine extends FakePort {
  static active = 0
  static maxActive = 0
  private stopped = new Set<string>()
  private lastConfig: RunConfig | null = null
  saves = 0

  constructor(private readonly log: string[]) {
    super()
  }

  override postMessage(message: unknown, transfer: Transferable[] = []): void {
    super.postMessage(message, transfer)
    const command = message as { type: string; runId?: string; config?: RunConfig }
    if (command.type === 'hello')
      setTimeout(() => this.deliver({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [], dataset: DATASET, activeRunId: null }), 1)
    if (command.type === 'stopRun') this.stopped.add(command.runId!)
    if (command.type === 'startRun') void this.train(command.runId!, command.config!)
    if (command.type === 'saveModel') {
      this.saves++
      const config = this.lastConfig!
      // A model file's bytes: here the learning rate, so a test can tell whose network it is.
      const bytes = new Uint8Array(new Float64Array([config.optimizer.lr]).buffer)
      const summary = {
        formatVersion: 1,
        kind: 'checkpoint',
        config,
        presetId: null,
        inputShape: [784],
        dataset: null,
        metrics: null,
        appVersion: 'test',
        savedAt: '2026-12-06T00:00:00Z',
        precision: 'float32',
        parameterCount: 1,
        iteration: config.iterations,
        bytes: 8
      }
      const requestId = (command as { requestId?: string }).requestId
      setTimeout(() => this.deliver({ type: 'modelSaved', requestId, runId: 'run-x', bytes, summary }), 1)
    }
  }

  private async train(runId: string, config: RunConfig): Promise<void> {
    this.log.push(`start ${config.optimizer.lr} ${config.seed}`)
    this.lastConfig = config
    FakeEngine.active++
    FakeEngine.maxActive = Math.max(FakeEngine.maxActive, FakeEngine.active)
    await tick()
    this.deliver({ type: 'runStarted', runId, config, dataset: DATASET.name })
    let last = null
    let status: 'completed' | 'stopped' = 'completed'
    for (let iter = config.evalInterval; iter <= config.iterations; iter += config.evalInterval) {
      await tick()
      if (this.stopped.has(runId)) {
        status = 'stopped'
        break
      }
      this.deliver({
        type: 'progress',
        runId,
        iter,
        totalIters: config.iterations,
        elapsedMs: iter,
        itersPerSec: 1000,
        losses: { firstIter: iter, values: [1] }
      })
      last = { iter, loss: 1, trainAcc: 0.5, testAcc: 0.5 + config.optimizer.lr + iter / 1e5, elapsedMs: iter }
      this.deliver({ type: 'evaluation', runId, evaluation: last })
    }
    FakeEngine.active--
    this.deliver({ type: 'runFinished', runId, status, iter: last?.iter ?? 0, elapsedMs: last?.iter ?? 0, last })
  }
}

function fakePool(log: string[]): EnginePool & { opened: number; closed: number; engines: FakeEngine[] } {
  const pool = {
    engines: [] as FakeEngine[],
    opened: 0,
    closed: 0,
    async open(count: number): Promise<ExtraEngine[]> {
      pool.opened += count
      return Array.from({ length: count }, () => {
        const engine = new FakeEngine(log)
        pool.engines.push(engine)
        return { client: new EngineClient(engine), onFailure: () => undefined }
      })
    },
    close() {
      pool.closed++
    }
  }
  return pool
}

function setup(log: string[] = []) {
  setActivePinia(createPinia())
  const fake = fakeConnection()
  const engine = useEngineStore()
  engine.attach(fake.connection)
  const base = preset('vg-relu-he', 'vanishing-gradient')
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [base], dataset: DATASET, activeRunId: null })
  const sweeps = useSweepsStore()
  const pool = fakePool(log)
  sweeps.usePool(() => pool)
  return { sweeps, pool, log, runs: useRunLibraryStore(), base: base.config }
}

const grid = (base: RunConfig, lrs: number[], extra: Partial<SweepSpec> = {}): SweepSpec => ({
  base: { ...base, iterations: 40, evalInterval: 10 },
  grid: { 'optimizer.lr': lrs },
  seeds: 2,
  ...extra
})

describe('the sweeps store', () => {
  beforeEach(() => {
    localStorage.clear()
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 4, configurable: true })
    FakeEngine.active = 0
    FakeEngine.maxActive = 0
  })
  afterEach(() => localStorage.clear())

  it('runs the trials on two engines at once, each trial an ordinary run in the run library', async () => {
    const { sweeps, pool, runs, base } = setup()
    expect(await sweeps.start(grid(base, [0.05, 0.2]), { workers: 2 })).toBeNull()
    expect(pool.opened).toBe(2)
    expect(pool.closed).toBe(1)
    expect(FakeEngine.maxActive).toBe(2)
    expect(sweeps.phase).toBe('finished')
    expect(sweeps.results.map((r) => [r.trial, r.settings, r.seed, r.iter, r.stoppedEarly])).toEqual([
      [1, { 'optimizer.lr': 0.05 }, 1, 40, false],
      [2, { 'optimizer.lr': 0.05 }, 2, 40, false],
      [3, { 'optimizer.lr': 0.2 }, 1, 40, false],
      [4, { 'optimizer.lr': 0.2 }, 2, 40, false]
    ])
    // The cost of vg-relu-he's 784-40-20-10 MLP on 28×28 images.
    expect(sweeps.results[0]).toMatchObject({ params: 32_430, macs: 784 * 40 + 40 * 20 + 20 * 10, testAcc: 0.5 + 0.05 + 40 / 1e5 })
    expect(sweeps.best?.trial).toBe(3)
    // Each trial's network was asked for as it ended; the best one's is kept for *Save as model*.
    expect(pool.engines.reduce((n, e) => n + e.saves, 0)).toBe(4)
    expect(sweeps.bestModel?.trial).toBe(3)
    expect(new Float64Array(sweeps.bestModel!.bytes.slice().buffer)[0]).toBe(0.2)
    for (const r of sweeps.results) {
      const entry = runs.get(sweeps.runIdOf(r.trial))!
      expect(entry.status).toBe('completed')
      expect(entry.config?.optimizer.lr).toBe(r.settings['optimizer.lr'])
      expect(runs.evaluationsOf(entry.id).map((e) => e.iter)).toEqual([10, 20, 30, 40])
    }
  })

  it('successive halving stops the weaker trials at a rung (the engine is told to stop), marked stopped early', async () => {
    const { sweeps, log, base, pool } = setup()
    // One engine, so the trials reach the first rung (10) in order: best first, each later one worse than all before it.
    await sweeps.start({ ...grid(base, [0.06, 0.05, 0.04, 0.03, 0.02, 0.01], { seeds: 1 }), halving: { minIterations: 10, eta: 3 } }, { workers: 1 })
    expect(log).toHaveLength(6)
    const stopped = sweeps.results.filter((r) => r.stoppedEarly)
    expect(stopped.map((r) => r.trial)).toEqual([2, 3, 4, 5, 6])
    for (const r of stopped) {
      expect(r.iter).toBe(10)
      expect(r.rungs).toEqual([{ iter: 10, metric: r.testAcc }])
    }
    // The best learning rate is never stopped, and it is the best trial.
    expect(sweeps.results.find((r) => r.settings['optimizer.lr'] === 0.06)?.stoppedEarly).toBe(false)
    expect(sweeps.best?.settings).toEqual({ 'optimizer.lr': 0.06 })
    // A trial halving stopped is not kept as a model: only the one that ran to its end was saved.
    expect(pool.engines[0].saves).toBe(1)
  })

  it('a sweep cancelled after its first trial and read back after a reload keeps that trial; Resume runs only the rest', async () => {
    const first = setup()
    const started = first.sweeps.start(grid(first.base, [0.05, 0.2]), { workers: 1 })
    while (first.sweeps.results.length === 0) await tick()
    first.sweeps.cancel()
    await started
    expect(first.sweeps.phase).toBe('interrupted')
    const kept = first.sweeps.results
    expect(kept.length).toBeGreaterThanOrEqual(1)
    expect(kept.length).toBeLessThan(4)
    expect(JSON.parse(localStorage.getItem(SWEEP_STORAGE_KEY)!).results).toEqual(kept)

    // A new page: the store reads the saved sweep back.
    const log: string[] = []
    const second = setup(log)
    expect(second.sweeps.phase).toBe('interrupted')
    expect(second.sweeps.results).toEqual(kept)
    expect(second.sweeps.remaining).toBe(4 - kept.length)
    expect(second.sweeps.canResume).toBe(true)
    await second.sweeps.resume()
    expect(log).toHaveLength(4 - kept.length)
    expect(second.sweeps.phase).toBe('finished')
    expect(second.sweeps.results.map((r) => r.trial)).toEqual([1, 2, 3, 4])
    expect(second.sweeps.results.slice(0, kept.length)).toEqual(kept)
  })

  it('a cancel while the engines start ends the sweep at once, interrupted, nothing trained', async () => {
    const { sweeps, pool, log, base } = setup()
    const started = sweeps.start(grid(base, [0.05, 0.2]), { workers: 2 })
    expect(sweeps.phase).toBe('preparing')
    sweeps.cancel()
    await started
    expect(sweeps.phase).toBe('interrupted')
    expect(sweeps.error).toBeNull()
    expect(log).toEqual([])
    expect(pool.closed).toBe(1)
    expect(sweeps.canResume).toBe(true)
  })

  it('refuses a sweep that is not one with its sentence, and starts nothing', async () => {
    const { sweeps, pool, base } = setup()
    const problem = await sweeps.start({ base, grid: { 'optimizer.lrr': [0.1] }, seeds: 1 }, { workers: 2 })
    expect(problem).toMatch(/optimizer\.lrr/)
    expect(pool.opened).toBe(0)
    expect(sweeps.phase).toBe('idle')
  })

  it('exports the table as CSV: a column per varied setting, one row per trial', async () => {
    const { sweeps, base } = setup()
    await sweeps.start(grid(base, [0.05, 0.2]), { workers: 2 })
    const lines = sweepCsv(sweeps.results, sweeps.fields).replace('\uFEFF', '').trim().split('\r\n')
    expect(lines[0]).toBe('trial,optimizer.lr,seed,iter,testAcc,valAcc,params,macs,elapsedMs,stoppedEarly,status')
    expect(lines).toHaveLength(5)
    expect(lines[3].split(',').slice(0, 4)).toEqual(['3', '0.2', '1', '40'])
    expect(lines[3]).toMatch(/,false,completed$/)
  })
})
