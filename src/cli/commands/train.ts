import { resolve } from 'node:path'
import { findPreset } from '../../engine/presets'
import { generationLines } from '../../engine/format/course-format'
import { EngineError } from '../../engine/protocol/error-codes'
import type { EngineEvent, Evaluation } from '../../engine/protocol'
import { intOption, parseOptions, UsageError } from '../args'
import { BUNDLED_MNIST_DIR, EngineConnection } from '../engine-connection'

const USAGE = 'usage: lab train --preset ID [--iters N] [--seed S] [--eval-every N] [--eval-subset K] [--data DIR] [--json]'

/**
 * `lab train`: trains one preset headless and prints every evaluation, in the course's format or as JSON
 * lines. Exit 0 when the run completes, 1 when it diverges or fails, 2 for bad input.
 */
export async function trainCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    preset: { type: 'string' },
    iters: { type: 'string' },
    seed: { type: 'string' },
    'eval-every': { type: 'string' },
    'eval-subset': { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (!options.preset) throw new UsageError(`--preset is required\n${USAGE}`)
  const preset = findPreset(options.preset)
  const config = {
    ...preset.config,
    iterations: intOption(options.iters, '--iters', 1, 10_000_000) ?? preset.config.iterations,
    seed: intOption(options.seed, '--seed', 0, 0xffffffff) ?? preset.config.seed,
    evalInterval: intOption(options['eval-every'], '--eval-every', 1, 10_000_000) ?? preset.config.evalInterval,
    evalSubset: intOption(options['eval-subset'], '--eval-subset', 1, 10_000_000) ?? preset.config.evalSubset
  }
  const dataDir = options.data ? resolve(options.data) : BUNDLED_MNIST_DIR
  const { engine } = await EngineConnection.open(dataDir, options.data ? dataDir : 'bundled MNIST')
  const print = options.json ? printJson : printCourse

  const runId = `cli-${preset.id}`
  return new Promise((resolvePromise, reject) => {
    engine.on((event: EngineEvent) => {
      if (event.type === 'evaluation' && event.runId === runId) print(event.evaluation)
      else if (event.type === 'error' && event.runId === runId) reject(new EngineError(event.code, event.message))
      else if (event.type === 'runFinished' && event.runId === runId) {
        if (options.json) {
          const last = event.last
          const done = { done: true, iter: event.iter, trainAcc: last?.trainAcc ?? null, testAcc: last?.testAcc ?? null, elapsedMs: round(event.elapsedMs) }
          const extra = event.status === 'completed' ? {} : { status: event.status, message: event.message }
          process.stdout.write(JSON.stringify({ ...done, ...extra }) + '\n')
        }
        if (event.status !== 'completed') process.stderr.write(`lab train: ${event.message ?? event.status}\n`)
        resolvePromise(event.status === 'completed' ? 0 : 1)
      }
    })
    engine.send({ type: 'startRun', runId, presetId: preset.id, config })
  })
}

function printCourse(e: Evaluation): void {
  const [train, test] = generationLines(e.iter, e.trainAcc, e.testAcc)
  process.stdout.write(`${train}\n${test}\n`)
}

function printJson(e: Evaluation): void {
  const line = { iter: e.iter, loss: e.loss, trainAcc: e.trainAcc, testAcc: e.testAcc, elapsedMs: round(e.elapsedMs) }
  process.stdout.write(JSON.stringify(line) + '\n')
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
