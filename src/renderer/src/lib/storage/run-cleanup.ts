/*
 * What "delete runs older than …" means, as pure functions: the view asks for an age in days, weeks or
 * months, and deletes the runs created before the cutoff. A month is 30 days: a student thinking "older than
 * a month" does not mind the day either way, and the confirmation names the date.
 */

export type AgeUnit = 'days' | 'weeks' | 'months'

const DAY_MS = 24 * 60 * 60 * 1000
const UNIT_DAYS: Record<AgeUnit, number> = { days: 1, weeks: 7, months: 30 }

/** The largest age accepted (10 years): anything more is a typo, and would delete nothing anyway. */
export const MAX_AGE_DAYS = 3650

/** The instant before which a run counts as older than `amount` `unit`s, or null for an amount not allowed. */
export function ageCutoff(amount: number, unit: AgeUnit, now: number): number | null {
  if (!Number.isInteger(amount) || amount < 1) return null
  const days = amount * UNIT_DAYS[unit]
  if (days > MAX_AGE_DAYS) return null
  return now - days * DAY_MS
}

export interface AgedRun {
  id: string
  createdAt: number
  /** A run training now (or paused) is never deleted from the list. */
  live: boolean
}

/** The runs "delete runs older than …" would delete: created before the cutoff, not live. */
export function runsOlderThan(runs: readonly AgedRun[], cutoff: number): string[] {
  return runs.filter((run) => run.createdAt < cutoff && !run.live).map((run) => run.id)
}
