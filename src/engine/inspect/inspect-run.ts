import { gatherBatch } from '../data/batch'
import type { Split } from '../data/image-set'
import { convGeometry, colCols, colRows } from '../kernels/conv-shape'
import { im2col } from '../kernels/im2col'
import { Conv2D } from '../layers/conv2d'
import type { Layer } from '../layers/layer'
import { EngineError } from '../protocol/error-codes'
import type { Command, EngineEventOf } from '../protocol/messages'
import type { Trainer } from '../train/trainer'
import { NetworkProbe } from './network-probe'
import { firstLayerUnits, summarizeWeights } from './weights'
import { sampleShape } from '../data/image-set'
import type { LandscapeSource } from '../landscape/landscape'
import type { WeightHistory } from '../landscape/weight-history'

type InspectCommand = Extract<Command, { type: 'getFilters' | 'getFeatureMaps' | 'getIm2col' }>
type InspectEvent = EngineEventOf<'filters' | 'featureMaps' | 'im2col'>

/**
 * Answers the visualisation requests about one run's network: its filters, a layer's output for an
 * image, and the im2col matrix a conv layer multiplies for an image. Takes a few milliseconds, so the
 * session can answer between training slices without holding the run up.
 */
export class RunInspector {
  private probe: NetworkProbe | undefined

  constructor(
    readonly runId: string,
    private readonly trainer: Trainer
  ) {}

  answer(command: InspectCommand): InspectEvent {
    const base = { requestId: command.requestId, runId: this.runId, layer: command.layer }
    const index = this.layerIndex(command.layer)
    const layer = this.trainer.network.layers[index]
    if (command.type === 'getFilters') {
      const conv = asConv(layer)
      const [filters, channels, fh, fw] = conv.W.shape
      const w = conv.W.value
      const weights = range(filters).map((f) =>
        range(channels).map((c) => range(fh).map((y) => range(fw).map((x) => w[((f * channels + c) * fh + y) * fw + x])))
      )
      return { type: 'filters', ...base, shape: [...conv.W.shape], weights, bias: Array.from(conv.b.value) }
    }
    const { split, index: image } = command
    const label = this.loadImage(split, image)
    const probe = this.probe!
    const outputs = probe.forward()
    const pixels = { shape: probe.input.shape.slice(1), values: Array.from(probe.input.data) }
    const where = { split, index: image, label }
    if (command.type === 'getFeatureMaps') {
      const output = outputs[index]
      return { type: 'featureMaps', ...base, ...where, image: pixels, output: { shape: output.shape.slice(1), values: Array.from(output.data) } }
    }
    const conv = asConv(layer)
    const input = index === 0 ? probe.input : outputs[index - 1]
    const g = convGeometry([1, ...input.shape.slice(1)], conv.fh, conv.fw, conv.stride, conv.pad)
    const cols = colCols(g)
    const matrix = new Float64Array(colRows(g) * cols)
    im2col(input.data, g, matrix)
    return {
      type: 'im2col',
      ...base,
      ...where,
      input: { shape: input.shape.slice(1), values: Array.from(input.data) },
      window: { height: g.fh, width: g.fw, stride: g.stride, pad: g.pad },
      outHeight: g.oh,
      outWidth: g.ow,
      rows: range(colRows(g)).map((r) => Array.from(matrix.subarray(r * cols, (r + 1) * cols))),
      windows: range(colRows(g)).map((r) => {
        const oy = Math.floor(r / g.ow)
        const ox = r % g.ow
        return { oy, ox, y: oy * g.stride, x: ox * g.stride }
      })
    }
  }

  /** The network's weights summarised (`getWeights`). */
  weights(requestId: string, units: number): EngineEventOf<'weights'> {
    const network = this.trainer.network
    return {
      type: 'weights',
      requestId,
      runId: this.runId,
      iter: this.trainer.iterationsDone,
      layers: summarizeWeights(network),
      units: firstLayerUnits(network, units, sampleShape(this.trainer.train))
    }
  }

  /** What a loss landscape of this run's network needs; `history` holds the run's weight snapshots. */
  landscapeSource(history: WeightHistory | null): LandscapeSource {
    const { trainer } = this
    return {
      runId: this.runId,
      network: trainer.network,
      spec: trainer.config.network,
      inputShape: trainer.inputShape,
      regularization: trainer.config.regularization,
      decayed: trainer.trainable.filter((p) => p.isWeight),
      split: (name) => (name === 'train' ? trainer.train : trainer.test),
      history: () => history?.snapshots() ?? []
    }
  }

  get iterationsDone(): number {
    return this.trainer.iterationsDone
  }

  private layerIndex(name: string): number {
    const layers = this.trainer.network.layers
    const index = layers.findIndex((l) => l.name === name)
    if (index < 0)
      throw new EngineError('INVALID_REQUEST', `run "${this.runId}" has no layer "${name}"; its layers are ${layers.map((l) => l.name).join(', ')}`)
    return index
  }

  /** Copies image `index` of the run's split into the probe's input; returns its label. */
  private loadImage(splitName: 'train' | 'test', index: number): number {
    const split: Split = splitName === 'train' ? this.trainer.train : this.trainer.test
    if (index >= split.count) {
      throw new EngineError('INVALID_REQUEST', `image ${index} is outside the run's ${splitName} images (0 to ${split.count - 1})`)
    }
    this.probe ??= new NetworkProbe(this.trainer.network, this.trainer.config.network)
    const label = new Uint8Array(1)
    gatherBatch(split, [index], this.probe.input, label)
    return label[0]
  }
}

function asConv(layer: Layer): Conv2D {
  if (!(layer instanceof Conv2D)) throw new EngineError('INVALID_REQUEST', `layer "${layer.name}" is not a convolution`)
  return layer
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
