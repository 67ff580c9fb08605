import { reactive, watch } from 'vue'
import type { LrSchedule, LrScheduleKind, Validation } from '@engine/config/schedule'
import { formatNumber, parseNumber, parseOptionalNumber, sameValue, toHalfWidth } from '@renderer/lib/form-values'

/*
 * The schedule and stopping settings as form values (components/settings/ScheduleSettings.vue and
 * StoppingSettings.vue): what a change of kind brings, and the validation split typed as one number.
 */

/** The config paths these settings show problems for (the rest of the form lists any others). */
export const SCHEDULE_FIELDS = [
  'lrSchedule',
  'lrSchedule.kind',
  'lrSchedule.every',
  'lrSchedule.gamma',
  'lrSchedule.minLr',
  'lrSchedule.warmup',
  'lrSchedule.warmup.iterations',
  'validation',
  'validation.fraction',
  'validation.count',
  'earlyStopping',
  'earlyStopping.patience',
  'earlyStopping.minDelta'
] as const

export type ScheduleChoice = 'none' | LrScheduleKind

/** A new kind keeps the warm-up; step starts by halving four times over the run, cosine falls to 0. */
export function scheduleOfKind(kind: ScheduleChoice, current: LrSchedule | undefined, iterations: number): LrSchedule | undefined {
  const warmup = current?.warmup ? { warmup: current.warmup } : {}
  switch (kind) {
    case 'none':
      return undefined
    case 'constant':
      return { kind, ...warmup }
    case 'step':
      return current?.kind === 'step' ? current : { kind, every: Math.max(1, Math.round(iterations / 5)), gamma: 0.5, ...warmup }
    case 'cosine':
      return current?.kind === 'cosine' ? current : { kind, minLr: 0, ...warmup }
  }
}

/** "0.1" → a fraction, "500" → a count, "" → no split; anything else goes to the schema check as it is. */
export function validationFromText(text: string): Validation | undefined {
  if (toHalfWidth(text).trim() === '') return undefined
  const n = parseNumber(text)
  return Number.isInteger(n) && n >= 1 ? { count: n } : { fraction: n }
}

export function validationText(validation: Validation | undefined): string {
  return formatNumber(validation?.count ?? validation?.fraction)
}

/**
 * Texts of number fields that keep what the student typed while it still means the config's value (so
 * "0." or "1e" is not rewritten under the cursor), and show the config's value otherwise.
 */
export function useTypedNumbers(values: () => Record<string, number | undefined>): Record<string, string> {
  const texts = reactive<Record<string, string>>({})
  watch(
    values,
    (current) => {
      for (const [path, value] of Object.entries(current)) {
        if (path in texts && sameValue(parseOptionalNumber(texts[path]), value)) continue
        texts[path] = formatNumber(value)
      }
    },
    { immediate: true }
  )
  return texts
}
