import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Split } from '../src/engine/data/image-set'

/** Writes a full-size (60,000 / 10,000) MNIST-format set by repeating the bundled images, for memory figures. */
export function writeFullSizeSet(dir: string, train: Split, test: Split): void {
  mkdirSync(dir, { recursive: true })
  const repeat = (split: Split, count: number) => {
    const pixels = split.rows * split.cols
    const images = new Uint8Array(count * pixels)
    const labels = new Uint8Array(count)
    for (let i = 0; i < count; i++) {
      images.set(split.images.subarray((i % split.count) * pixels, ((i % split.count) + 1) * pixels), i * pixels)
      labels[i] = split.labels[i % split.count]
    }
    return { images, labels }
  }
  const header = (magic: number, dims: number[]) => {
    const view = new DataView(new ArrayBuffer(4 + 4 * dims.length))
    view.setUint32(0, magic)
    dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
    return new Uint8Array(view.buffer)
  }
  const write = (name: string, head: Uint8Array, body: Uint8Array) =>
    writeFileSync(join(dir, `${name}.gz`), gzipSync(Buffer.concat([head, body]), { level: 1 }))
  for (const [prefix, split, count] of [
    ['train', train, 60_000],
    ['t10k', test, 10_000]
  ] as const) {
    const { images, labels } = repeat(split, count)
    write(`${prefix}-images-idx3-ubyte`, header(0x803, [count, 28, 28]), images)
    write(`${prefix}-labels-idx1-ubyte`, header(0x801, [count]), labels)
  }
}
