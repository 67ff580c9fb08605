import type { EngineEvent, Evaluation } from '../engine/protocol'
import { EngineError } from '../engine/protocol/error-codes'
import type { EngineConnection } from './engine-connection'

export type RunFinished = Extract<EngineEvent, { type: 'runFinished' }>

export interface RunHooks {
  onProgress?(iter: number): void
  onEvaluation?(evaluation: Evaluation): void
}

/**
 * Starts one run on an engine session and waits for its end: what `lab train` and every sweep trial do.
 * An `error` event about the run (bad settings for these data, say) rejects with the engine's error.
 */
export function runOnEngine(
  engine: EngineConnection,
  start: Omit<Extract<Parameters<EngineConnection['send']>[0], { type: 'startRun' }>, 'type'>,
  hooks: RunHooks = {}
): Promise<RunFinished> {
  const { runId } = start
  return new Promise<RunFinished>((resolve, reject) => {
    const off = engine.on((event: EngineEvent) => {
      if (event.type === 'progress' && event.runId === runId) hooks.onProgress?.(event.iter)
      else if (event.type === 'evaluation' && event.runId === runId) hooks.onEvaluation?.(event.evaluation)
      else if (event.type === 'error' && event.runId === runId) {
        off()
        reject(new EngineError(event.code, event.message))
      } else if (event.type === 'runFinished' && event.runId === runId) {
        off()
        resolve(event)
      }
    })
    engine.send({ type: 'startRun', ...start })
  })
}
