/**
 * Sweeps: a base run, the settings to vary (a grid or random draws), seeds, and optional asynchronous
 * successive halving. Pure TypeScript, the same in every host:
 *
 *   parseSweepText / checkSweepSpec   SWEEP.json → SweepSpec (sweep-file.ts)
 *   expandTrials                      SweepSpec → Trial[] (each a whole, checked run config; trials.ts)
 *   Asha                              the halving's rungs and decisions (asha.ts)
 *   runCost / networkCost             parameters and multiply-adds per image (cost.ts)
 *   SweepScheduler                    runs trials on several TrialRunners at once (scheduler.ts)
 *   trialLine / doneLine / bestTrial  what a sweep reports (results.ts)
 *
 * A host supplies the TrialRunners: the CLI's are worker processes (src/cli/sweep/), each with its own
 * engine session; an app's would be its engine workers.
 */
export { parseSweepText, checkSweepSpec, resolveBase, SweepProblem, MAX_TRIALS, type SweepSpec, type HalvingSpec, type Distribution } from './sweep-file'
export { expandTrials, applySettings, draw, type Trial } from './trials'
export { Asha, rungsFor, type Decision, type RungRecord } from './asha'
export { networkCost, runCost, type NetworkCost } from './cost'
export { SweepScheduler, type TrialRunner, type TrialRun, type SweepOptions } from './scheduler'
export { trialLine, doneLine, bestTrial, metricOf, TrialResultSchema, type TrialResult } from './results'
export { withValueAt, valueAt, splitPath, type JsonValue } from './field-paths'
