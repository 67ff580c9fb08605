/** How the session's command handlers answer: events to every client, and failures turned into `error` events. */
import type { FieldProblem } from '../config/run-config'
import { describeProblems } from '../config/run-config'
import { EngineError } from '../protocol/error-codes'
import type { EngineEvent, EngineEventOf } from '../protocol/messages'

export interface SessionOutput {
  emit(event: EngineEvent): void
  emitError(error: unknown, context?: { requestId?: string; runId?: string }): void
}

export function invalidConfig(problems: FieldProblem[], runId: string): EngineEventOf<'error'> {
  return { type: 'error', code: 'INVALID_CONFIG', message: `invalid settings: ${describeProblems(problems)}`, runId, problems }
}

/** An engine error keeps its code; anything else is an internal error, its message kept for the report. */
export function toErrorEvent(error: unknown, context: { requestId?: string; runId?: string } = {}): EngineEventOf<'error'> {
  if (error instanceof EngineError) {
    const problems = error.details?.problems as FieldProblem[] | undefined
    return { type: 'error', code: error.code, message: error.message, ...context, ...(problems ? { problems } : {}) }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { type: 'error', code: 'INTERNAL', message: `internal engine error: ${message}`, ...context }
}
