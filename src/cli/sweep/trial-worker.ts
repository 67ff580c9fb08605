/**
 * A `lab sweep` worker process: one in-process engine session (the same as `lab train`'s) that runs the
 * trials its parent sends, one at a time, and reports their evaluations and ends. It exits when the
 * parent goes away (the IPC channel closes), so a killed sweep leaves no workers behind.
 */
import { EngineConnection } from '../engine-connection'
import { writeFileAtomically } from '../model-files'
import { runOnEngine } from '../run-on-engine'
import { EngineError } from '../../engine/protocol/error-codes'
import { installWasmBackends } from '../../engine/kernels/install-wasm-backends'
import { FromWorkerSchema, ToWorkerSchema, type FromWorker, type ToWorker } from './worker-messages'

installWasmBackends()
let engine: EngineConnection | null = null
/** The trial running now; runs are one at a time. */
let running: number | null = null

const send = (message: FromWorker): void => {
  process.send?.(FromWorkerSchema.parse(message))
}

const runIdOf = (trial: number): string => `sweep-trial-${trial}`

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'open') {
    const opened = await EngineConnection.open(message.data, message.threads)
    engine = opened.engine
    const { channels, rows, cols } = opened.dataset.train
    send({ type: 'ready', imageShape: [channels, rows, cols], classCount: opened.dataset.classes.length })
  } else if (message.type === 'stop') {
    if (engine && running === message.trial) engine.send({ type: 'stopRun', runId: runIdOf(message.trial) })
  } else {
    if (!engine) throw new EngineError('INTERNAL', 'a trial was sent before the engine was opened')
    const { trial, config, presetId, saveTo } = message
    running = trial
    const finished = await runOnEngine(
      engine,
      { runId: runIdOf(trial), presetId, config },
      { onEvaluation: ({ layers: _layers, ...evaluation }) => send({ type: 'evaluation', trial, evaluation }) }
    ).finally(() => (running = null))
    let saveProblem: string | undefined
    if (saveTo && (finished.status === 'completed' || finished.status === 'early-stopped')) {
      try {
        const saved = await engine.until('modelSaved', { type: 'saveModel', requestId: `sweep-save-${trial}`, checkpoint: true })
        await writeFileAtomically(saveTo, saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes))
      } catch (error) {
        saveProblem = (error as Error).message
      }
    }
    const { status, iter, elapsedMs, last, message: why } = finished
    send({ type: 'finished', trial, status, iter, elapsedMs, last, ...(why ? { message: why } : {}), ...(saveProblem ? { saveProblem } : {}) })
  }
}

process.on('disconnect', () => process.exit(0))
// Ctrl-C reaches the whole process group: the parent stops the trials and lets the workers go.
process.on('SIGINT', () => undefined)
process.on('message', (raw) => {
  const parsed = ToWorkerSchema.safeParse(raw)
  if (!parsed.success) return send({ type: 'error', code: 'INVALID_MESSAGE', message: `worker: ${parsed.error.issues[0]?.message ?? 'bad message'}` })
  const trial = parsed.data.type === 'open' ? undefined : parsed.data.trial
  handle(parsed.data).catch((error: unknown) => {
    const code = error instanceof EngineError ? error.code : 'INTERNAL'
    send({ type: 'error', ...(trial === undefined ? {} : { trial }), code, message: (error as Error)?.message ?? String(error) })
  })
})
