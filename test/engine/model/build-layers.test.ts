import { describe, expect, it } from 'vitest'
import { checkRunConfig, LayerListSpecSchema, type LayerSpec } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { buildNetwork } from '../../../src/engine/model/build'
import { findPreset } from '../../../src/engine/presets'
import { EngineError } from '../../../src/engine/protocol/error-codes'

const MAPS = [1, 28, 28]

function build(layers: LayerSpec[], init: 'gauss' | 'he' = 'gauss') {
  return buildNetwork(LayerListSpecSchema.parse({ kind: 'layers', layers, init }), MAPS, new Random(1), 'float64')
}

/** Runs `f`, expecting an INVALID_CONFIG EngineError; returns its message and field. */
function configError(f: () => unknown): { message: string; field: string } {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).code).toBe('INVALID_CONFIG')
    const problems = (error as EngineError).details?.problems as { field: string; message: string }[]
    return { message: (error as EngineError).message, field: problems[0].field }
  }
  throw new Error('expected an INVALID_CONFIG error')
}

const shapesOf = (network: ReturnType<typeof build>) => {
  let shape: readonly number[] = network.inputShape
  return network.layers.map((layer) => (shape = layer.outputShape(shape)).join('×'))
}

describe('layer-list networks: the course conv nets', () => {
  it('cnn-simple: conv 30×5×5 → 24×24, pool → 12×12, 4,320 → 100 → 10, gauss 0.01 weights', () => {
    const network = buildNetwork(findPreset('cnn-simple').config.network, MAPS, new Random(1), 'float64')
    expect(network.layers.map((l) => l.name)).toEqual(['conv1', 'relu1', 'maxpool1', 'affine1', 'relu2', 'affine2'])
    expect(shapesOf(network)).toEqual(['30×24×24', '30×24×24', '30×12×12', '100', '100', '10'])
    expect(network.params.map((p) => `${p.name} [${p.shape.join(', ')}]`)).toEqual([
      'conv1.W [30, 1, 5, 5]',
      'conv1.b [30]',
      'affine1.W [4320, 100]',
      'affine1.b [100]',
      'affine2.W [100, 10]',
      'affine2.b [10]'
    ])
    const w = network.params[0].value
    const std = Math.sqrt(Array.from(w).reduce((a: number, v) => a + v * v, 0) / w.length)
    expect(std).toBeGreaterThan(0.008)
    expect(std).toBeLessThan(0.012)
  })

  it('cnn-double and its answer variant: 12 → 6 after two poolings; 24 → 12 without the first', () => {
    expect(shapesOf(buildNetwork(findPreset('cnn-double').config.network, MAPS, new Random(1), 'float64'))).toEqual([
      '10×24×24',
      '10×24×24',
      '10×12×12',
      '20×12×12',
      '20×12×12',
      '20×6×6',
      '100',
      '100',
      '10'
    ])
    expect(shapesOf(buildNetwork(findPreset('cnn-double-nopool').config.network, MAPS, new Random(1), 'float64'))).toEqual([
      '10×24×24',
      '10×24×24',
      '20×24×24',
      '20×24×24',
      '20×12×12',
      '50',
      '50',
      '10'
    ])
  })

  it("cnn-deep: the book's shapes, He weights scaled by pre_node_nums, dropout after the last affine", () => {
    const network = buildNetwork(findPreset('cnn-deep').config.network, MAPS, new Random(1), 'float64')
    const shapes = shapesOf(network)
    expect(shapes.filter((_, i) => network.layers[i].name.startsWith('maxpool'))).toEqual(['16×14×14', '32×8×8', '64×4×4'])
    expect(network.layers.at(-1)!.name).toBe('dropout2')
    expect(shapes.at(-1)).toBe('10')
    const preNodeNums = [1 * 9, 16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 4 * 4, 50]
    const weights = network.params.filter((p) => p.isWeight)
    expect(weights).toHaveLength(8)
    weights.forEach((p, i) => {
      const std = Math.sqrt(Array.from(p.value).reduce((a: number, v) => a + v * v, 0) / p.value.length)
      expect(std / Math.sqrt(2 / preNodeNums[i]), p.name).toBeGreaterThan(i === 0 ? 0.6 : 0.85) // conv1 has only 144 weights
      expect(std / Math.sqrt(2 / preNodeNums[i]), p.name).toBeLessThan(i === 0 ? 1.4 : 1.15)
    })
    const first = network.layers[0] as Conv2D
    expect(first.propagateInputGrad).toBe(false)
  })

  it('a per-layer init overrides the network one', () => {
    const network = build(
      [
        { kind: 'conv2d', filters: 50, size: 3, stride: 1, pad: 0, init: 'gauss', initStd: 5 },
        { kind: 'affine', units: 10 }
      ],
      'he'
    )
    const w = network.params[0].value
    expect(Math.sqrt(Array.from(w).reduce((a: number, v) => a + v * v, 0) / w.length)).toBeGreaterThan(4)
  })

  it('every normalisation builds on maps and trains a step', () => {
    for (const norm of [
      { kind: 'batchnorm', mode: 'course' },
      { kind: 'batchnorm', mode: 'channel' },
      { kind: 'groupnorm', groups: 2 },
      { kind: 'instancenorm' },
      { kind: 'layernorm' }
    ] as LayerSpec[]) {
      const network = build([
        { kind: 'conv2d', filters: 4, size: 3, stride: 2, pad: 1 },
        norm,
        { kind: 'relu' },
        { kind: 'avgpool', size: 2, stride: 2, pad: 0 },
        { kind: 'flatten' },
        { kind: 'affine', units: 10 }
      ])
      const loss = network.loss(Tensor.zeros([2, ...MAPS], 'float64'), Uint8Array.from([3, 4]), 'train')
      network.backward()
      expect(Number.isFinite(loss), norm.kind).toBe(true)
    }
  })
})

describe('shapes are checked when the network is built, naming the layer and the shapes', () => {
  it('a filter larger than the padded input', () => {
    const { message, field } = configError(() =>
      build([
        { kind: 'conv2d', filters: 2, size: 3, stride: 1, pad: 0 },
        { kind: 'maxpool', size: 2, stride: 2, pad: 0 },
        { kind: 'conv2d', filters: 2, size: 16, stride: 1, pad: 1 },
        { kind: 'affine', units: 10 }
      ])
    )
    expect(field).toBe('network.layers.2')
    expect(message).toBe(
      'network.layers.2: layer 2 (conv2d) does not fit its input [2, 13, 13]: conv2: a 16×16 window does not fit the padded input 15×15 (13×13 with padding 1)'
    )
  })

  it("a stride of 0 is refused by the schema with the layer's path, and by the builder if it gets that far", () => {
    const layers = [
      { kind: 'conv2d', filters: 2, size: 3, stride: 0, pad: 0 },
      { kind: 'affine', units: 10 }
    ]
    const checked = checkRunConfig({ ...findPreset('cnn-simple').config, network: { kind: 'layers', layers, init: 'he' } })
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.problems).toEqual([{ field: 'network.layers.0.stride', message: 'conv2d stride must be at least 1' }])
    const unchecked = { kind: 'layers' as const, layers: layers as LayerSpec[], init: 'he' as const, initStd: 0.01 }
    const { message, field } = configError(() => buildNetwork(unchecked, MAPS, new Random(1), 'float64'))
    expect(field).toBe('network.layers.0')
    expect(message).toContain('layer 0 (conv2d) does not fit its input [1, 28, 28]: conv1: stride must be at least 1, got 0')
  })

  it('a conv after the maps were flattened', () => {
    const { message } = configError(() =>
      build([{ kind: 'affine', units: 100 }, { kind: 'relu' }, { kind: 'conv2d', filters: 2, size: 3, stride: 1, pad: 0 }, { kind: 'affine', units: 10 }])
    )
    expect(message).toContain('layer 2 (conv2d) does not fit its input [100]: expects a [channels, height, width] map, gets [100]')
  })

  it('pooling away the whole map, and groups that do not divide the channels', () => {
    const pooled = configError(() =>
      build([
        { kind: 'maxpool', size: 2, stride: 2, pad: 0 },
        { kind: 'maxpool', size: 2, stride: 2, pad: 0 },
        { kind: 'maxpool', size: 2, stride: 2, pad: 0 },
        { kind: 'maxpool', size: 4, stride: 2, pad: 0 },
        { kind: 'affine', units: 10 }
      ])
    )
    expect(pooled.message).toContain('layer 3 (maxpool) does not fit its input [1, 3, 3]: maxpool4: a 4×4 window does not fit the padded input 3×3')
    const groups = configError(() =>
      build([
        { kind: 'conv2d', filters: 6, size: 3, stride: 1, pad: 0 },
        { kind: 'groupnorm', groups: 4 },
        { kind: 'affine', units: 10 }
      ])
    )
    expect(groups.message).toContain('layer 1 (groupnorm) does not fit its input [6, 26, 26]: groupnorm1: 4 groups do not divide 6 channels evenly')
  })

  it('a last layer that does not give 10 class scores', () => {
    const { message, field } = configError(() => build([{ kind: 'conv2d', filters: 2, size: 3, stride: 1, pad: 0 }, { kind: 'flatten' }]))
    expect(field).toBe('network.layers.1')
    expect(message).toContain('the last layer must give 10 class scores, gives [1352]')
  })
})
