/**
 * The code a kernel thread runs, as source text: Node starts it with `new Worker(source, { eval: true })`
 * and a browser from a Blob URL, so no host needs a separately bundled worker file. The thread
 * instantiates the kernel module on the engine's shared memory, says it is ready, then blocks on its
 * control slot (kernel-pool.ts): each new sequence number is one call of an exported kernel on a range
 * of output rows; it writes the sequence number back as "done" (or its negative on a failure).
 *
 * `workerLoop` must stay self-contained (no imports, no outer names): it is sent as its own text.
 */

/** What the pool posts to a new thread. */
export interface KernelWorkerInit {
  module: unknown
  memory: unknown
  control: SharedArrayBuffer
  slot: number
  functions: readonly string[]
}

/** Int32 fields of one thread's control slot. */
export const SLOT_INTS = 16
export const SEQ = 0
export const DONE = 1
export const FN = 2
export const ARGS = 3
export const MAX_ARGS = 12
export const COUNT = ARGS + MAX_ARGS

function workerLoop(receive: (handler: (init: KernelWorkerInit) => void) => void, reply: (message: unknown) => void): void {
  receive((init) => {
    const wasm = (globalThis as unknown as { WebAssembly: { Instance: new (m: unknown, i: unknown) => { exports: Record<string, unknown> } } }).WebAssembly
    const instance = new wasm.Instance(init.module, { env: { memory: init.memory } })
    const kernels = init.functions.map((name) => instance.exports[name] as (...args: number[]) => void)
    const control = new Int32Array(init.control)
    const base = init.slot * 16
    reply({ ready: true })
    let seen = 0
    for (;;) {
      // Spin a little before sleeping (20,000 loads, ~150 µs here): a layer calls the kernels many times in
      // a row, and a wake-up from Atomics.wait costs about as much as a small part's work.
      for (let spin = 0; spin < 20000 && Atomics.load(control, base) === seen; spin++);
      // A wake-up is not a job: only a new sequence number is. The pool notifies after storing it, so a
      // caller descheduled between the two can wake this thread after it already ran that job and went
      // back to sleep; running "the job" again then races the caller's next steps (it did, under load).
      let next = Atomics.load(control, base)
      while (next === seen) {
        Atomics.wait(control, base, seen)
        next = Atomics.load(control, base)
      }
      seen = next
      if (seen < 0) return // the pool is closing
      const count = control[base + 15]
      const args: number[] = []
      for (let i = 0; i < count; i++) args.push(control[base + 3 + i])
      let outcome = seen
      try {
        kernels[control[base + 2]](...args)
      } catch {
        outcome = -seen
      }
      Atomics.store(control, base + 1, outcome)
      Atomics.notify(control, base + 1)
    }
  })
}

const NODE_PRELUDE =
  "const { parentPort } = require('node:worker_threads');" +
  "const receive = (handler) => parentPort.once('message', handler);" +
  'const reply = (message) => parentPort.postMessage(message);'

const BROWSER_PRELUDE =
  'const receive = (handler) => { self.onmessage = (event) => { self.onmessage = null; handler(event.data) } };' +
  'const reply = (message) => self.postMessage(message);'

/** The thread's whole program for a host: 'node' (worker_threads, eval) or 'browser' (a classic Web Worker). */
export function kernelWorkerSource(host: 'node' | 'browser'): string {
  return `${host === 'node' ? NODE_PRELUDE : BROWSER_PRELUDE}\n(${workerLoop.toString()})(receive, reply)\n`
}
