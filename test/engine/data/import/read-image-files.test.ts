import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importImageSet } from '../../../../src/engine/data/import'
import { listSourceFiles, useWebpWasmFromDisk } from '../../../../src/engine/hosts/node/read-image-files'
import { engineError, flatPng, imageOf, jpeg, webp } from './image-fixtures'

describe('listSourceFiles (Node)', () => {
  let dir: string
  let outside: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradient-lab-images-'))
    outside = await mkdtemp(join(tmpdir(), 'gradient-lab-outside-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
    await rm(outside, { recursive: true, force: true })
  })

  it('lists files recursively with relative / paths and reads them only when asked', async () => {
    await mkdir(join(dir, 'cat', 'more'), { recursive: true })
    await writeFile(join(dir, 'cat', 'a.png'), new Uint8Array([1, 2, 3]))
    await writeFile(join(dir, 'cat', 'more', 'b.png'), new Uint8Array([4]))
    await writeFile(join(dir, 'top.txt'), 'hi')
    const files = await listSourceFiles(dir)
    expect(files.map((f) => [f.path, f.size])).toEqual([
      ['cat/a.png', 3],
      ['cat/more/b.png', 1],
      ['top.txt', 2]
    ])
    await writeFile(join(dir, 'cat', 'a.png'), new Uint8Array([9, 9]))
    const bytes = await files[0].read()
    expect(Array.from(bytes)).toEqual([9, 9])
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype)
  })

  it('follows links that stay inside the folder and skips links that leave it', async () => {
    await mkdir(join(dir, 'cat'))
    await writeFile(join(dir, 'cat', 'a.png'), 'a')
    await writeFile(join(outside, 'secret.png'), 's')
    await mkdir(join(outside, 'elsewhere'))
    await writeFile(join(outside, 'elsewhere', 'b.png'), 'b')
    await symlink(join(outside, 'secret.png'), join(dir, 'cat', 'secret.png'))
    await symlink(join(outside, 'elsewhere'), join(dir, 'dog'))
    await symlink(join(dir, 'cat'), join(dir, 'kitten'))
    await symlink(dir, join(dir, 'cat', 'loop'))
    const paths = (await listSourceFiles(dir)).map((f) => f.path)
    expect(paths).toEqual(['cat/a.png'])
  })

  it('reports a folder that is missing or is a file', async () => {
    expect((await engineError(() => listSourceFiles(join(dir, 'nope')))).message).toBe(`${join(dir, 'nope')}: folder not found`)
    await writeFile(join(dir, 'f.png'), 'x')
    expect((await engineError(() => listSourceFiles(join(dir, 'f.png')))).code).toBe('DATASET_MISSING_FILE')
  })

  it('imports a folder of PNG, JPEG and WebP files from disk, WebP through the wasm read from node_modules', async () => {
    useWebpWasmFromDisk()
    await mkdir(join(dir, 'dark'))
    await mkdir(join(dir, 'light'))
    for (let i = 0; i < 3; i++) {
      await writeFile(join(dir, 'dark', `${i}.png`), flatPng(8, 8, 10))
      await writeFile(join(dir, 'light', `${i}.webp`), await webp(8, 8, new Array(64).fill([240, 240, 240, 255]).flat()))
    }
    await writeFile(join(dir, 'dark', 'photo.jpeg'), jpeg(8, 8, new Array(64).fill([10, 10, 10, 255]).flat()))
    const { dataset, skipped } = await importImageSet('disk', await listSourceFiles(dir), { testSplit: 0.34 })
    expect(skipped).toEqual([])
    expect(dataset.classes).toEqual(['dark', 'light'])
    expect(dataset.train.count + dataset.test.count).toBe(7)
    const light = Array.from(dataset.train.labels).indexOf(1)
    expect(imageOf(dataset.train, light)).toEqual(new Array(64).fill(240))
  })
})
