import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRunLibraryStore } from '@renderer/stores/run-library'
import { generationLines, pyFloat } from '@renderer/lib/format'
import { PROTOCOL_VERSION } from '@engine/protocol'
import { DATASET } from '../fixtures'
import { readyStores } from './ready-stores'

const setup = () => readyStores()

function startedRun() {
  const s = setup()
  expect(s.run.start(s.p, 7)).toBe(true)
  const runId = s.run.runId!
  s.send({ type: 'runStarted', runId, presetId: s.p.id, config: { ...s.p.config, seed: 7 }, dataset: DATASET.name })
  return { ...s, runId }
}

describe('the Generation line', () => {
  it('is printed exactly as the course prints it', () => {
    expect(generationLines(2000, 0.98, 0.9523)).toEqual(['Generation: 2000. 正答率(トレーニング) = 0.98', '                : 2000. 正答率(テスト) = 0.9523'])
    expect(generationLines(2000, 0.98, 0.9523)[1].indexOf(':')).toBe(16)
  })

  it('prints floats like Python str()', () => {
    expect(pyFloat(0.98)).toBe('0.98')
    expect(pyFloat(0.9523)).toBe('0.9523')
    expect(pyFloat(1)).toBe('1.0')
    expect(pyFloat(0)).toBe('0.0')
    expect(pyFloat(0.1 + 0.2)).toBe('0.30000000000000004')
    expect(pyFloat(0.0001)).toBe('0.0001')
    expect(pyFloat(0.00001)).toBe('1e-05')
    expect(pyFloat(Number.NaN)).toBe('nan')
    expect(pyFloat(Number.POSITIVE_INFINITY)).toBe('inf')
  })
})

describe('run store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends startRun with the preset config and the chosen seed', () => {
    const s = setup()
    s.run.start(s.p, 7)
    const start = s.port.commands().find((c) => c.type === 'startRun')
    expect(start).toMatchObject({ type: 'startRun', presetId: 'vg-relu-he', config: { ...s.p.config, seed: 7 } })
    expect(s.run.phase).toBe('starting')
    expect(s.run.isActive).toBe(true)
  })

  it('refuses a bad seed locally and names the field', () => {
    const s = setup()
    expect(s.run.start(s.p, -1)).toBe(false)
    expect(s.run.fieldProblems.map((p) => p.field)).toEqual(['seed'])
    expect(s.port.commands().some((c) => c.type === 'startRun')).toBe(false)
  })

  it('accumulates progress, losses and evaluations and formats the latest evaluation', () => {
    const s = startedRun()
    expect(s.run.phase).toBe('running')
    s.send({ type: 'progress', runId: s.runId, iter: 3, totalIters: 2000, elapsedMs: 10, itersPerSec: 300, losses: { firstIter: 1, values: [2.3, 2.2, 2.1] } })
    s.send({ type: 'progress', runId: s.runId, iter: 5, totalIters: 2000, elapsedMs: 20, itersPerSec: 250, losses: { firstIter: 4, values: [2.0, 1.9] } })
    expect(s.run.iter).toBe(5)
    expect(s.run.lossCount).toBe(5)
    expect(s.run.lossPoints.map((p) => p.x)).toEqual([1, 2, 3, 4, 5])
    expect(s.run.lossPoints.at(-1)?.y).toBeCloseTo(1.9)
    expect(s.run.secondsLeft).toBeCloseTo((2000 - 5) / 250)

    s.send({ type: 'evaluation', runId: s.runId, evaluation: { iter: 10, loss: 1.5, trainAcc: 0.5, testAcc: 0.45, elapsedMs: 30 } })
    s.send({ type: 'evaluation', runId: s.runId, evaluation: { iter: 2000, loss: 0.1, trainAcc: 0.98, testAcc: 0.9523, elapsedMs: 3000 } })
    expect(s.run.evaluations).toHaveLength(2)
    expect(s.run.trainAccPoints).toEqual([
      { x: 10, y: 0.5 },
      { x: 2000, y: 0.98 }
    ])
    expect(s.run.testAccPoints.at(-1)).toEqual({ x: 2000, y: 0.9523 })
    expect(s.run.generation).toEqual(['Generation: 2000. 正答率(トレーニング) = 0.98', '                : 2000. 正答率(テスト) = 0.9523'])
  })

  it('shows how far an evaluation has come until its result arrives', () => {
    const s = startedRun()
    const progress = (iter: number, values: number[], evaluating?: { done: number; total: number }, elapsedMs = iter) =>
      s.send({
        type: 'progress',
        runId: s.runId,
        iter,
        totalIters: 2000,
        elapsedMs,
        itersPerSec: 5,
        losses: { firstIter: iter - values.length + 1, values },
        ...(evaluating ? { evaluating } : {})
      })
    progress(10, [2.3, 2.2], { done: 0, total: 6000 })
    expect(s.run.evaluating).toEqual({ done: 0, total: 6000 })
    const entry = useRunLibraryStore().get(s.runId)!
    progress(10, [], { done: 3000, total: 6000 }, 25)
    expect(s.run.evaluating).toEqual({ done: 3000, total: 6000 })
    expect(s.run.iter).toBe(10)
    expect(s.run.lossCount).toBe(2)
    // The run's entry is left as it was, so the views that follow it are not told.
    expect(entry.elapsedMs).toBe(10)
    expect(s.run.elapsedMs).toBe(25)
    s.send({ type: 'evaluation', runId: s.runId, evaluation: { iter: 10, loss: 2.2, trainAcc: 0.5, testAcc: 0.45, elapsedMs: 30 } })
    expect(s.run.evaluating).toBeNull()
    progress(20, [2.1], { done: 100, total: 6000 })
    s.send({ type: 'runFinished', runId: s.runId, status: 'stopped', iter: 20, elapsedMs: 40, last: null })
    expect(s.run.evaluating).toBeNull()
  })

  it('ignores events of other runs', () => {
    const s = startedRun()
    s.send({ type: 'progress', runId: 'someone-else', iter: 50, totalIters: 2000, elapsedMs: 10, itersPerSec: 1, losses: { firstIter: 1, values: [1] } })
    s.send({ type: 'evaluation', runId: 'someone-else', evaluation: { iter: 10, loss: 1, trainAcc: 0.1, testAcc: 0.1, elapsedMs: 1 } })
    expect(s.run.iter).toBe(0)
    expect(s.run.evaluations).toHaveLength(0)
  })

  it('keeps at most 1000 plotted loss points however long the run', () => {
    const s = startedRun()
    for (let start = 1; start <= 2000; start += 100) {
      const values = Array.from({ length: 100 }, (_, i) => 2 / (start + i))
      s.send({
        type: 'progress',
        runId: s.runId,
        iter: start + 99,
        totalIters: 2000,
        elapsedMs: start,
        itersPerSec: 1000,
        losses: { firstIter: start, values }
      })
    }
    expect(s.run.lossCount).toBe(2000)
    expect(s.run.lossPoints.length).toBeLessThanOrEqual(1000)
    expect(s.run.lossPoints.length).toBeGreaterThan(900)
    // Min-max thinning keeps the extremes.
    expect(Math.max(...s.run.lossPoints.map((p) => p.y))).toBeCloseTo(2)
  })

  it('pauses, resumes and stops, keeping what was drawn', () => {
    const s = startedRun()
    s.send({ type: 'progress', runId: s.runId, iter: 2, totalIters: 2000, elapsedMs: 10, itersPerSec: 200, losses: { firstIter: 1, values: [2.3, 2.2] } })
    s.run.pause()
    s.send({ type: 'runPaused', runId: s.runId, iter: 2 })
    expect(s.run.phase).toBe('paused')
    s.run.resume()
    s.send({ type: 'runResumed', runId: s.runId, iter: 2 })
    expect(s.run.phase).toBe('running')
    s.run.stop()
    expect(s.run.phase).toBe('stopping')
    s.send({ type: 'runFinished', runId: s.runId, status: 'stopped', iter: 2, elapsedMs: 20, last: null })
    expect(s.run.phase).toBe('stopped')
    expect(s.run.isActive).toBe(false)
    expect(s.run.lossPoints).toHaveLength(2)
    const controls = s.port
      .commands()
      .filter((c) => ['pauseRun', 'resumeRun', 'stopRun'].includes(c.type))
      .map((c) => c.type)
    expect(controls).toEqual(['pauseRun', 'resumeRun', 'stopRun'])
  })

  it('sends a Stop pressed before the run started as soon as it starts', () => {
    const s = setup()
    s.run.start(s.p, 1)
    s.run.stop()
    expect(s.port.commands().some((c) => c.type === 'stopRun')).toBe(false)
    s.send({ type: 'runStarted', runId: s.run.runId!, config: s.p.config, dataset: DATASET.name })
    expect(s.port.commands().at(-1)).toEqual({ type: 'stopRun', runId: s.run.runId })
  })

  it('shows a divergence as an alert with the engine message', () => {
    const s = startedRun()
    s.send({ type: 'runFinished', runId: s.runId, status: 'diverged', iter: 40, elapsedMs: 20, last: null, message: 'loss became NaN at iteration 40' })
    expect(s.run.phase).toBe('diverged')
    expect(s.run.finishMessage).toBe('loss became NaN at iteration 40')
    expect(s.engine.alerts).toHaveLength(1)
    expect(s.engine.alerts[0]).toMatchObject({ code: 'DIVERGED', message: 'loss became NaN at iteration 40' })
  })

  it('goes back to idle when the engine refuses the start, with field problems', () => {
    const s = setup()
    s.run.start(s.p, 1)
    s.send({
      type: 'error',
      code: 'INVALID_CONFIG',
      message: 'invalid settings',
      runId: s.run.runId!,
      problems: [{ field: 'optimizer.lr', message: 'must be greater than 0' }]
    })
    expect(s.run.phase).toBe('idle')
    expect(s.run.fieldProblems).toEqual([{ field: 'optimizer.lr', message: 'must be greater than 0' }])
    expect(s.engine.alerts[0]).toMatchObject({ code: 'INVALID_CONFIG' })
  })

  it('ends the run when the engine crashes, keeping its charts', () => {
    const s = startedRun()
    s.send({ type: 'progress', runId: s.runId, iter: 2, totalIters: 2000, elapsedMs: 10, itersPerSec: 200, losses: { firstIter: 1, values: [2.3, 2.2] } })
    s.status({ state: 'crashed', reason: 'killed' })
    expect(s.run.phase).toBe('interrupted')
    expect(s.run.finishKey).toBe('run.lostOnCrash')
    expect(s.run.lossPoints).toHaveLength(2)
  })

  it('marks the run lost when a restarted engine no longer has it', () => {
    const s = startedRun()
    s.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [s.p], dataset: DATASET, activeRunId: null })
    expect(s.run.phase).toBe('interrupted')
    expect(s.run.finishKey).toBe('run.lostOnRestart')
  })
})

describe('engine store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('takes presets and dataset from ready and follows dataset loading', () => {
    const s = setup()
    expect(s.engine.ready).toBe(true)
    expect(s.engine.presets.map((p) => p.id)).toEqual(['vg-relu-he'])
    s.send({ type: 'datasetLoading', name: 'other' })
    expect(s.engine.datasetLoading).toBe('other')
    s.send({ type: 'error', code: 'DATASET_INVALID', message: 'train-images-idx3-ubyte: truncated' })
    expect(s.engine.datasetLoading).toBeNull()
    // The previous dataset stays active.
    expect(s.engine.dataset?.name).toBe(DATASET.name)
    expect(s.engine.alerts[0]).toMatchObject({ code: 'DATASET_INVALID', message: 'train-images-idx3-ubyte: truncated' })
  })

  it('names the missing files of a picked folder before sending anything', async () => {
    const s = setup()
    const file = (name: string) => ({ name, webkitRelativePath: `mnist/${name}`, arrayBuffer: async () => new ArrayBuffer(4) })
    await s.engine.importFolderFiles([
      file('train-images-idx3-ubyte.gz'),
      file('train-labels-idx1-ubyte'),
      file('t10k-images-idx3-ubyte.gz'),
      file('README.md')
    ])
    expect(s.engine.alerts.at(-1)).toMatchObject({ code: 'DATASET_MISSING_FILE', params: { files: 't10k-labels-idx1-ubyte' } })
    expect(s.port.commands().some((c) => c.type === 'loadDataset')).toBe(false)
  })

  it('sends a complete folder with loadDataset', async () => {
    const s = setup()
    const file = (name: string) => ({ name, webkitRelativePath: `mnist/${name}`, arrayBuffer: async () => new ArrayBuffer(4) })
    await s.engine.importFolderFiles(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(file))
    const load = s.port.sent.find((x) => (x.message as { type: string }).type === 'loadDataset')
    expect(load?.message).toMatchObject({ type: 'loadDataset', name: 'mnist' })
    expect(load?.transfer).toHaveLength(4)
    expect(s.engine.datasetLoading).toBe('mnist')
  })

  it('reports a crash and notes the restart', () => {
    const s = setup()
    s.status({ state: 'crashed', reason: 'out of memory' })
    expect(s.engine.state).toBe('crashed')
    expect(s.engine.alerts.at(-1)).toMatchObject({ code: 'ENGINE_CRASHED', params: { reason: 'out of memory' } })
    s.status({ state: 'restarting' })
    s.status({ state: 'connected', restarted: true })
    expect(s.engine.notice).toBe('engineRestarted')
    expect(s.engine.state).toBe('connecting')
  })

  it('shows the same problem once', () => {
    const s = setup()
    s.send({ type: 'error', code: 'INTERNAL', message: 'boom' })
    s.send({ type: 'error', code: 'INTERNAL', message: 'boom' })
    expect(s.engine.alerts).toHaveLength(1)
    s.engine.dismissAlert(s.engine.alerts[0].id)
    expect(s.engine.alerts).toHaveLength(0)
  })
})
