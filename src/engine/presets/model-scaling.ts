import { defineRunConfig, type LayerSpec, type RunConfig } from '../config/run-config'
import type { Preset } from './preset'

/*
 * EfficientNet's lesson (Tan & Le 2019), which closes the course report: a conv net grows in depth (more
 * layers), width (more filters) or input resolution (larger images), and scaling all three together by
 * one coefficient φ — d = α^φ, w = β^φ, r = γ^φ with the paper's α = 1.2, β = 1.1, γ = 1.15 (chosen so
 * α·β²·γ² ≈ 2: each step of φ about doubles the multiply-adds) — buys more accuracy per multiply-add
 * than scaling one. Here the base net sees MNIST at 16×16 (area-resized), so more resolution brings back
 * detail the base net lacks rather than only interpolating the 28×28 originals.
 *
 * The base: two stages of 3×3 convolutions (pad 1) with ReLU, each stage ending in 2×2 max pooling;
 * 3 layers a stage, 12 and 24 filters; then one affine layer to the classes. As in the paper, depth
 * rounds up (⌈3·α^φ⌉ layers a stage), width to the nearest filter, resolution to the nearest pixel.
 */
export const SCALING_COEFFICIENTS = { alpha: 1.2, beta: 1.1, gamma: 1.15 } as const
const BASE = { layersPerStage: 3, filters: [12, 24], inputSize: 16 }
const PHIS = [1, 2, 3] as const
const LESSON = 'model-scaling'

export type ScalingAxis = 'depth' | 'width' | 'resolution' | 'compound'

/** The base net's shape scaled by φ along one axis, or along all three (compound). */
export function scaledShape(axis: ScalingAxis | 'base', phi: number): { layersPerStage: number; filters: number[]; inputSize: number } {
  const { alpha, beta, gamma } = SCALING_COEFFICIENTS
  const deeper = axis === 'depth' || axis === 'compound'
  const wider = axis === 'width' || axis === 'compound'
  const sharper = axis === 'resolution' || axis === 'compound'
  return {
    layersPerStage: deeper ? Math.ceil(BASE.layersPerStage * alpha ** phi - 1e-9) : BASE.layersPerStage,
    filters: BASE.filters.map((f) => (wider ? Math.round(f * beta ** phi) : f)),
    inputSize: sharper ? Math.round(BASE.inputSize * gamma ** phi) : BASE.inputSize
  }
}

function layers(shape: { layersPerStage: number; filters: number[] }): LayerSpec[] {
  const stage = (filters: number): LayerSpec[] => [
    ...Array.from({ length: shape.layersPerStage }, (): LayerSpec[] => [{ kind: 'conv2d', filters, size: 3, stride: 1, pad: 1 }, { kind: 'relu' }]).flat(),
    { kind: 'maxpool', size: 2, stride: 2, pad: 0 }
  ]
  return [...shape.filters.flatMap(stage), { kind: 'affine', units: 10 }]
}

function config(axis: ScalingAxis | 'base', phi: number): RunConfig {
  const shape = scaledShape(axis, phi)
  return defineRunConfig({
    network: { kind: 'layers', layers: layers(shape), init: 'he' },
    optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
    batchSize: 100,
    iterations: 600,
    evalInterval: 200,
    evalSubset: 1000,
    seed: 1,
    trainAccuracy: 'train-set',
    trainLimit: 5000,
    inputSize: shape.inputSize
  })
}

const AXIS_TEXT: Record<ScalingAxis, { title: string; what: (phi: number) => string }> = {
  depth: { title: 'Deeper', what: (phi) => `${scaledShape('depth', phi).layersPerStage} convolutions a stage (⌈3 · 1.2^${phi}⌉)` },
  width: { title: 'Wider', what: (phi) => `${scaledShape('width', phi).filters.join(' and ')} filters (12 and 24 · 1.1^${phi})` },
  resolution: {
    title: 'Sharper',
    what: (phi) => `${scaledShape('resolution', phi).inputSize}×${scaledShape('resolution', phi).inputSize} images (16 · 1.15^${phi})`
  },
  compound: {
    title: 'Compound',
    what: (phi) => {
      const s = scaledShape('compound', phi)
      return `${s.layersPerStage} convolutions a stage, ${s.filters.join(' and ')} filters, ${s.inputSize}×${s.inputSize} images (d = 1.2^${phi}, w = 1.1^${phi}, r = 1.15^${phi})`
    }
  }
}

/**
 * Test accuracy measured (float32, seed 1, the preset's 600 iterations) and multiply-adds per image:
 * `npx tsx src/cli/lab.ts grid --presets <every scale-* id> --seeds 1 --jobs 1 --threads 1 --json`, on the
 * bundled data and with `--data /usr/share/datasets/fashion-mnist`. The README's table is these numbers.
 */
export const SCALING_MEASURED: Record<string, { mnist: number; fashion?: number }> = {
  'scale-base': { mnist: 0.9605, fashion: 0.8241 },
  'scale-depth-1': { mnist: 0.962, fashion: 0.823 },
  'scale-depth-2': { mnist: 0.9615, fashion: 0.8308 },
  'scale-depth-3': { mnist: 0.959, fashion: 0.834 },
  'scale-width-1': { mnist: 0.9625, fashion: 0.8453 },
  'scale-width-2': { mnist: 0.965, fashion: 0.8374 },
  'scale-width-3': { mnist: 0.9715, fashion: 0.8397 },
  'scale-resolution-1': { mnist: 0.9645, fashion: 0.8273 },
  'scale-resolution-2': { mnist: 0.9615, fashion: 0.8369 },
  'scale-resolution-3': { mnist: 0.972, fashion: 0.8534 },
  'scale-compound-1': { mnist: 0.959, fashion: 0.8437 },
  'scale-compound-2': { mnist: 0.966, fashion: 0.8342 },
  'scale-compound-3': { mnist: 0.9635, fashion: 0.835 }
}

function measuredText(id: string): string {
  const m = SCALING_MEASURED[id]
  if (!m) return ''
  const fashion = m.fashion === undefined ? '' : `, Fashion-MNIST ${m.fashion.toFixed(3)}`
  return ` Measured (seed 1): test accuracy ${m.mnist.toFixed(3)} on the bundled data${fashion}.`
}

const QUIRKS = [
  "Not from the course: the report names EfficientNet; the net and its numbers are the lab's. Images are area-resized from 28×28 to the input size before the run (the run setting inputSize).",
  'The last evaluation is on every test image (2,000 in the bundled set) and the 5,000 training images in use; the ones every 200 iterations before it on the first 1,000 of each.'
]

function description(shape: ReturnType<typeof scaledShape>): string {
  const convs = shape.filters.map((f) => `${shape.layersPerStage} × (Conv ${f}×3×3 pad 1 → ReLU) → MaxPool 2`).join(' → ')
  return `Input ${shape.inputSize}×${shape.inputSize} → ${convs} → Affine → 10; He initialisation, Adam lr 0.001, batch 100, 600 iterations on the first 5,000 training images.`
}

// Measured: npx tsx src/cli/lab.ts grid --presets <the scale-* ids> --seeds 2 --jobs 1 --threads 1 --json (see README, "The scaling lesson")
export const MODEL_SCALING_PRESETS: Preset[] = [
  {
    id: 'scale-base',
    lesson: LESSON,
    title: 'Scaling: the base net (φ = 0)',
    summary: `A small conv net on MNIST shrunk to 16×16: two stages of three 3×3 convolutions (12 and 24 filters). The starting point EfficientNet scales.${measuredText('scale-base')}`,
    description: description(scaledShape('base', 0)),
    quirks: QUIRKS,
    config: config('base', 0)
  },
  ...(['depth', 'width', 'resolution', 'compound'] as const).flatMap((axis) =>
    PHIS.map((phi): Preset => ({
      id: `scale-${axis}-${phi}`,
      lesson: LESSON,
      title: `Scaling: ${AXIS_TEXT[axis].title.toLowerCase()}, φ = ${phi}`,
      summary: `The base net scaled ${axis === 'compound' ? 'in depth, width and resolution together' : `in ${axis} alone`}: ${AXIS_TEXT[axis].what(phi)}.${measuredText(`scale-${axis}-${phi}`)}`,
      description: description(scaledShape(axis, phi)),
      quirks: QUIRKS,
      config: config(axis, phi)
    }))
  )
]
