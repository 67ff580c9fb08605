/**
 * The session's embedding commands: a layer's activations for the first images of the loaded data,
 * projected to 2-D (src/engine/embed), a step at a time between training slices, with progress and
 * cancelling; and the layers an embedding can be made of.
 */
import type { NetworkSpec } from '../config/run-config'
import { yieldToEventLoop } from '../core/yield'
import { sampleShape, type ImageDataset } from '../data/image-set'
import { checkEmbedCount, embedJob } from '../embed/embed'
import { embedLayerIndex } from '../embed/layer-choice'
import { pairs } from '../embed/layout'
import { InferenceCopy } from '../explain/inference-copy'
import { describeLayers } from '../inspect/layer-info'
import type { Network } from '../model/network'
import { EngineError } from '../protocol/error-codes'
import type { Command } from '../protocol/messages'
import type { SavableRun, Target } from './model-commands'
import type { SessionOutput } from './session-events'

type Of<T extends Command['type']> = Extract<Command, { type: T }>

/** A network to embed with, the spec its inference copy is built from, and the images it takes ([C, H, W]). */
interface Chosen {
  network: Network
  spec: NetworkSpec
  images: readonly number[]
}

/** The images embedded when a request names no number: the 1,000, or the whole split if smaller. */
const DEFAULT_COUNT = 1000
/** Projection steps run for about this long before the host's event loop gets a turn (and progress is sent). */
const SLICE_MS = 40

export interface EmbedCommandsContext extends SessionOutput {
  dataset(): ImageDataset | null
  /** The loaded model, else the last run's network, or null after reporting why there is none (ModelCommands.target). */
  target(requestId: string, what: string): Target | null
  /** The active run (its network between slices) or the last one. */
  lastRun(): SavableRun | null
}

export class EmbedCommands {
  /** One inference copy per network, kept between requests; weights synced each time. */
  private readonly copies = new WeakMap<Network, InferenceCopy>()
  /** The embedding being computed, if any: one at a time, a new request cancels it. */
  private computing: { requestId: string; cancelled: boolean } | null = null

  constructor(private readonly context: EmbedCommandsContext) {}

  embed(command: Of<'embed'>): void {
    const { requestId } = command
    const { emit, emitError } = this.context
    const chosen = this.network(requestId, command.source)
    if (!chosen) return
    const dataset = this.context.dataset()
    if (!dataset) return emitError(new EngineError('NO_DATASET', 'load a dataset before embedding its images'), { requestId })
    if (this.computing) {
      this.computing.cancelled = true
      emit({ type: 'embeddingCancelled', requestId: this.computing.requestId })
    }
    const state = { requestId, cancelled: false }
    this.computing = state
    void this.compute(command, chosen, dataset, state)
      .catch((error) => emitError(error, { requestId }))
      .finally(() => {
        if (this.computing === state) this.computing = null
      })
  }

  cancel({ requestId }: Of<'cancelEmbedding'>): void {
    if (!this.computing || this.computing.requestId !== requestId) return
    this.computing.cancelled = true
    this.computing = null
    this.context.emit({ type: 'embeddingCancelled', requestId })
  }

  layers({ requestId, source }: Of<'getEmbeddingLayers'>): void {
    const chosen = this.network(requestId, source)
    if (!chosen) return
    const { network } = chosen
    const defaultLayer = network.layers[embedLayerIndex(network)].name
    this.context.emit({ type: 'embeddingLayers', requestId, layers: describeLayers(network), defaultLayer })
  }

  private async compute(command: Of<'embed'>, { network, spec, images }: Chosen, dataset: ImageDataset, state: { cancelled: boolean }): Promise<void> {
    const { requestId, method, seed } = command
    const split = dataset[command.split]
    const shape = sampleShape(split)
    if (shape.length !== images.length || shape.some((d, i) => d !== images[i])) {
      throw new EngineError('INVALID_REQUEST', `the network takes ${images.join('×')} images, the loaded data "${dataset.name}" have ${shape.join('×')}`)
    }
    const count = command.n ?? Math.min(DEFAULT_COUNT, split.count)
    checkEmbedCount(method, count, split.count, command.split)
    let copy = this.copies.get(network)
    if (!copy) this.copies.set(network, (copy = new InferenceCopy(network, spec)))
    copy.sync()
    const progress = (phase: 'activations' | 'projection', done: number, total: number): void =>
      this.context.emit({ type: 'embeddingProgress', requestId, phase, done, total })
    const options = command.options ?? {}
    const job = embedJob(copy, split, { method, layer: command.layer, count, settings: { seed, ...options } }, (done, total) =>
      progress('activations', done, total)
    )
    const projection = job.projection
    for (;;) {
      await yieldToEventLoop()
      if (state.cancelled) return
      const started = performance.now()
      let more: boolean
      do more = projection.step()
      while (more && performance.now() - started < SLICE_MS)
      progress('projection', projection.done, projection.total)
      if (!more) break
    }
    const result = projection.result()
    const { activations } = job
    this.context.emit({
      type: 'embedding',
      requestId,
      method,
      layer: job.layer,
      split: command.split,
      n: count,
      dimensions: activations.dimensions,
      seed,
      points: pairs(result.points),
      labels: Array.from(activations.labels),
      predicted: Array.from(activations.predicted),
      indices: Array.from({ length: count }, (_, i) => i),
      ...(result.explained ? { explained: result.explained } : {}),
      settings: result.settings
    })
  }

  /** 'model': the loaded model; 'run': the active run's network (between slices) or the last run's; neither: as explanations. */
  private network(requestId: string, source: 'model' | 'run' | undefined): Chosen | null {
    const run = this.context.lastRun()
    if (source === 'run') {
      if (run) return { network: run.trainer.network, spec: run.trainer.config.network, images: sampleShape(run.trainer.train) }
      this.context.emitError(new EngineError('NO_NETWORK', 'no run to embed with: train one first'), { requestId })
      return null
    }
    const target = this.context.target(requestId, 'embed with')
    if (!target) return null
    if (source === 'model' && target.network === run?.trainer.network) {
      this.context.emitError(new EngineError('NO_NETWORK', 'no model is open: open one first'), { requestId })
      return null
    }
    return { network: target.network, spec: target.config.network, images: target.images }
  }
}
