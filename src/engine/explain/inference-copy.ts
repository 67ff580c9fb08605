import { Random } from '../core/random'
import type { Tensor } from '../core/tensor'
import type { NetworkSpec } from '../config/run-config'
import { forgetPixelTerms, reuseKernelTensor } from '../kernels/backend'
import { Affine } from '../layers/affine'
import { Conv2D } from '../layers/conv2d'
import { buildNetwork } from '../model/build'
import type { Network } from '../model/network'
import { inferenceBackward } from './inference-backward'

/**
 * A copy of a network for explaining its answers: the layers' own forward and backward passes in
 * inference mode ('test': dropout and batch norm as at test time), on buffers of its own, so an
 * explanation never resizes the source's buffers nor draws from its generator. Unlike the source, the
 * copy's first layer propagates its input gradient: ∂score/∂pixels is what attributions are made of.
 */
export class InferenceCopy {
  readonly network: Network
  private outputs: Tensor[] = []
  private input: Tensor | undefined
  private seed: Tensor | undefined

  constructor(
    private readonly source: Network,
    spec: NetworkSpec
  ) {
    this.network = buildNetwork(spec, source.inputShape, new Random(0), source.precision, source.classCount)
    const first = this.network.layers[0]
    if (first instanceof Conv2D || first instanceof Affine) first.propagateInputGrad = true
  }

  /** Values per image (C·H·W). */
  get imageSize(): number {
    return this.network.inputShape.reduce((a, b) => a * b, 1)
  }

  get classCount(): number {
    return this.network.classCount
  }

  /** Takes the source's current weights and running statistics (it may have trained since the last call). */
  sync(): void {
    this.source.params.forEach((p, i) => this.network.params[i].value.set(p.value))
    this.source.layers.forEach((layer, i) => layer.buffers?.forEach((buffer, j) => this.network.layers[i].buffers![j].value.set(buffer.value)))
  }

  /**
   * Class scores (before softmax) of `count` images laid out one after the other in `images`, in
   * inference mode; every layer's output is kept for `backward`. The result is the copy's own buffer.
   */
  forward(images: ArrayLike<number>, count: number): Tensor {
    const size = this.imageSize
    // Kernel memory, as the trainer's batches: the float32 kernels work on their own memory in place.
    const x = (this.input = reuseKernelTensor(this.input, [count, ...this.network.inputShape], this.network.precision))
    if (images.length !== count * size) throw new RangeError(`InferenceCopy: ${count} images need ${count * size} values, got ${images.length}`)
    // The float32 kernels remember a buffer's non-zero pixels: new values must not meet the old list.
    forgetPixelTerms(x.data)
    x.data.set(images)
    this.outputs = []
    let out = x
    for (const layer of this.network.layers) this.outputs.push((out = layer.forward(out, 'test')))
    return out
  }

  /** Layer `index`'s output from the last `forward`. */
  output(index: number): Tensor {
    return this.outputs[index]
  }

  /**
   * Takes ∂f/∂scores for the last `forward`'s batch and returns ∂f/∂(output of layer `downTo` − 1): with
   * `downTo` = 0 (the default) that is ∂f/∂input, with `downTo` = k + 1 it is ∂f/∂(layer k's output).
   */
  backward(scoreGradient: ArrayLike<number>, downTo = 0): Tensor {
    const scores = this.outputs.at(-1)
    if (!scores) throw new Error('InferenceCopy: backward before forward')
    let grad = (this.seed = reuseKernelTensor(this.seed, scores.shape, this.network.precision))
    grad.data.set(scoreGradient)
    const layers = this.network.layers
    for (let i = layers.length - 1; i >= downTo; i--) grad = inferenceBackward(layers[i], grad)
    return grad
  }
}
