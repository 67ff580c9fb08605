import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { doneLine, expandTrials, parseSweepText, runCost, SweepProblem, SweepScheduler, trialLine, type Trial, type TrialResult } from '../../engine/sweep'
import { bestTrial } from '../../engine/sweep/results'
import { intOption, parseOptions, UsageError } from '../args'
import { readKeptTrials, STATE_FILE, SweepStateWriter } from '../sweep/sweep-state'
import { WorkerProcess } from '../sweep/worker-process'

const USAGE = 'usage: lab sweep --config SWEEP.json [--jobs N] [--threads N] [--data NAME|DIR] [--out DIR] [--save-models] [--json]'

/**
 * `lab sweep`: a base run and the settings to vary (SWEEP.json, engine/sweep/sweep-file.ts), run as
 * ordinary runs on N worker processes (one per core by default), with asynchronous successive halving
 * when the file asks. Each finished trial is a line (`--json`: a JSON object), its run file
 * (`DIR/trial-N.json`, for `lab train --config`) and, with --save-models, its model. The sweep's state is
 * kept in DIR (default: beside SWEEP.json, `<name>.sweep`): the same command after an interruption keeps
 * the finished trials and runs the rest. Exit 0 when every trial ran (diverged ones included), 1 when one
 * failed or the sweep was interrupted, 2 for bad input.
 */
export async function sweepCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    config: { type: 'string' },
    jobs: { type: 'string' },
    threads: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    'save-models': { type: 'boolean' },
    json: { type: 'boolean' }
  })
  if (!options.config) throw new UsageError(`--config SWEEP.json is required\n${USAGE}`)
  const jobsWanted = intOption(options.jobs, '--jobs', 1, 64) ?? Math.max(1, availableParallelism())
  const threadsOption = intOption(options.threads, '--threads', 1, 256)
  const { sweep, trials } = await readSweep(options.config)
  const out = options.out ?? join(dirname(options.config), `${basename(options.config).replace(/\.json$/i, '')}.sweep`)
  const identity = { sweep, data: options.data ?? null }
  const kept = await readKeptTrials(out, identity, trials)
  const state = await SweepStateWriter.create(out, identity)
  const print = options.json ? (r: TrialResult) => process.stdout.write(JSON.stringify(trialLine(r)) + '\n') : (r: TrialResult) => printTrial(r, trials.length)
  if (kept.length > 0)
    process.stderr.write(
      `lab sweep: ${kept.length} of ${trials.length} trials already finished (${join(out, STATE_FILE)})${kept.length < trials.length ? '; running the rest' : ''}\n`
    )
  kept.sort((a, b) => a.trial - b.trial).forEach(print)

  const remaining = trials.length - kept.length
  const jobs = Math.max(1, Math.min(jobsWanted, remaining))
  // Workers side by side already fill the cores: one kernel thread each unless told otherwise.
  const threads = threadsOption ?? (jobs > 1 ? 1 : undefined)
  const saveTo = options['save-models'] ? (trial: Trial) => join(out, `trial-${trial.trial}.safetensors`) : undefined
  const started = remaining > 0 ? await startWorkers(jobs, { data: options.data, threads, saveTo }) : []
  const workers = started.map((s) => s.worker)
  const shape = started[0]
  const results: TrialResult[] = [...kept]
  const scheduler = new SweepScheduler({
    trials,
    runners: workers,
    halving: sweep.halving ?? null,
    kept,
    cost: (trial) => (shape ? runCost(trial.config, shape.imageShape, shape.classCount) : null),
    onTrialFinished: async (result) => {
      results.push(result)
      // On disk before it is printed: a trial reported is a trial a resume keeps.
      await state.writeRunFile(trials[result.trial - 1])
      await state.save(results)
      print(result)
    }
  })
  const interrupt = (): void => scheduler.cancel()
  process.once('SIGINT', interrupt)
  let all: TrialResult[]
  try {
    all = remaining > 0 ? await scheduler.run() : kept
  } finally {
    process.off('SIGINT', interrupt)
    workers.forEach((w) => w.close())
  }
  for (const w of workers) for (const [trial, problem] of w.saveProblems) process.stderr.write(`lab sweep: trial ${trial}'s model was not saved: ${problem}\n`)

  if (options.json) process.stdout.write(JSON.stringify(doneLine(all)) + '\n')
  else printSummary(all)
  if (scheduler.isCancelled) {
    process.stderr.write(`lab sweep: interrupted with ${all.length} of ${trials.length} trials finished; the same command continues it\n`)
    return 1
  }
  const failed = all.filter((r) => r.status === 'failed')
  for (const r of failed) process.stderr.write(`lab sweep: trial ${r.trial} failed: ${r.message ?? 'no reason given'}\n`)
  const unsaved = workers.some((w) => w.saveProblems.size > 0)
  return failed.length === 0 && !unsaved ? 0 : 1
}

/** `jobs` workers with their data loaded; if one cannot start, the others are let go and its error thrown. */
async function startWorkers(jobs: number, options: Parameters<typeof WorkerProcess.start>[0]) {
  const settled = await Promise.allSettled(Array.from({ length: jobs }, () => WorkerProcess.start(options)))
  const failure = settled.find((s) => s.status === 'rejected')
  if (!failure) return settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof WorkerProcess.start>>>).value)
  for (const s of settled) if (s.status === 'fulfilled') s.value.worker.close()
  throw failure.reason
}

/** The sweep file, checked, and its trials; any problem is one line naming the field (exit 2). */
async function readSweep(path: string) {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new UsageError(`cannot read the sweep file ${path}: ${reason}`)
  }
  try {
    const sweep = parseSweepText(text)
    return { sweep, trials: expandTrials(sweep) }
  } catch (error) {
    if (error instanceof SweepProblem) throw new UsageError(`${path}: ${error.message}`)
    throw error
  }
}

function printTrial(r: TrialResult, total: number): void {
  const settings = Object.entries(r.settings).map(([path, value]) => `${path}=${JSON.stringify(value)}`)
  const acc = r.testAcc === null ? '-' : r.testAcc.toFixed(4)
  const val = r.valAcc === null ? '' : `  val ${r.valAcc.toFixed(4)}`
  const end = r.stoppedEarly ? `  stopped early at ${r.iter}` : r.status === 'completed' ? '' : `  ${r.status}`
  const cost = r.macs === null ? '' : `  ${formatCount(r.params ?? 0)} params  ${formatCount(r.macs)} MACs`
  process.stdout.write(
    `trial ${r.trial}/${total}  ${settings.join(' ')} seed ${r.seed}  test ${acc}${val}  iter ${r.iter}${cost}  ${(r.elapsedMs / 1000).toFixed(1)} s${end}\n`
  )
}

function printSummary(results: TrialResult[]): void {
  const best = bestTrial(results)
  const stopped = results.filter((r) => r.stoppedEarly).length
  process.stdout.write(`${results.length} trials${stopped ? `, ${stopped} stopped early` : ''}\n`)
  if (best)
    process.stdout.write(
      `best: trial ${best.trial} ${JSON.stringify(best.settings)} seed ${best.seed}, ${best.valAcc === null ? `test ${best.testAcc}` : `val ${best.valAcc}, test ${best.testAcc}`}\n`
    )
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`
  return String(n)
}
