import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { KernelThreadHost } from '../../kernels/threads/kernel-pool'

/** Kernel threads in Node (the CLI, tests, Electron's utility process): worker_threads from source text. */
export const nodeKernelThreads: KernelThreadHost = {
  kind: 'node',
  cores: availableParallelism(),
  spawn(source) {
    const worker = new Worker(source, { eval: true })
    // A kernel thread must never keep a finished CLI run's process alive. Adding a listener refs the
    // worker's port again, so it is unref'd after each.
    worker.unref()
    return {
      postMessage: (message) => worker.postMessage(message),
      onMessage: (handler) => {
        worker.on('message', handler)
        worker.unref()
      },
      onError: (handler) => {
        worker.on('error', handler)
        worker.on('exit', (code) => handler(new Error(`exited with code ${code}`)))
        worker.unref()
      },
      terminate: () => void worker.terminate()
    }
  }
}
