/**
 * The session's visualisation requests: filters, feature maps, im2col, weights and the loss landscape, all
 * about one network — the active run's, the last run's after it ended, or a loaded model's.
 */
import { RunInspector } from '../inspect/inspect-run'
import { LandscapeJob } from '../landscape/landscape'
import type { WeightHistory } from '../landscape/weight-history'
import { yieldToEventLoop } from '../core/yield'
import { EngineError } from '../protocol/error-codes'
import type { Command } from '../protocol/messages'
import type { SessionOutput } from './session-events'

type Of<T extends Command['type']> = Extract<Command, { type: T }>

export class InspectCommands {
  private inspected: RunInspector | null = null
  /** Weight snapshots of the inspected run (start and evaluations, thinned): the landscape's path plane. */
  private history: WeightHistory | null = null
  /** The landscape being computed, if any: one at a time, a new request cancels it. */
  private landscape: { requestId: string; cancelled: boolean } | null = null

  constructor(private readonly out: SessionOutput) {}

  /** Makes this network the one the requests look at; a run passes its weight history, a loaded model none. */
  lookAt(inspector: RunInspector, history: WeightHistory | null = null): void {
    this.inspected = inspector
    this.history = history
  }

  /** Answered to every client, like other events; runs between training slices, never during one. */
  inspect(command: Of<'getFilters' | 'getFeatureMaps' | 'getIm2col'>): void {
    const inspected = this.current(command.requestId)
    if (!inspected) return
    try {
      this.out.emit(inspected.answer(command))
    } catch (error) {
      this.out.emitError(error, { requestId: command.requestId, runId: inspected.runId })
    }
  }

  weights(command: Of<'getWeights'>): void {
    const inspected = this.current(command.requestId)
    if (!inspected) return
    try {
      this.out.emit(inspected.weights(command.requestId, command.units))
    } catch (error) {
      this.out.emitError(error, { requestId: command.requestId, runId: inspected.runId })
    }
  }

  /** Runs between training slices (or while idle), in slices of its own; progress, then the result. */
  computeLandscape(command: Of<'computeLandscape'>): void {
    const { requestId } = command
    const { emit, emitError } = this.out
    if (!this.inspected) return emitError(new EngineError('NO_NETWORK', 'no run has built a network yet; train one or load a model first'), { requestId })
    const source = this.inspected
    const runId = source.runId
    let job: LandscapeJob
    try {
      job = new LandscapeJob(source.landscapeSource(this.history), command)
    } catch (error) {
      return emitError(error, { requestId, runId })
    }
    const iter = source.iterationsDone
    if (command.estimateOnly) {
      // One point, timed: the whole grid costs about as much per point. The first pass allocates the copy's
      // buffers and warms the code up (measured ~30% slower, bench/landscape.ts), so the second is timed.
      job.evaluate(0, 0)
      const started = performance.now()
      job.evaluate(0, 0)
      const msPerPoint = Math.max(0.001, performance.now() - started)
      return emit({ type: 'landscapeEstimate', requestId, runId, points: job.points, msPerPoint, estimatedMs: msPerPoint * job.points })
    }
    if (this.landscape) {
      this.landscape.cancelled = true
      emit({ type: 'landscapeCancelled', requestId: this.landscape.requestId })
    }
    const state = { requestId, cancelled: false }
    this.landscape = state
    job
      .run(
        (done, total) => emit({ type: 'landscapeProgress', requestId, runId, done, total }),
        () => state.cancelled,
        yieldToEventLoop
      )
      .then(
        (result) => {
          if (result && !state.cancelled) emit({ type: 'landscape', requestId, runId, iter, result })
        },
        (error) => emitError(error, { requestId, runId })
      )
      .finally(() => {
        if (this.landscape === state) this.landscape = null
      })
  }

  cancelLandscape(command: Of<'cancelLandscape'>): void {
    if (!this.landscape || this.landscape.requestId !== command.requestId) return
    this.landscape.cancelled = true
    this.landscape = null
    this.out.emit({ type: 'landscapeCancelled', requestId: command.requestId })
  }

  private current(requestId: string): RunInspector | null {
    if (!this.inspected) this.out.emitError(new EngineError('NO_NETWORK', 'no run has built a network yet; start one first'), { requestId })
    return this.inspected
  }
}
