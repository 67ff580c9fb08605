import { Random } from '../core/random'
import { Tensor } from '../core/tensor'
import type { NetworkSpec } from '../config/run-config'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { buildNetwork } from '../model/build'
import type { Network } from '../model/network'

/**
 * A second copy of a training network, for looking inside it one image at a time. The copy has its own
 * buffers, so a request never resizes the training network's (which would cost an allocation on the
 * next step) and never draws from the run's generator (inference mode draws nothing anyway): a run
 * gives the same numbers whether or not anyone looks at it.
 */
export class NetworkProbe {
  private readonly copy: Network
  private readonly x: Tensor

  constructor(
    private readonly source: Network,
    spec: NetworkSpec
  ) {
    this.copy = buildNetwork(spec, source.inputShape, new Random(0), source.precision, source.classCount)
    this.x = Tensor.zeros([1, ...source.inputShape], source.precision)
  }

  /** The input buffer for one image: fill it, then call `forward`. */
  get input(): Tensor {
    return this.x
  }

  /**
   * Brings the copy up to date with the training network (weights and running statistics) and returns
   * every layer's output for the image in `input`, in inference mode. The tensors are the copy's own
   * buffers: read them before the next call.
   */
  forward(): Tensor[] {
    this.sync()
    const outputs: Tensor[] = []
    let out = this.x
    for (const layer of this.copy.layers) outputs.push((out = layer.forward(out, 'test')))
    return outputs
  }

  private sync(): void {
    this.source.params.forEach((p, i) => this.copy.params[i].value.set(p.value))
    this.source.layers.forEach((layer, i) => {
      const twin = this.copy.layers[i]
      if ((layer instanceof BatchNorm && twin instanceof BatchNorm) || (layer instanceof ChannelBatchNorm && twin instanceof ChannelBatchNorm)) {
        twin.runningMean.set(layer.runningMean)
        twin.runningVar.set(layer.runningVar)
      }
    })
  }
}
