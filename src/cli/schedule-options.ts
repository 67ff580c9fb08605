import { parseEarlyStopSpec, parseLrScheduleSpec, parseValidationSpec, SpecError } from '../engine/config/schedule-spec'
import type { RunConfigInput } from '../engine/config/run-config'
import { UsageError } from './args'

/** The schedule flags of lab train (and any command that starts runs): learning-rate schedule, validation split, early stopping. */
export const SCHEDULE_FLAGS = {
  'lr-schedule': { type: 'string' },
  validation: { type: 'string' },
  'early-stop': { type: 'string' }
} as const

export const SCHEDULE_USAGE = '[--lr-schedule SPEC] [--validation F|N] [--early-stop patience=N[,min-delta=X]]'

/** The settings the flags give (only those given); a malformed spec is a usage error (exit 2). */
export function scheduleOptions(options: {
  'lr-schedule'?: string
  validation?: string
  'early-stop'?: string
}): Pick<RunConfigInput, 'lrSchedule' | 'validation' | 'earlyStopping'> {
  try {
    return {
      ...(options['lr-schedule'] !== undefined ? { lrSchedule: parseLrScheduleSpec(options['lr-schedule']) } : {}),
      ...(options.validation !== undefined ? { validation: parseValidationSpec(options.validation) } : {}),
      ...(options['early-stop'] !== undefined ? { earlyStopping: parseEarlyStopSpec(options['early-stop']) } : {})
    }
  } catch (error) {
    throw error instanceof SpecError ? new UsageError(error.message) : error
  }
}
