import { z } from 'zod'

/*
 * Run settings for how a run moves and ends (issue 22, item 1): a learning-rate schedule, a validation
 * split taken from the training set, early stopping on it. Each is optional; absent = what runs did
 * before (optimizer.lr throughout, every training image trained on, the run goes to its last iteration).
 */

const whole = (what: string) => z.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`)

/** A linear ramp before the schedule: iteration i ≤ W trains with lr·i/W. */
export const WarmupSchema = z.object({ iterations: whole('warm-up iterations').min(1, 'warm-up iterations must be at least 1') })

/**
 * After any warm-up, the schedule counts the remaining iterations t = 0, 1, … (src/engine/train/lr-schedule.ts):
 * constant keeps optimizer.lr; step multiplies it by gamma every `every` iterations; cosine falls from it
 * to minLr along half a cosine over all the remaining iterations of the run.
 */
export const LrScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), warmup: WarmupSchema.optional() }),
  z.object({
    kind: z.literal('step'),
    every: whole('step interval').min(1, 'step interval must be at least 1'),
    gamma: z.number({ error: 'gamma must be a number' }).gt(0, 'gamma must be greater than 0').max(1, 'gamma must be at most 1'),
    warmup: WarmupSchema.optional()
  }),
  z.object({
    kind: z.literal('cosine'),
    minLr: z.number({ error: 'minimum learning rate must be a number' }).min(0, 'minimum learning rate must be 0 or more').default(0),
    warmup: WarmupSchema.optional()
  })
])
export type LrSchedule = z.infer<typeof LrScheduleSchema>
export type LrScheduleKind = LrSchedule['kind']

/**
 * Training images set aside, drawn with the run's seed from the (limited) training set: never trained
 * on, their accuracy reported at each evaluation as valAcc. A fraction of the set or a count, not both.
 */
export const ValidationSchema = z
  .object({
    fraction: z.number({ error: 'fraction must be a number' }).gt(0, 'fraction must be greater than 0').lt(1, 'fraction must be less than 1').optional(),
    count: whole('validation count').min(1, 'validation count must be at least 1').optional()
  })
  .refine((v) => (v.fraction === undefined) !== (v.count === undefined), { message: 'give either a fraction or a count of training images' })
export type Validation = z.infer<typeof ValidationSchema>

/** Ends a run once validation accuracy has not risen by more than minDelta for `patience` evaluations in a row. */
export const EarlyStoppingSchema = z.object({
  patience: whole('patience').min(1, 'patience must be at least 1'),
  minDelta: z
    .number({ error: 'minimum improvement must be a number' })
    .min(0, 'minimum improvement must be 0 or more')
    .lt(1, 'minimum improvement must be less than 1')
    .default(0)
})
export type EarlyStopping = z.infer<typeof EarlyStoppingSchema>

/** Early stopping watches the validation split, so it needs one (the test set must not choose the model). */
export function stoppingProblem(config: { validation?: unknown; earlyStopping?: unknown }): string | null {
  return config.earlyStopping && !config.validation ? 'needs a validation split to watch (validation.fraction or validation.count)' : null
}

/** What a caller may write (defaults not yet applied). */
export type LrScheduleInput = z.input<typeof LrScheduleSchema>
export type ValidationInput = z.input<typeof ValidationSchema>
export type EarlyStoppingInput = z.input<typeof EarlyStoppingSchema>
