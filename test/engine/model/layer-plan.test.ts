import { describe, expect, it } from 'vitest'
import { defineRunConfig, type LayerListSpec } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { describeLayers } from '../../../src/engine/inspect/layer-info'
import { buildNetwork } from '../../../src/engine/model/build'
import { planLayers } from '../../../src/engine/model/layer-plan'
import { PRESETS } from '../../../src/engine/presets'

describe('the layer plan the editor shows', () => {
  it('agrees with the network a run builds, for every layer-list preset', () => {
    for (const preset of PRESETS.filter((p) => p.config.network.kind === 'layers')) {
      const spec = preset.config.network as LayerListSpec
      const plan = planLayers(spec.layers)
      expect(plan.ok, preset.id).toBe(true)
      const built = describeLayers(buildNetwork(spec, [1, 28, 28], new Random(1), 'float64'))
      expect(
        plan.rows.map((r) => ({ name: r.name, kind: r.kind, outputShape: r.outputShape, params: r.params })),
        preset.id
      ).toEqual(built.map((l) => ({ name: l.name, kind: l.kind, outputShape: l.outputShape, params: l.params })))
    }
  })

  it('counts multiply-adds: cnn-simple conv1 is 24·24·30·25, its affines 4,320·100 and 100·10', () => {
    const spec = PRESETS.find((p) => p.id === 'cnn-simple')!.config.network as LayerListSpec
    const plan = planLayers(spec.layers)
    expect(plan.rows[0].macs).toBe(24 * 24 * 30 * 25)
    expect(plan.macs).toBe(24 * 24 * 30 * 25 + 4320 * 100 + 100 * 10)
    expect(plan.params).toBe(30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10)
  })

  it('marks the row where a stack breaks, with the shapes, and what follows as unknown', () => {
    const plan = planLayers([
      { kind: 'conv2d', filters: 4, size: 5 },
      { kind: 'maxpool', size: 2, stride: 2 },
      { kind: 'conv2d', filters: 4, size: 20 },
      { kind: 'affine', units: 10 }
    ])
    expect(plan.ok).toBe(false)
    expect(plan.rows[1].outputShape).toEqual([4, 12, 12])
    expect(plan.rows[2].problem).toMatch(/does not fit its input \[4, 12, 12\]/)
    expect(plan.rows[3].outputShape).toBeNull()
  })

  it('names a group count that does not divide the channels, a bad field, and a stack that does not end in 10 scores', () => {
    expect(
      planLayers([
        { kind: 'conv2d', filters: 6, size: 3 },
        { kind: 'groupnorm', groups: 4 }
      ]).rows[1].problem
    ).toMatch(/4 groups do not divide 6 channels/)
    expect(planLayers([{ kind: 'conv2d', filters: 0, size: 3 }]).rows[0].problem).toMatch(/filters must be at least 1/)
    expect(planLayers([{ kind: 'conv2d', filters: 4, size: 3, stride: 0 }]).rows[0].problem).toMatch(/stride must be at least 1/)
    expect(planLayers([{ kind: 'conv2d', filters: 4, size: 3 }]).problem).toMatch(/must give 10 class scores, gives \[4, 26, 26\]/)
    expect(planLayers([{ kind: 'affine', units: 10 }, { kind: 'relu' }, { kind: 'maxpool', size: 2, stride: 2 }]).rows[2].problem).toMatch(
      /does not fit its input \[10\]/
    )
    // The last affine layer gives one score per class of the data, whatever units it names; the row says so.
    const fitted = planLayers([{ kind: 'affine', units: 20 }, { kind: 'relu' }, { kind: 'affine', units: 20 }], [3, 32, 32], 5)
    expect(fitted.ok).toBe(true)
    expect(fitted.rows.map((r) => r.outputShape)).toEqual([[20], [20], [5]])
    expect(fitted.rows.map((r) => r.classUnits)).toEqual([null, null, 5])
    expect(fitted.rows[0].params).toBe(3 * 32 * 32 * 20 + 20)
    expect(planLayers([{ kind: 'affine', units: 10 }]).rows[0].classUnits).toBeNull()
    // An affine layer flattens the image by itself: no flatten needed.
    expect(planLayers([{ kind: 'affine', units: 10 }]).ok).toBe(true)
  })

  it('plans as fast as typing needs, also for cnn-deep', () => {
    const spec = PRESETS.find((p) => p.id === 'cnn-deep')!.config.network as LayerListSpec
    expect(planLayers(spec.layers).ok).toBe(true)
    expect(defineRunConfig(PRESETS.find((p) => p.id === 'cnn-deep')!.config).network.kind).toBe('layers')
  })
})
