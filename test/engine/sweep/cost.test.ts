import { describe, expect, it } from 'vitest'
import { networkCost, runCost } from '../../../src/engine/sweep'
import { findPreset, PRESETS } from '../../../src/engine/presets'
import { buildNetwork } from '../../../src/engine/model/build'
import { Random } from '../../../src/engine/core/random'

describe('network cost', () => {
  it('an MLP 784 → 40 → 20 → 10: weights and biases, in·out multiply-adds', () => {
    const cost = networkCost(findPreset('vg-relu-he').config.network, [1, 28, 28], 10)
    expect(cost).toEqual({ params: 784 * 40 + 40 + 40 * 20 + 20 + 20 * 10 + 10, macs: 784 * 40 + 40 * 20 + 20 * 10 })
  })

  it('counts exactly the parameters the engine builds, for every preset (MLPs, normalisation, conv nets)', () => {
    for (const preset of PRESETS) {
      const network = buildNetwork(preset.config.network, preset.config.network.kind === 'layers' ? [1, 28, 28] : [784], new Random(0), 'float32', 10)
      const built = network.params.reduce((n, p) => n + p.value.length, 0)
      expect(networkCost(preset.config.network, [1, 28, 28], 10)?.params, preset.id).toBe(built)
    }
  })

  it('a convolution costs out-positions · filters · C·FH·FW; the class count and image size change it', () => {
    const network = {
      kind: 'layers' as const,
      init: 'he' as const,
      initStd: 0.01,
      layers: [{ kind: 'conv2d' as const, filters: 4, size: 3, pad: 0, stride: 1 }, { kind: 'relu' as const }, { kind: 'affine' as const, units: 10 }]
    }
    // 26·26 positions, 4 filters, 1·3·3 window; then 4·26·26 → classes.
    expect(networkCost(network, [1, 28, 28], 10)).toEqual({ params: 4 * 9 + 4 + 2704 * 10 + 10, macs: 26 * 26 * 4 * 9 + 2704 * 10 })
    expect(networkCost(network, [3, 32, 32], 100)?.macs).toBe(30 * 30 * 4 * 27 + 4 * 30 * 30 * 100)
    // A window larger than the image does not fit: no cost.
    expect(
      networkCost(
        {
          ...network,
          layers: [
            { kind: 'conv2d', filters: 4, size: 30, pad: 0, stride: 1 },
            { kind: 'affine', units: 10 }
          ]
        },
        [1, 28, 28],
        10
      )
    ).toBeNull()
  })
})

describe('run cost', () => {
  it('a run that resizes its images (inputSize) costs what its network costs at that size', () => {
    const network = {
      kind: 'layers' as const,
      init: 'he' as const,
      initStd: 0.01,
      layers: [
        { kind: 'conv2d' as const, filters: 4, size: 3, pad: 1, stride: 1 },
        { kind: 'affine' as const, units: 10 }
      ]
    }
    expect(runCost({ network, inputSize: 16 }, [1, 28, 28], 10)).toEqual(networkCost(network, [1, 16, 16], 10))
    expect(runCost({ network }, [1, 28, 28], 10)).toEqual(networkCost(network, [1, 28, 28], 10))
    expect(runCost({ network, inputSize: 16 }, [1, 28, 28], 10)?.macs).toBe(16 * 16 * 4 * 9 + 4 * 16 * 16 * 10)
  })
})
