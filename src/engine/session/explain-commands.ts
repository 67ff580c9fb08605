/**
 * The session's `explainImage` command: why the model a model command acts on (the loaded model, else
 * the last run's network, see ModelCommands.target) answers as it does for one image. Kept apart from
 * model-commands.ts, which it asks for that network; the attributions themselves are src/engine/explain.
 */
import { imageSize, sampleShape, type ImageDataset } from '../data/image-set'
import { explainImage } from '../explain/explain'
import { InferenceCopy } from '../explain/inference-copy'
import type { Network } from '../model/network'
import { EngineError } from '../protocol/error-codes'
import type { Command, EngineEvent } from '../protocol/messages'
import type { Target } from './model-commands'

type ExplainCommand = Extract<Command, { type: 'explainImage' }>

export interface ExplainCommandsContext {
  emit(event: EngineEvent): void
  emitError(error: unknown, context?: { requestId?: string }): void
  dataset(): ImageDataset | null
  /** The network model commands act on, or null after reporting why there is none. */
  target(requestId: string, what: string): Target | null
}

export class ExplainCommands {
  /** One inference copy per network, kept between requests (a live overlay asks many times); weights synced each time. */
  private readonly copies = new WeakMap<Network, InferenceCopy>()

  constructor(private readonly context: ExplainCommandsContext) {}

  explain(command: ExplainCommand): void {
    const { requestId } = command
    const target = this.context.target(requestId, 'explain')
    if (!target) return
    try {
      const shape = target.images as [number, number, number]
      const { image, source } = this.image(command, shape)
      let copy = this.copies.get(target.network)
      if (!copy) this.copies.set(target.network, (copy = new InferenceCopy(target.network, target.config.network)))
      copy.sync()
      const result = explainImage(copy, image, shape, { method: command.method, class: command.class, layer: command.layer, options: command.options })
      this.context.emit({
        type: 'explanation',
        requestId,
        ...source,
        method: result.method,
        predicted: result.predicted,
        class: result.class,
        scores: result.scores,
        output: result.output,
        height: result.height,
        width: result.width,
        map: Array.from(result.map),
        reduction: result.reduction,
        channels: shape[0],
        ...(result.channelMaps ? { channelMaps: Array.from(result.channelMaps) } : {}),
        ...(result.layer ? { layer: result.layer } : {}),
        ...(result.completeness ? { completeness: result.completeness } : {}),
        settings: result.settings
      })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  /** The image's values in [0, 1], and where it came from. */
  private image(
    command: ExplainCommand,
    shape: readonly number[]
  ): { image: Float64Array; source: { split?: 'train' | 'test'; index?: number; label?: number } } {
    const size = shape.reduce((a, b) => a * b, 1)
    if ((command.index === undefined) === (command.pixels === undefined))
      throw invalid('give either an image index or the pixels of an image, not both or neither')
    if (command.pixels) {
      if (command.pixels.length !== size)
        throw invalid(`the model takes ${shape.join('×')} images (${size} values), the pixels are ${command.pixels.length} values`)
      return { image: Float64Array.from(command.pixels), source: {} }
    }
    const dataset = this.context.dataset()
    if (!dataset) throw new EngineError('NO_DATASET', 'load a dataset before explaining one of its images')
    const split = dataset[command.split]
    const index = command.index!
    const data = sampleShape(split)
    if (data.some((d, i) => d !== shape[i]))
      throw invalid(`the model takes ${shape.join('×')} images, the loaded data "${dataset.name}" have ${data.join('×')}`)
    if (index >= split.count) throw invalid(`image ${index} is outside the ${command.split} images (0 to ${split.count - 1})`)
    const bytes = split.images.subarray(index * imageSize(split), (index + 1) * imageSize(split))
    return { image: Float64Array.from(bytes, (v) => v / 255), source: { split: command.split, index, label: split.labels[index] } }
  }
}

function invalid(message: string): EngineError {
  return new EngineError('INVALID_REQUEST', message)
}
