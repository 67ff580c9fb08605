import { expect, test } from '@playwright/test'
import { Random } from '../../src/engine/core/random'
import { project } from '../../src/engine/embed/projection'
import { runInWorker, workerBundle } from './worker-bundle'

/*
 * The engine's projections (PCA, exact t-SNE, UMAP by umap-js) bundled for a browser and run in a real
 * Chromium Web Worker give the very points Node gives for the same data and seed: the seeded pictures are
 * the same on every host, bit for bit. (The app's own worker runs embeddings in e2e/web/embedding.spec.ts.)
 */
const ENTRY = `
import { project } from './src/engine/embed/projection'
self.onmessage = (event) => {
  const { method, rows, count, dimensions, seed, iterations } = event.data
  const { points } = project(method, { rows: Float64Array.from(rows), count, dimensions }, { seed, iterations })
  self.postMessage(Array.from(points))
}
`

test("PCA, t-SNE and UMAP in a Web Worker give Node's points bit for bit", async ({ page }) => {
  test.setTimeout(180_000)
  const code = await workerBundle(ENTRY)
  const random = new Random(21)
  const count = 120
  // Uniform values (Random.normal's Math.log is not the same on every host): four groups of points.
  const data = (dimensions: number) =>
    Array.from({ length: count * dimensions }, (_, k) => random.uniform() + (k % dimensions === Math.floor(k / dimensions) % 4 ? 3 : 0))
  const narrow = data(16)
  // More than 128 values per point: PCA's subspace iteration, from a seeded start.
  const wide = data(150)
  await page.goto('about:blank')
  for (const [method, iterations, rows] of [
    ['pca', undefined, narrow],
    ['pca', undefined, wide],
    ['tsne', 300, narrow],
    ['umap', 200, narrow]
  ] as const) {
    const dimensions = rows.length / count
    const inNode = Array.from(project(method, { rows: Float64Array.from(rows), count, dimensions }, { seed: 5, iterations }).points)
    const inWorker = await runInWorker<number[]>(page, code, { method, rows, count, dimensions, seed: 5, iterations })
    expect(inWorker, method).toHaveLength(2 * count)
    expect(inWorker, method).toEqual(inNode)
  }
})
