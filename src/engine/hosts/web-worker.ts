/// <reference lib="webworker" />
/**
 * The engine's browser host: a module Web Worker. It plugs `self` into an engine session and loads the
 * bundled MNIST set, which the web server serves under /data/mnist/.
 */
import './jitless-zod'
import { createEngineSession } from '../session/session'
import { installWasmBackends } from '../kernels/install-wasm-backends'
import type { KernelThreadHost } from '../kernels/threads/kernel-pool'
import { MNIST_FILES, type MnistFileKey } from '../data/mnist'
import type { DatasetFiles } from '../protocol'
import { setWebpWasmLoader } from '../data/import/webp-codec'
import { createIndexedDbLibrary } from './web/indexeddb-library'
// Emitted by Vite beside the worker and served by the app itself (nothing is fetched from elsewhere).
import webpWasmUrl from '@jsquash/webp/codec/dec/webp_dec.wasm?url'

const scope = self as unknown as DedicatedWorkerGlobalScope

/**
 * Kernel threads in the browser: classic Workers started from the thread's source text (a Blob URL, which
 * the CSP's worker-src allows). They share the kernels' memory, so only a cross-origin-isolated page
 * (the web host sends COOP/COEP) gets them; elsewhere the engine computes on this thread alone.
 */
const browserKernelThreads: KernelThreadHost = {
  kind: 'browser',
  cores: Math.max(1, scope.navigator.hardwareConcurrency || 1),
  spawn(source) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
    const worker = new Worker(url, { name: 'gradient-lab-kernels' })
    return {
      postMessage: (message) => worker.postMessage(message),
      onMessage: (handler) =>
        worker.addEventListener('message', (event) => {
          URL.revokeObjectURL(url) // the thread has started: its source is no longer needed
          handler(event.data)
        }),
      onError: (handler) => worker.addEventListener('error', (event) => handler(new Error(event.message || 'the kernel thread failed'))),
      terminate: () => worker.terminate()
    }
  }
}

// The WebP decoder of imported folders gets its WebAssembly from the app's own URL (the CSP allows compiling it).
setWebpWasmLoader(async () => {
  const response = await fetch(new URL(webpWasmUrl, scope.location.href))
  if (!response.ok) throw new Error(`could not fetch the WebP decoder: HTTP ${response.status}`)
  return WebAssembly.compile(await response.arrayBuffer())
})

installWasmBackends()
const session = createEngineSession({
  ...(scope.crossOriginIsolated ? { threads: browserKernelThreads } : {}),
  // Imported sets live in this browser's IndexedDB for the app's origin.
  library: createIndexedDbLibrary(scope.indexedDB)
})

session.attach({
  postMessage: (message) => scope.postMessage(message),
  onMessage: (handler) => scope.addEventListener('message', (event) => handler(event.data))
})

async function fetchBundledMnist(): Promise<DatasetFiles> {
  const entries = await Promise.all(
    (Object.keys(MNIST_FILES) as MnistFileKey[]).map(async (key) => {
      const url = new URL(`/data/mnist/${MNIST_FILES[key]}.gz`, scope.location.origin)
      const response = await fetch(url)
      if (!response.ok) throw new Error(`could not fetch the bundled ${MNIST_FILES[key]}.gz: HTTP ${response.status}`)
      return [key, new Uint8Array(await response.arrayBuffer())] as const
    })
  )
  return Object.fromEntries(entries) as DatasetFiles
}

fetchBundledMnist().then(
  (files) => session.loadDataset('MNIST (bundled, 8,000 / 2,000)', files),
  (error: unknown) => session.reportError('DATASET_MISSING_FILE', error instanceof Error ? error.message : String(error))
)
