import { findPreset } from '../../engine/presets'
import { generationLines, pythonFloat } from '../../engine/format/course-format'
import { decodeModelFile, type ModelFile } from '../../engine/model-file/model-file'
import { EngineError } from '../../engine/protocol/error-codes'
import type { Evaluation } from '../../engine/protocol'
import { intOption, numberOption, parseOptions, precisionOption, UsageError } from '../args'
import { overrideSettings, readRunFile } from '../run-files'
import type { RunConfig } from '../../engine/config/run-config'
import { EngineConnection } from '../engine-connection'
import { runOnEngine } from '../run-on-engine'
import { parseAugmentSpec } from '../../engine/data/augment'
import { scheduleOptions, SCHEDULE_FLAGS, SCHEDULE_USAGE } from '../schedule-options'
import { readModelBytes, writeFileAtomically } from '../model-files'
import { PeriodicCheckpoints } from '../periodic-checkpoints'

const USAGE =
  'usage: lab train --preset ID [--iters N] [--seed S] [--batch N] [--lr X] [--precision float32|float64] [--threads N] [--eval-every N] [--eval-subset K] [--data NAME|DIR] [--augment SPEC] ' +
  SCHEDULE_USAGE +
  ' [--save FILE [--checkpoint-every N]] [--json]\n' +
  '       lab train --config FILE.json [same flags as with --preset]\n' +
  '       lab train --resume FILE [--iters N] [--eval-every N] [--eval-subset K] [--data NAME|DIR] [--save FILE] [--json]'

/**
 * `lab train`: trains one preset headless, or continues a checkpoint, and prints every evaluation in the
 * course's format or as JSON lines; `--save` writes the final model as a checkpoint. Exit 0 when the run
 * completes, 1 when it diverges or fails (or the file cannot be written), 2 for bad input.
 */
export async function trainCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    preset: { type: 'string' },
    config: { type: 'string' },
    resume: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    precision: { type: 'string' },
    threads: { type: 'string' },
    save: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    iters: { type: 'string' },
    seed: { type: 'string' },
    'eval-every': { type: 'string' },
    'eval-subset': { type: 'string' },
    data: { type: 'string' },
    augment: { type: 'string' },
    ...SCHEDULE_FLAGS,
    json: { type: 'boolean' }
  })
  const sources = [options.preset && '--preset', options.config && '--config', options.resume && '--resume'].filter(Boolean)
  if (sources.length > 1) throw new UsageError(`${sources.join(' and ')} do not go together: give one source of settings\n${USAGE}`)
  if (sources.length === 0) throw new UsageError(`--preset or --resume is required (or --config FILE.json)\n${USAGE}`)
  const resumeFixed =
    options.seed ?? options.batch ?? options.lr ?? options.precision ?? options.augment ?? options['lr-schedule'] ?? options.validation ?? options['early-stop']
  if (options.resume && resumeFixed !== undefined) {
    throw new UsageError(
      '--seed, --batch, --lr, --precision, --augment, --lr-schedule, --validation and --early-stop cannot change a resumed run: the checkpoint holds its settings and generator'
    )
  }
  const checkpointEvery = intOption(options['checkpoint-every'], '--checkpoint-every', 1, 10_000_000)
  if (checkpointEvery !== undefined && !options.save) throw new UsageError('--checkpoint-every needs --save FILE: the file the checkpoints go to')

  const overrides = {
    iterations: intOption(options.iters, '--iters', 1, 10_000_000),
    evalInterval: intOption(options['eval-every'], '--eval-every', 1, 10_000_000),
    evalSubset: intOption(options['eval-subset'], '--eval-subset', 1, 10_000_000)
  }
  let checkpoint: { bytes: Uint8Array; file: ModelFile } | undefined
  let presetId: string | undefined
  let base
  if (options.resume) {
    const bytes = await readModelBytes(options.resume)
    const file = decodeModelFile(bytes)
    if (file.summary.kind !== 'checkpoint')
      throw new EngineError('INVALID_MODEL', `${options.resume} is a model without training state; only a checkpoint (train --save) can be resumed`)
    if (overrides.iterations === undefined && file.summary.config.iterations <= file.summary.iteration) {
      throw new UsageError(
        `the checkpoint is at iteration ${file.summary.iteration}, the end of its run: give the new total with --iters N (N > ${file.summary.iteration})`
      )
    }
    checkpoint = { bytes, file }
    presetId = file.summary.presetId ?? undefined
    base = file.summary.config
  } else {
    let settings: RunConfig
    if (options.config) {
      settings = await readRunFile(options.config)
    } else {
      const preset = findPreset(options.preset!)
      presetId = preset.id
      settings = preset.config
    }
    base = overrideSettings(settings, {
      seed: intOption(options.seed, '--seed', 0, 0xffffffff),
      batchSize: intOption(options.batch, '--batch', 1, 100_000),
      lr: numberOption(options.lr, '--lr'),
      precision: precisionOption(options.precision)
    })
  }
  const augment = options.augment !== undefined ? parseAugmentSpec(options.augment) : undefined
  const config = {
    ...base,
    ...(augment && Object.keys(augment).length > 0 ? { augment } : {}),
    ...scheduleOptions(options),
    iterations: overrides.iterations ?? base.iterations,
    evalInterval: overrides.evalInterval ?? base.evalInterval,
    evalSubset: overrides.evalSubset ?? base.evalSubset
  }

  const threads = intOption(options.threads, '--threads', 1, 256)
  const { engine } = await EngineConnection.open(options.data, threads)
  const print = options.json ? printJson : printCourse

  const runId = `cli-${presetId ?? 'run'}`
  const checkpoints =
    checkpointEvery && options.save ? new PeriodicCheckpoints(engine, options.save, checkpointEvery, checkpoint?.file.summary.iteration ?? 0) : null
  const finished = await runOnEngine(
    engine,
    { runId, presetId, config, ...(checkpoint ? { resumeFrom: checkpoint.bytes } : {}) },
    { onProgress: (iter) => checkpoints?.onProgress(iter), onEvaluation: print }
  )

  let saveProblem: string | undefined
  await checkpoints?.settled()
  if (checkpoints?.problem) saveProblem = checkpoints.problem
  if (options.save) {
    if (finished.status === 'completed' || finished.status === 'early-stopped' || finished.status === 'stopped') {
      const saved = await engine.until('modelSaved', { type: 'saveModel', requestId: 'cli-save', checkpoint: true })
      try {
        await writeFileAtomically(options.save, saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes))
      } catch (error) {
        saveProblem = (error as Error).message
      }
    } else saveProblem = `not saved: the run ${finished.status}`
  }

  if (options.json) {
    const last = finished.last
    const done = { done: true, iter: finished.iter, trainAcc: last?.trainAcc ?? null, testAcc: last?.testAcc ?? null, elapsedMs: round(finished.elapsedMs) }
    const extra = finished.status === 'completed' ? {} : { status: finished.status, message: finished.message }
    const best = finished.best ? { bestIter: finished.best.iter, bestValAcc: finished.best.valAcc } : {}
    process.stdout.write(JSON.stringify({ ...done, ...(last?.valAcc !== undefined ? { valAcc: last.valAcc } : {}), ...extra, ...best }) + '\n')
  }
  const succeeded = finished.status === 'completed' || finished.status === 'early-stopped'
  if (finished.status !== 'completed') process.stderr.write(`lab train: ${finished.message ?? finished.status}\n`)
  if (saveProblem) process.stderr.write(`lab train: ${saveProblem}\n`)
  return succeeded && !saveProblem ? 0 : 1
}

function printCourse(e: Evaluation): void {
  const [train, test] = generationLines(e.iter, e.trainAcc, e.testAcc)
  process.stdout.write(`${train}\n${test}\n`)
  if (e.valAcc !== undefined) process.stdout.write(`${' '.repeat(16)}: ${e.iter}. validation acc = ${pythonFloat(e.valAcc)}\n`)
}

function printJson(e: Evaluation): void {
  const line = {
    iter: e.iter,
    loss: e.loss,
    trainAcc: e.trainAcc,
    testAcc: e.testAcc,
    ...(e.valAcc !== undefined ? { valAcc: e.valAcc } : {}),
    elapsedMs: round(e.elapsedMs)
  }
  process.stdout.write(JSON.stringify(line) + '\n')
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
