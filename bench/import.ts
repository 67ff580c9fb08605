/**
 * `npm run bench:import`: how fast an image folder imports. Writes 10,000 random 32×32 RGB PNGs in 10
 * class folders to a temporary folder (fast-png), then lists and imports them as the CLI would, and prints
 * the images per second (issue 19 asks for at least 2,000 here) and the process's peak resident memory.
 * `-- --count N` changes the number of images.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode } from 'fast-png'
import { Random } from '../src/engine/core/random'
import { importImageSet } from '../src/engine/data/import'
import { listSourceFiles } from '../src/engine/hosts/node/read-image-files'

const CLASSES = 10
const SIDE = 32

async function writeImages(dir: string, count: number): Promise<void> {
  const random = new Random(7)
  for (let c = 0; c < CLASSES; c++) await mkdir(join(dir, `class-${c}`))
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(SIDE * SIDE * 3)
    for (let p = 0; p < data.length; p++) data[p] = random.nextUint32() & 255
    await writeFile(join(dir, `class-${i % CLASSES}`, `${i}.png`), encode({ width: SIDE, height: SIDE, data, channels: 3, depth: 8 }))
  }
}

async function main(): Promise<void> {
  const countAt = process.argv.indexOf('--count')
  const count = countAt > 0 ? Number(process.argv[countAt + 1]) : 10_000
  const dir = await mkdtemp(join(tmpdir(), 'gradient-lab-bench-import-'))
  try {
    await writeImages(dir, count)
    const rssBefore = process.resourceUsage().maxRSS
    const started = performance.now()
    const files = await listSourceFiles(dir)
    const listed = performance.now()
    const { dataset, skipped } = await importImageSet('bench', files)
    const seconds = (performance.now() - started) / 1000
    const imported = dataset.train.count + dataset.test.count
    const mib = (kib: number): number => Math.round(kib / 1024)
    console.log(
      `${imported} images (${dataset.train.count} train, ${dataset.test.count} test, ${skipped.length} skipped), ${dataset.train.channels}×${dataset.train.rows}×${dataset.train.cols}`
    )
    console.log(`listing ${Math.round(listed - started)} ms, import ${Math.round(performance.now() - listed)} ms, total ${seconds.toFixed(2)} s`)
    console.log(`${Math.round(imported / seconds)} images/s`)
    console.log(`peak RSS ${mib(process.resourceUsage().maxRSS)} MiB (${mib(rssBefore)} MiB before the import)`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

void main()
