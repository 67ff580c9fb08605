/**
 * layer-shapes.ts says from shapes alone what the builder builds. Held here against the built layers
 * themselves: the same output shapes, tensor names and shapes, multiply-adds and the same words when a
 * layer does not fit, for every preset and for random stacks of every kind on random inputs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LayerSpec, NetworkSpec } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { Affine } from '../../../src/engine/layers/affine'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { networkTensors } from '../../../src/engine/model-file/model-file'
import { buildNetwork } from '../../../src/engine/model/build'
import { createLayer } from '../../../src/engine/model/build-layers'
import { layerShape, networkShapes } from '../../../src/engine/model/layer-shapes'
import { PRESETS } from '../../../src/engine/presets'

/** What the built layer says of itself, or the message it throws. */
function built(spec: LayerSpec, shape: number[]): unknown {
  try {
    const layer = createLayer(spec, 'layer1', shape, new Random(0), 'float64')
    const outputShape = layer.outputShape(shape)
    const macs =
      layer instanceof Conv2D ? outputShape.reduce((a, b) => a * b, 1) * layer.fanIn : layer instanceof Affine ? layer.inputSize * layer.outputSize : 0
    const tensors = (list: readonly { name: string; shape: readonly number[] }[] = []) => list.map(({ name, shape: s }) => ({ name, shape: [...s] }))
    return { outputShape, params: tensors(layer.params), buffers: tensors(layer.buffers), macs }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return { problem: error.message }
  }
}

function planned(spec: LayerSpec, shape: number[]): unknown {
  try {
    const { outputShape, params, buffers, macs } = layerShape(spec, 'layer1', shape)
    return { outputShape, params: params.map(({ name, shape: s }) => ({ name, shape: [...s] })), buffers, macs }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return { problem: error.message }
  }
}

const side = fc.integer({ min: 1, max: 9 })
const window = { size: fc.integer({ min: 1, max: 6 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 2 }) }
const layerSpec: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ kind: fc.constant('conv2d' as const), filters: fc.integer({ min: 1, max: 4 }), ...window }),
  fc.record({ kind: fc.constantFrom('maxpool' as const, 'avgpool' as const), ...window }),
  fc.record({ kind: fc.constant('affine' as const), units: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constantFrom('relu' as const, 'sigmoid' as const, 'tanh' as const, 'flatten' as const, 'instancenorm' as const, 'layernorm' as const) }),
  fc.record({
    kind: fc.constant('dropout' as const),
    ratio: fc.double({ min: 0, max: 0.9, noNaN: true }),
    mode: fc.constantFrom('inverted' as const, 'course' as const)
  }),
  fc.record({ kind: fc.constant('batchnorm' as const), mode: fc.constantFrom('course' as const, 'channel' as const) }),
  fc.record({ kind: fc.constant('groupnorm' as const), groups: fc.integer({ min: 1, max: 6 }) })
) as fc.Arbitrary<LayerSpec>
// A map [C, H, W] or a flat vector [N]: the layers that need a map must refuse a vector in their own words.
const inputShape = fc.oneof(fc.tuple(fc.integer({ min: 1, max: 6 }), side, side), fc.tuple(fc.integer({ min: 1, max: 30 })))

describe('the shapes of a layer, without building it', () => {
  it('match the built layer for every kind, on maps and vectors, fitting or not', () => {
    fc.assert(
      fc.property(layerSpec, inputShape, (spec, shape) => {
        expect(planned(spec, [...shape])).toEqual(built(spec, [...shape]))
      }),
      { numRuns: 2000 }
    )
  })

  it('name every tensor of every preset network as the built network does, in the order a model file stores them', () => {
    for (const preset of PRESETS) {
      const spec = preset.config.network
      const shapes = networkShapes(spec, [1, 28, 28], 10)
      const network = buildNetwork(spec, [1, 28, 28], new Random(1), 'float32', 10)
      const tensors = networkTensors(network).map(({ name, shape }) => ({ name, shape: [...shape] }))
      expect([...shapes.params, ...shapes.buffers], preset.id).toEqual(tensors)
    }
  })

  it('refuse a network the builder refuses, with the same error', () => {
    const refused: Array<[NetworkSpec, number[], number]> = [
      [
        {
          kind: 'layers',
          init: 'he',
          layers: [
            { kind: 'conv2d', filters: 4, size: 40, stride: 1, pad: 0 },
            { kind: 'affine', units: 10 }
          ]
        } as NetworkSpec,
        [1, 28, 28],
        10
      ],
      [{ kind: 'layers', init: 'he', layers: [{ kind: 'flatten' }, { kind: 'relu' }] } as NetworkSpec, [1, 28, 28], 10],
      [
        {
          kind: 'layers',
          init: 'he',
          layers: [
            { kind: 'affine', units: 4096 },
            { kind: 'affine', units: 4096 },
            { kind: 'affine', units: 10 }
          ]
        } as NetworkSpec,
        [3, 64, 64],
        10
      ],
      [
        {
          kind: 'mlp',
          hidden: [4096, 4096, 4096],
          activation: 'relu',
          init: 'he',
          normalization: 'none',
          dropout: { ratio: 0, mode: 'inverted' }
        } as NetworkSpec,
        [3, 64, 64],
        10
      ]
    ]
    for (const [spec, shape, classes] of refused) {
      const builderError = captured(() => buildNetwork(spec, shape, new Random(1), 'float64', classes))
      expect(builderError).toMatchObject({ code: 'INVALID_CONFIG' })
      expect(captured(() => networkShapes(spec, shape, classes))).toEqual(builderError)
    }
  })
})

function captured(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    const e = error as { code?: string; message: string; details?: unknown }
    return { code: e.code, message: e.message, details: e.details }
  }
  return 'no error'
}
