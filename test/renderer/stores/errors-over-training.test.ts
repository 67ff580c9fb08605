import { describe, expect, it } from 'vitest'
import type { Evaluation } from '@engine/protocol'
import { toRecord } from '@renderer/stores/run-library'
import { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import { checkRunRecord } from '@renderer/lib/storage/run-record'
import { confusionCapacity, MAX_STORED_CONFUSIONS, packConfusion, perClassAccuracy, unpackConfusion } from '@renderer/lib/storage/run-record-confusion'
import { MAX_STORED_EMBEDDING_SNAPSHOTS, packPoints, unpackPoints } from '@renderer/lib/storage/run-record-embedding'
import { summarizeRunRecord } from '../../../src/main/run-summary'
import { checkRunSummary } from '@renderer/lib/storage/run-summary'
import { DATASET } from '../fixtures'
import { readyStores } from './ready-stores'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

const setup = (storage = new MemoryRunStorage()) => readyStores(storage)

function startRun(s: ReturnType<typeof setup>): string {
  expect(s.run.startConfig({ config: s.p.config, presetId: s.p.id, custom: false })).toBe(true)
  const runId = s.run.runId!
  s.send({ type: 'runStarted', runId, presetId: s.p.id, config: s.p.config, dataset: DATASET.name })
  return runId
}

/** A 3-class matrix whose diagonal grows with the iteration. */
function matrix(iter: number): number[][] {
  const right = Math.min(10, iter)
  return [
    [right, 10 - right, 0],
    [0, 10, 0],
    [10 - right, 0, right]
  ]
}

/** An evaluation as the engine sends it: the matrix flat, row-major. */
const evaluation = (iter: number, confusion?: number[][]): Evaluation => ({
  iter,
  loss: 1,
  trainAcc: 0.5,
  testAcc: 0.4,
  elapsedMs: 5,
  ...(confusion ? { confusion: confusion.flat() } : {})
})

describe('errors and embeddings over training, kept with the run', () => {
  it('round-trips the confusion matrices (compactly, not inside the evaluations) and the embedding snapshots', async () => {
    const s = setup()
    const runId = startRun(s)
    for (const iter of [2, 5, 10]) {
      s.runs.evaluation(runId, evaluation(iter, matrix(iter)))
      s.runs.embeddingSnapshot(
        runId,
        {
          iter,
          layer: 'relu2',
          method: 'pca',
          points: [
            [iter, -1.5],
            [0.25, 3],
            [-iter, 0]
          ]
        },
        { indices: [0, 1, 2], labels: [7, 2, 1] }
      )
    }
    s.send({ type: 'runFinished', runId, status: 'completed', iter: 10, elapsedMs: 9, last: evaluation(10) })
    await settle()

    const checked = checkRunRecord(s.storage.items.get(runId))
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    const record = checked.record
    expect(record.evaluations.map((e) => e.iter)).toEqual([2, 5, 10])
    expect(record.evaluations.some((e) => 'confusion' in e)).toBe(false)
    expect(record.confusions.map((c) => c.iter)).toEqual([2, 5, 10])
    expect(unpackConfusion(record.confusions[1])).toEqual(matrix(5))
    expect(record.embeddingImages).toEqual({ indices: [0, 1, 2], labels: [7, 2, 1] })
    expect(record.embeddingSnapshots.map((e) => [e.iter, e.layer, e.method])).toEqual([
      [2, 'relu2', 'pca'],
      [5, 'relu2', 'pca'],
      [10, 'relu2', 'pca']
    ])
    // Integers on the snapshot's own scale: a picture's worth of precision.
    const points = unpackPoints(record.embeddingSnapshots[2])
    expect(points[0][0]).toBeCloseTo(10, 3)
    expect(points[1][1]).toBeCloseTo(3, 3)
    expect(points[2][0]).toBeCloseTo(-10, 3)

    // Read back in a new window: the same matrices and points.
    const again = setup(s.storage)
    await again.runs.load()
    expect(again.runs.confusionsOf(runId).map((c) => unpackConfusion(c))).toEqual([matrix(2), matrix(5), matrix(10)])
    expect(again.runs.embeddingSnapshotsOf(runId).snapshots).toEqual(record.embeddingSnapshots)
    expect(again.runs.embeddingSnapshotCount(again.runs.get(runId)!)).toBe(3)
    expect(toRecord(again.runs.get(runId)!)).toEqual(record)

    // The desktop index counts the snapshots, so #/embedding lists the run without reading it whole.
    const summary = checkRunSummary(summarizeRunRecord(record))
    expect(summary.ok && summary.summary.embeddingSnapshotCount).toBe(3)
  })

  it('still loads a record kept before runs had confusions or embeddings (and an index without the count)', async () => {
    const s = setup()
    const runId = startRun(s)
    s.runs.evaluation(runId, evaluation(5))
    s.send({ type: 'runFinished', runId, status: 'completed', iter: 5, elapsedMs: 9, last: evaluation(5) })
    await settle()
    const { confusions: _c, embeddingSnapshots: _e, embeddingImages: _i, ...old } = s.storage.items.get(runId) as Record<string, unknown>
    s.storage.items.set(runId, old)

    const again = setup(s.storage)
    await again.runs.load()
    expect(again.runs.warnings).toEqual([])
    expect(again.runs.evaluationsOf(runId)).toHaveLength(1)
    expect(again.runs.confusionsOf(runId)).toEqual([])
    expect(again.runs.embeddingSnapshotsOf(runId)).toEqual({ snapshots: [], images: null })
    const { embeddingSnapshotCount: _n, ...oldSummary } = summarizeRunRecord(old)
    const summary = checkRunSummary(oldSummary)
    expect(summary.ok && summary.summary.embeddingSnapshotCount).toBe(0)
  })

  it('refuses a damaged matrix or snapshot with a warning naming it', async () => {
    const s = setup()
    const runId = startRun(s)
    s.send({ type: 'runFinished', runId, status: 'completed', iter: 5, elapsedMs: 9, last: null })
    await settle()
    const good = s.storage.items.get(runId) as Record<string, unknown>
    expect(checkRunRecord({ ...good, confusions: [{ iter: 1, size: 3, counts: [1, 2] }] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('size²')
    })
    expect(checkRunRecord({ ...good, embeddingSnapshots: [{ iter: 1, layer: 'a', method: 'pca', scale: 1, xy: [1, 2, 3] }] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('pairs')
    })
  })

  it('keeps few enough matrices of a many-class set, and thins them evenly', () => {
    expect(confusionCapacity(10)).toBe(MAX_STORED_CONFUSIONS)
    expect(confusionCapacity(100)).toBe(20)
    expect(confusionCapacity(1000)).toBe(10)
    const s = setup()
    const runId = startRun(s)
    for (let i = 1; i <= 3 * MAX_STORED_EMBEDDING_SNAPSHOTS; i++) s.runs.embeddingSnapshot(runId, { iter: i, layer: 'l', method: 'pca', points: [[i, 0]] })
    const kept = s.runs.embeddingSnapshotsOf(runId).snapshots
    expect(kept.length).toBeLessThanOrEqual(MAX_STORED_EMBEDDING_SNAPSHOTS + 1)
    expect(kept[0].iter).toBe(1)
    expect(kept.at(-1)!.iter).toBe(3 * MAX_STORED_EMBEDDING_SNAPSHOTS)
  })

  it('reads per-class accuracy from a matrix, and packs only square ones', () => {
    const packed = packConfusion(4, [
      [8, 2],
      [1, 3]
    ])!
    expect(packed).toEqual({ iter: 4, size: 2, counts: [8, 2, 1, 3] })
    expect(perClassAccuracy(packed)).toEqual([0.8, 0.75])
    expect(perClassAccuracy({ iter: 0, size: 2, counts: [0, 0, 1, 1] })).toEqual([null, 0.5])
    expect(packConfusion(1, [[1, 2]])).toBeNull()
    expect(packConfusion(1, [1, 2, 3])).toBeNull()
    expect(packConfusion(1, [1, 2, 3, 4])).toEqual({ iter: 1, size: 2, counts: [1, 2, 3, 4] })
    expect(packPoints({ iter: 0, layer: 'l', method: 'pca', points: [[0, 0]] })).toEqual({ iter: 0, layer: 'l', method: 'pca', scale: 0, xy: [0, 0] })
  })
})
