import { describe, expect, it } from 'vitest'
import { planLayers } from '../../../src/engine/model/layer-plan'
import { MODEL_SCALING_PRESETS, scaledShape } from '../../../src/engine/presets/model-scaling'
import { OVERLAPPING_POOLING_PRESETS } from '../../../src/engine/presets/overlapping-pooling'
import type { RunConfig } from '../../../src/engine/config/run-config'

const macs = (config: RunConfig): number => {
  if (config.network.kind !== 'layers') throw new Error('a layer list')
  const size = config.inputSize ?? 28
  const plan = planLayers(config.network.layers, [1, size, size], 10)
  if (!plan.ok) throw new Error('plan')
  return plan.macs
}
const preset = (id: string) => MODEL_SCALING_PRESETS.find((p) => p.id === id)!.config

describe('the scaling lesson (EfficientNet)', () => {
  it('has the base and depth, width, resolution and compound at φ = 1…3, each a different network', () => {
    expect(MODEL_SCALING_PRESETS.map((p) => p.id)).toEqual([
      'scale-base',
      ...['depth', 'width', 'resolution', 'compound'].flatMap((axis) => [1, 2, 3].map((phi) => `scale-${axis}-${phi}`))
    ])
    const shapes = MODEL_SCALING_PRESETS.map((p) => JSON.stringify([p.config.network, p.config.inputSize]))
    expect(new Set(shapes).size).toBe(shapes.length)
  })

  it('scales one dimension per axis by the paper’s coefficients, all three in the compound rule', () => {
    expect(scaledShape('base', 0)).toEqual({ layersPerStage: 3, filters: [12, 24], inputSize: 16 })
    expect(scaledShape('depth', 2)).toEqual({ layersPerStage: 5, filters: [12, 24], inputSize: 16 }) // ⌈3 · 1.44⌉
    expect(scaledShape('width', 3)).toEqual({ layersPerStage: 3, filters: [16, 32], inputSize: 16 }) // 12 · 1.331 = 15.97
    expect(scaledShape('resolution', 3)).toEqual({ layersPerStage: 3, filters: [12, 24], inputSize: 24 }) // 16 · 1.521 = 24.3
    expect(scaledShape('compound', 3)).toEqual({ layersPerStage: 6, filters: [16, 32], inputSize: 24 })
  })

  it('each step of the compound φ about doubles the multiply-adds (α·β²·γ² ≈ 2), and every axis costs more as φ grows', () => {
    const base = macs(preset('scale-base'))
    for (const phi of [1, 2, 3]) {
      const ratio = macs(preset(`scale-compound-${phi}`)) / base
      expect(ratio).toBeGreaterThan(1.5 ** phi)
      expect(ratio).toBeLessThan(2.8 ** phi)
    }
    for (const axis of ['depth', 'width', 'resolution']) {
      const costs = [base, ...[1, 2, 3].map((phi) => macs(preset(`scale-${axis}-${phi}`)))]
      for (let i = 1; i < costs.length; i++) expect(costs[i], `${axis} φ=${i}`).toBeGreaterThan(costs[i - 1])
    }
  })

  it('the pooling pair differs in its pooling window only', () => {
    const [plain, overlapping] = OVERLAPPING_POOLING_PRESETS.map((p) => p.config)
    const withoutPool = (c: RunConfig) =>
      JSON.stringify({ ...c, network: { ...c.network, layers: c.network.kind === 'layers' ? c.network.layers.filter((l) => l.kind !== 'maxpool') : [] } })
    expect(withoutPool(plain)).toBe(withoutPool(overlapping))
    expect(macs(plain)).toBeGreaterThan(macs(overlapping)) // 12×12 against 11×11 maps into the affine layer
  })
})
