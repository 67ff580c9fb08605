import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { findPreset } from '../../engine/presets'
import { intOption, numberOption, parseOptions, precisionOption, UsageError } from '../args'
import { meanAndSd } from '../stats'

const USAGE =
  'usage: lab grid --presets a,b,c [--seeds N] [--seed S] [--batch N] [--lr X] [--precision float32|float64] [--threads N] [--iters N] [--eval-every N] [--eval-subset K] [--jobs N] [--data NAME|DIR] [--augment SPEC] [--json]'

interface RunResult {
  preset: string
  seed: number
  status: string
  trainAcc: number | null
  testAcc: number | null
  elapsedMs: number
  message?: string
}

/**
 * `lab grid`: every preset × seeds 1…N, each a `lab train --json` child process, several at once (one per
 * core by default), then a results table like the course report's: mean ± standard deviation per preset.
 */
export async function gridCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    presets: { type: 'string' },
    seeds: { type: 'string' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    precision: { type: 'string' },
    threads: { type: 'string' },
    iters: { type: 'string' },
    jobs: { type: 'string' },
    'eval-every': { type: 'string' },
    'eval-subset': { type: 'string' },
    data: { type: 'string' },
    augment: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (!options.presets) throw new UsageError(`--presets is required\n${USAGE}`)
  const presetIds = options.presets
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  presetIds.forEach(findPreset) // unknown ids fail before anything runs
  const seeds = intOption(options.seeds, '--seeds', 1, 1000) ?? 1
  // --seed S: seeds S…S+N−1 instead of 1…N.
  const firstSeed = intOption(options.seed, '--seed', 0, 0xffffffff - 1000) ?? 1
  if (options.batch !== undefined) intOption(options.batch, '--batch', 1, 100_000)
  if (options.lr !== undefined) numberOption(options.lr, '--lr')
  precisionOption(options.precision)
  const jobs = intOption(options.jobs, '--jobs', 1, 64) ?? Math.max(1, availableParallelism())
  // Runs side by side already fill the cores: each gets one thread unless told otherwise.
  const threadsPerRun = intOption(options.threads, '--threads', 1, 256) ?? (jobs > 1 ? 1 : availableParallelism())
  // Passed through to every `lab train`, which validates them (a bad value fails the first run, exit 2).
  const extra = [
    ...(options.iters ? ['--iters', options.iters] : []),
    ...(options.batch ? ['--batch', options.batch] : []),
    ...(options.lr ? ['--lr', options.lr] : []),
    ...(options.precision ? ['--precision', options.precision] : []),
    '--threads',
    String(threadsPerRun),
    ...(options['eval-every'] ? ['--eval-every', options['eval-every']] : []),
    ...(options['eval-subset'] ? ['--eval-subset', options['eval-subset']] : []),
    ...(options.data ? ['--data', options.data] : []),
    ...(options.augment ? ['--augment', options.augment] : [])
  ]
  if (options.iters) intOption(options.iters, '--iters', 1, 10_000_000)

  const queue = presetIds.flatMap((preset) => Array.from({ length: seeds }, (_, i) => ({ preset, seed: firstSeed + i })))
  const results: RunResult[] = []
  const started = performance.now()
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const result = await trainInChild(job.preset, job.seed, extra)
      results.push(result)
      if (!options.json)
        process.stderr.write(`  ${job.preset} seed ${job.seed}: ${result.status}, test ${result.testAcc ?? '-'} (${(result.elapsedMs / 1000).toFixed(1)} s)\n`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker))
  const wallMs = performance.now() - started

  // Runs finish in any order across the workers; report them by seed.
  const rows = presetIds.map((preset) =>
    summarize(
      preset,
      results.filter((r) => r.preset === preset).sort((a, b) => a.seed - b.seed)
    )
  )
  if (options.json) {
    for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n')
    process.stdout.write(JSON.stringify({ done: true, runs: results.length, wallMs: Math.round(wallMs) }) + '\n')
  } else {
    printTable(rows, wallMs)
  }
  return results.every((r) => r.status === 'completed') ? 0 : 1
}

function summarize(preset: string, runs: RunResult[]) {
  const ok = runs.filter((r) => r.status === 'completed')
  const train = meanAndSd(ok.map((r) => r.trainAcc ?? Number.NaN))
  const test = meanAndSd(ok.map((r) => r.testAcc ?? Number.NaN))
  const wall = meanAndSd(runs.map((r) => r.elapsedMs))
  return {
    preset,
    runs: runs.length,
    completed: ok.length,
    trainAcc: { ...train, values: runs.map((r) => r.trainAcc) },
    testAcc: { ...test, values: runs.map((r) => r.testAcc) },
    elapsedMs: { mean: Math.round(wall.mean) },
    problems: runs.filter((r) => r.status !== 'completed').map((r) => `seed ${r.seed}: ${r.message ?? r.status}`)
  }
}

function printTable(rows: ReturnType<typeof summarize>[], wallMs: number): void {
  const fmt = (s: { mean: number; sd: number }) => (Number.isNaN(s.mean) ? '-' : `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}`)
  const width = Math.max(6, ...rows.map((r) => r.preset.length))
  process.stdout.write(`${'preset'.padEnd(width)}  runs  train acc (mean ± sd)  test acc (mean ± sd)   time per run\n`)
  for (const r of rows) {
    const runs = r.completed === r.runs ? String(r.runs) : `${r.completed}/${r.runs}`
    process.stdout.write(
      `${r.preset.padEnd(width)}  ${runs.padStart(4)}  ${fmt(r.trainAcc).padEnd(21)}  ${fmt(r.testAcc).padEnd(21)}  ${(r.elapsedMs.mean / 1000).toFixed(1)} s\n`
    )
    for (const p of r.problems) process.stdout.write(`${''.padEnd(width)}  ${p}\n`)
  }
  process.stdout.write(`total wall time ${(wallMs / 1000).toFixed(1)} s\n`)
}

/** Runs one `lab train --json` in a child process (same Node, same loader) and reads its done line. */
function trainInChild(preset: string, seed: number, extra: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'train', '--preset', preset, '--seed', String(seed), '--json', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? ''
      let done: { done?: boolean; trainAcc: number | null; testAcc: number | null; elapsedMs: number; status?: string; message?: string }
      try {
        done = JSON.parse(last)
      } catch {
        return reject(new UsageError(`lab train --preset ${preset} --seed ${seed} failed (exit ${code}): ${stderr.trim() || 'no output'}`))
      }
      if (code === 2 || !done.done) return reject(new UsageError(stderr.trim().replace(/^lab: /, '')))
      resolve({
        preset,
        seed,
        status: done.status ?? 'completed',
        trainAcc: done.trainAcc,
        testAcc: done.testAcc,
        elapsedMs: done.elapsedMs,
        message: done.message
      })
    })
  })
}
