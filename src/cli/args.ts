import { PRECISIONS, type Precision } from '../engine/core/dtype'
import { parseArgs } from 'node:util'
import { EngineError } from '../engine/protocol/error-codes'

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

export function parseOptions<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** A whole number within [min, max], or undefined when the flag was not given. */
export function intOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`)
  return n
}

/** --precision: float32 (the default) or float64 (the course's precision); undefined when not given. */
export function precisionOption(value: string | undefined): Precision | undefined {
  if (value === undefined) return undefined
  if (!(PRECISIONS as readonly string[]).includes(value)) throw new UsageError(`--precision must be ${PRECISIONS.join(' or ')}, got "${value}"`)
  return value as Precision
}

/** A finite number, or undefined when the flag was not given (ranges are the settings' own check). */
export function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`)
  return n
}

/** Exit code for an error: 2 for anything the user can fix in their input, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2
  // A file that could not be written is not the user's input; the run itself may have gone fine.
  if (error instanceof EngineError) return error.code === 'INTERNAL' || error.code === 'MODEL_WRITE_FAILED' || error.code === 'DATASET_WRITE_FAILED' ? 1 : 2
  return 1
}
