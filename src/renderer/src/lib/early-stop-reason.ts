/**
 * The engine says why a run stopped early in English (train/early-stopping.ts reason()); the app shows it
 * in the student's language: the numbers are read back from that sentence into an i18n key's parameters.
 */
const REASON = /^early stopping: validation accuracy did not improve(?: by more than (\S+))? for (\d+) evaluations?(?:; best (\S+) at iteration (\d+))?$/

export interface LocalizedReason {
  key: string
  params: Record<string, string>
}

export function earlyStopReason(message: string | null): LocalizedReason | null {
  const m = message?.match(REASON)
  if (!m) return null
  const [, minDelta, patience, best, iter] = m
  const key = `run.earlyStopped.${minDelta ? 'byDelta' : 'plain'}${best ? 'Best' : ''}`
  return { key, params: { patience, ...(minDelta ? { minDelta } : {}), ...(best ? { best, iter } : {}) } }
}
