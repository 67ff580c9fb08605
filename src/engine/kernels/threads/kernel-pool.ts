/**
 * Threads for the matrix kernels. The engine's thread (the caller) and N kernel threads share one
 * WebAssembly memory; a product's output rows are split into N + 1 contiguous parts and each thread runs
 * the same exported kernel on its part. Every output element is computed whole by one thread, in the
 * kernel's fixed order, so a result is bit-identical whatever the thread count, and a thread that is not
 * ready yet (they start asynchronously) only changes who computes a part.
 *
 * The caller blocks in `Atomics.wait` until its helpers are done: allowed in Node (CLI, Electron's
 * utility process) and in a Web Worker (the browser host), which are the only places the engine runs.
 */
import { ARGS, COUNT, DONE, FN, MAX_ARGS, SEQ, SLOT_INTS, kernelWorkerSource, type KernelWorkerInit } from './kernel-worker'

/** A started thread, whatever the host: Node's worker_threads.Worker or a browser Worker, adapted. */
export interface KernelThread {
  postMessage(message: unknown): void
  onMessage(handler: (message: unknown) => void): void
  onError(handler: (error: unknown) => void): void
  terminate(): void
}

/** How a host starts a thread from source text (hosts/node/kernel-threads.ts, hosts/web-worker.ts). */
export interface KernelThreadHost {
  kind: 'node' | 'browser'
  spawn(source: string): KernelThread
  /** Cores this machine reports (navigator.hardwareConcurrency, os.availableParallelism). */
  cores: number
}

const HELPER_TIMEOUT_MS = 60_000
/** Loads of a helper's "done" before the caller sleeps on it (~150 µs here). */
const DONE_SPINS = 20_000

interface Helper {
  thread: KernelThread
  slot: number
  ready: boolean
  seq: number
}

export class KernelPool {
  private readonly control: Int32Array
  private readonly helpers: Helper[] = []
  private failure: string | null = null

  /**
   * Starts `threads − 1` helper threads on `module` (compiled against an imported shared memory) with
   * `memory`; `functions` are the exports a part may call, by index.
   */
  constructor(
    host: KernelThreadHost,
    module: unknown,
    memory: unknown,
    private readonly functions: readonly string[],
    readonly threads: number
  ) {
    const helperCount = Math.max(0, threads - 1)
    this.control = new Int32Array(new SharedArrayBuffer(Math.max(1, helperCount) * SLOT_INTS * 4))
    const source = kernelWorkerSource(host.kind)
    for (let slot = 0; slot < helperCount; slot++) {
      const helper: Helper = { thread: host.spawn(source), slot, ready: false, seq: 0 }
      helper.thread.onMessage((message) => {
        if ((message as { ready?: boolean }).ready) helper.ready = true
      })
      helper.thread.onError((error) => this.lose(helper, error))
      const init: KernelWorkerInit = { module, memory, control: this.control.buffer as SharedArrayBuffer, slot, functions }
      helper.thread.postMessage(init)
      this.helpers.push(helper)
    }
  }

  /** Threads that take parts now: the caller and every ready helper. */
  get activeThreads(): number {
    return 1 + this.helpers.filter((h) => h.ready).length
  }

  /** Why a helper stopped, if one did (it is dropped; the work goes on without it). */
  get problem(): string | null {
    return this.failure
  }

  /**
   * Runs kernel `fn`(…args, start, end) over rows [0, rows), split at multiples of `align`; `local` runs
   * the caller's part (the same kernel on this thread's instance). Parts under `minRows` are not split.
   */
  run(fn: number, args: readonly number[], rows: number, align: number, minRows: number, local: (start: number, end: number) => void): void {
    if (args.length + 2 > MAX_ARGS) throw new RangeError(`kernel pool: at most ${MAX_ARGS - 2} arguments besides the range`)
    const wanted = Math.floor(rows / Math.max(minRows, 1))
    if (wanted < 2) return local(0, rows)
    const ready = this.helpers.filter((h) => h.ready)
    const parts = Math.max(1, Math.min(ready.length + 1, wanted))
    if (parts === 1) return local(0, rows)
    const step = Math.ceil(rows / parts / align) * align
    const started: Helper[] = []
    for (let p = 1; p < parts; p++) {
      const start = Math.min(rows, p * step)
      const end = Math.min(rows, start + step)
      if (start >= end) break
      const helper = ready[p - 1]
      const base = helper.slot * SLOT_INTS
      this.control[base + FN] = fn
      args.forEach((value, i) => (this.control[base + ARGS + i] = value))
      this.control[base + ARGS + args.length] = start
      this.control[base + ARGS + args.length + 1] = end
      this.control[base + COUNT] = args.length + 2
      helper.seq++
      Atomics.store(this.control, base + SEQ, helper.seq)
      Atomics.notify(this.control, base + SEQ)
      started.push(helper)
    }
    local(0, Math.min(rows, step))
    for (const helper of started) {
      const at = helper.slot * SLOT_INTS + DONE
      let spins = 0
      for (;;) {
        const done = Atomics.load(this.control, at)
        if (done === helper.seq) break
        if (done === -helper.seq) throw new Error(`kernel thread ${helper.slot + 1} failed in ${this.functions[fn]}`)
        // Parts end close together: spin a little before sleeping (as the helpers do, kernel-worker.ts).
        if (spins++ < DONE_SPINS) continue
        // A thread that died cannot say so while this one blocks (its error event waits for our event
        // loop), so the wait is bounded: no part of any product takes a minute.
        if (Atomics.wait(this.control, at, done, HELPER_TIMEOUT_MS) === 'timed-out') {
          this.lose(helper, new Error(`no answer in ${HELPER_TIMEOUT_MS / 1000} s`))
          this.helpers.splice(this.helpers.indexOf(helper), 1)
          throw new Error(`kernel thread ${helper.slot + 1} did not finish ${this.functions[fn]}`)
        }
      }
    }
  }

  close(): void {
    for (const helper of this.helpers) {
      Atomics.store(this.control, helper.slot * SLOT_INTS + SEQ, -1)
      Atomics.notify(this.control, helper.slot * SLOT_INTS + SEQ)
      helper.thread.terminate()
    }
    this.helpers.length = 0
  }

  private lose(helper: Helper, error: unknown): void {
    helper.ready = false
    this.failure = `kernel thread ${helper.slot + 1} stopped: ${error instanceof Error ? error.message : String(error)}`
  }
}
