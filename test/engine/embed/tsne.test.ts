/**
 * Exact t-SNE: each point's Gaussian calibrated to the perplexity, well-separated clusters kept apart with
 * their neighbourhoods, and a seed that gives the same layout bit for bit (another seed, another layout).
 */
import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { calibrate, Tsne } from '../../../src/engine/embed/tsne'
import { gaussianClusters, nearestOthers, neighbourAgreement } from './neighbours'

describe('t-SNE', () => {
  it('calibrates each conditional distribution to the perplexity: e^H(p(·|i)) = perplexity', () => {
    const random = new Random(9)
    const distances = Float64Array.from({ length: 60 }, () => random.uniform() * 50)
    distances[7] = 0
    for (const perplexity of [5, 12, 30]) {
      const row = new Float64Array(60)
      calibrate(distances, 7, Math.log(perplexity), row)
      expect(row[7]).toBe(0)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      const entropy = -row.reduce((h, p) => (p > 0 ? h + p * Math.log(p) : h), 0)
      expect(Math.exp(entropy)).toBeCloseTo(perplexity, 3)
      // Nearer points get more weight.
      const order = Array.from(distances.keys())
        .filter((j) => j !== 7)
        .sort((a, b) => distances[a] - distances[b])
      expect(row[order[0]]).toBeGreaterThan(row[order.at(-1)!])
    }
  })

  it("keeps well-separated clusters apart: every point's 10 nearest in 2-D come from its own cluster", () => {
    const data = gaussianClusters(new Random(4), 4, 40, 12, 12)
    const tsne = new Tsne(data, { seed: 1, perplexity: 20, iterations: 500 })
    const points = tsne.run()
    expect(tsne.iteration).toBe(500)
    const { majority, share } = neighbourAgreement(points, data.labels, 10)
    expect(majority).toBe(1)
    expect(share).toBeGreaterThan(0.99)
    // Each cluster's centre is further from the others' than any of its points is from it.
    const centres = [0, 1, 2, 3].map((c) => {
      const members = Array.from(data.labels.keys()).filter((i) => data.labels[i] === c)
      return [0, 1].map((d) => members.reduce((s, i) => s + points[2 * i + d], 0) / members.length)
    })
    const radius = Math.max(
      ...Array.from(data.labels.keys()).map((i) => Math.hypot(points[2 * i] - centres[data.labels[i]][0], points[2 * i + 1] - centres[data.labels[i]][1]))
    )
    for (let a = 0; a < 4; a++)
      for (let b = a + 1; b < 4; b++) expect(Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1])).toBeGreaterThan(radius)
  })

  it("keeps most of a cloud's neighbourhoods: over half of each point's 8 nearest stay its 8 nearest (chance: 7 %)", () => {
    const random = new Random(8)
    const count = 120
    const dimensions = 5
    const rows = new Float64Array(count * dimensions)
    for (let i = 0; i < count; i++) for (let j = 0; j < dimensions; j++) rows[i * dimensions + j] = random.normal() * (j === 0 ? 10 : j === 1 ? 4 : 0.5)
    const points = new Tsne({ rows, count, dimensions }, { seed: 2, perplexity: 15, iterations: 500 }).run()
    const k = 8
    let kept = 0
    for (let i = 0; i < count; i++) {
      const distances = Array.from({ length: count }, (_, j) => {
        let s = 0
        for (let d = 0; d < dimensions; d++) s += (rows[i * dimensions + d] - rows[j * dimensions + d]) ** 2
        return [s, j] as const
      })
      const truth = new Set(
        distances
          .filter(([, j]) => j !== i)
          .sort((a, b) => a[0] - b[0])
          .slice(0, k)
          .map(([, j]) => j)
      )
      kept += nearestOthers(points, i, k).filter((j) => truth.has(j)).length
    }
    expect(kept / (count * k)).toBeGreaterThan(0.5)
  })

  it('the same seed gives the same layout bit for bit; another seed another layout', () => {
    const data = gaussianClusters(new Random(5), 3, 20, 6, 6)
    const a = new Tsne(data, { seed: 11, iterations: 200 }).run()
    const b = new Tsne(data, { seed: 11, iterations: 200 }).run()
    const c = new Tsne(data, { seed: 12, iterations: 200 }).run()
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })

  it('refuses more points than exact t-SNE can pair up, and a start of the wrong length', () => {
    expect(() => new Tsne({ rows: new Float64Array(2501), count: 2501, dimensions: 1 })).toThrow(/at most 2500 points/)
    expect(() => new Tsne({ rows: new Float64Array(10), count: 10, dimensions: 1 }, { init: new Float64Array(4) })).toThrow(/needs 20 values/)
  })
})
