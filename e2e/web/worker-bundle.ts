/**
 * Engine code run in a real Chromium Web Worker, for the specs that hold it against Node bit for bit:
 * `entry` (TypeScript importing from the project root) is bundled for the browser, and each request runs
 * in a fresh worker made from the bundle.
 */
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { build } from 'esbuild'

export async function workerBundle(entry: string): Promise<string> {
  const bundle = await build({
    stdin: { contents: entry, resolveDir: resolve(__dirname, '../..'), loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false
  })
  return bundle.outputFiles[0].text
}

/** Posts `request` to a new worker of `code` on `page` and resolves with the first message it sends back. */
export function runInWorker<T>(page: Page, code: string, request: unknown): Promise<T> {
  return page.evaluate(
    ({ code, request }) =>
      new Promise<T>((resolveAnswer, reject) => {
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })))
        worker.onmessage = (event) => resolveAnswer(event.data as T)
        worker.onerror = (event) => reject(new Error(event.message))
        worker.postMessage(request)
      }),
    { code, request }
  ) as Promise<T>
}
