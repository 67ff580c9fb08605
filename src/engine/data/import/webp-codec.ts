import decodeWebpFile, { init } from '@jsquash/webp/decode'
import type { InterleavedPixels } from './pixels'

/*
 * WebP through @jsquash/webp, libwebp compiled to WebAssembly. Where its .wasm file lives depends on the
 * host: Node reads it from disk (hosts/node/read-image-files.ts), a bundled worker fetches the URL its
 * bundler emitted. So the host may hand over the compiled module; without one, the package's own
 * loader (the wasm file beside its script) is used. This module itself touches no file system.
 */

/** Gives the codec its compiled WebAssembly module. */
export type WebpWasmLoader = () => Promise<WebAssembly.Module>

let loader: WebpWasmLoader | undefined
let ready: Promise<void> | undefined

/** Sets how the WebP codec gets its WebAssembly; call before the first WebP file is decoded. */
export function setWebpWasmLoader(load: WebpWasmLoader): void {
  loader = load
  ready = undefined
}

// The package's typings omit init's first form, init(module), which its code and README document.
const initWithModule = init as unknown as (module: WebAssembly.Module) => Promise<void>

async function ensureReady(): Promise<void> {
  ready ??= (async () => (loader ? initWithModule(await loader()) : init()))()
  try {
    await ready
  } catch (err) {
    ready = undefined // let a later file try again, e.g. after the host set a loader
    throw new Error(`the WebP decoder could not start (${err instanceof Error ? err.message : String(err)})`)
  }
}

export async function decodeWebp(bytes: Uint8Array): Promise<InterleavedPixels> {
  await ensureReady()
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer
  const image = await decodeWebpFile(owned as ArrayBuffer)
  return { width: image.width, height: image.height, channels: 4, data: image.data }
}
