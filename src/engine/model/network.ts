import type { Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import type { Layer, Mode, Param } from '../layers/layer'
import { SoftmaxCrossEntropy } from '../layers/softmax-cross-entropy'
import { inferenceSteps, type InferenceStep } from './inference-steps'

/** A stack of layers ending in softmax cross-entropy; parameters are one flat, named list. */
export class Network {
  readonly params: readonly Param[]
  /** How many class scores it gives: the last layer's output size (a copy of the network is built with it). */
  readonly classCount: number
  private readonly lossLayer = new SoftmaxCrossEntropy()
  private scores: Tensor | undefined
  private readonly inference: readonly InferenceStep[]

  constructor(
    readonly layers: readonly Layer[],
    readonly inputShape: readonly number[],
    /** What every parameter, activation and gradient of this network holds (core/dtype.ts). */
    readonly precision: Precision
  ) {
    this.params = layers.flatMap((layer) => layer.params)
    this.inference = inferenceSteps(layers)
    this.classCount = layers.reduce<readonly number[]>((shape, layer) => layer.outputShape(shape), inputShape).reduce((a, b) => a * b, 1)
  }

  /** Class scores (before softmax) for a batch. */
  predict(x: Tensor, mode: Mode): Tensor {
    // Mixed precisions would compute silently in whichever the kernels see first: refuse them here.
    if (x.precision !== this.precision) throw new Error(`Network: a ${x.precision} input for a ${this.precision} network`)
    let out = x
    for (const layer of this.layers) out = layer.forward(out, mode)
    return out
  }

  /**
   * Class scores in test mode when no backward pass follows (evaluation, a model's accuracy): predict's
   * values bit for bit, on the shorter path of inference-steps.ts. The layers' state then no longer
   * matches a forward pass, so `backward` must not follow it.
   */
  infer(x: Tensor): Tensor {
    if (x.precision !== this.precision) throw new Error(`Network: a ${x.precision} input for a ${this.precision} network`)
    let out = x
    for (const step of this.inference) out = step(out)
    return out
  }

  /** Mean cross-entropy of the batch; keeps the forward state for `backward`. */
  loss(x: Tensor, labels: Uint8Array, mode: Mode): number {
    this.scores = this.predict(x, mode)
    return this.lossLayer.forward(this.scores, labels)
  }

  /** Class scores of the last `loss` call's batch. */
  get lastScores(): Tensor {
    if (!this.scores) throw new Error('Network: no forward pass yet')
    return this.scores
  }

  /** Fills every parameter's gradient from the last `loss` call. */
  backward(): void {
    let grad = this.lossLayer.backward()
    for (let i = this.layers.length - 1; i >= 0; i--) grad = this.layers[i].backward(grad)
  }
}

/** Index of the largest score in each row. */
export function argmaxRows(scores: Tensor): Int32Array {
  const n = scores.rows
  const classes = scores.cols
  const result = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let j = 1; j < classes; j++) if (scores.data[i * classes + j] > scores.data[i * classes + best]) best = j
    result[i] = best
  }
  return result
}

/** How many of the first `rows` rows of `scores` pick the right label (in place: evaluation calls it per chunk). */
export function countCorrect(scores: Tensor, labels: Uint8Array, rows = scores.rows): number {
  const classes = scores.cols
  let correct = 0
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let j = 1; j < classes; j++) if (scores.data[i * classes + j] > scores.data[i * classes + best]) best = j
    if (best === labels[i]) correct++
  }
  return correct
}
