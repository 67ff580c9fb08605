/**
 * Where the engine finds the bundled MNIST, checked against real folders: a source checkout and the layout
 * electron-builder makes from electron-builder.yml (extraResources resources/mnist → <resources>/mnist,
 * the app inside <resources>/app.asar). The files are the real bundled ones, and the engine decodes them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundledDataDirCandidates, resolveBundledDataDir } from '../../../src/engine/hosts/node/bundled-data-dir'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { decodeMnist } from '../../../src/engine/data/mnist'

const repoMnist = resolve(__dirname, '../../../resources/mnist')
const work = mkdtempSync(join(tmpdir(), 'lab-layouts-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function copyMnistTo(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const file of readdirSync(repoMnist)) copyFileSync(join(repoMnist, file), join(dir, file))
}

async function decodes(dir: string): Promise<number> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(dir))
  return dataset.train.count + dataset.test.count
}

describe('the bundled MNIST in both install layouts', () => {
  it('a source checkout: <project>/resources/mnist', async () => {
    const project = join(work, 'checkout')
    copyMnistTo(join(project, 'resources', 'mnist'))
    const dir = resolveBundledDataDir({ isPackaged: false, appPath: project, resourcesPath: '/usr/lib/electron/resources' })
    expect(dir).toBe(join(project, 'resources', 'mnist'))
    expect(await decodes(dir)).toBe(10_000)
  })

  it('a packaged app: <resources>/mnist next to app.asar, as electron-builder.yml places it', async () => {
    const resources = join(work, 'linux-unpacked', 'resources')
    mkdirSync(resources, { recursive: true })
    writeFileSync(join(resources, 'app.asar'), 'stand-in archive')
    copyMnistTo(join(resources, 'mnist'))
    const dir = resolveBundledDataDir({ isPackaged: true, appPath: join(resources, 'app.asar'), resourcesPath: resources })
    expect(dir).toBe(join(resources, 'mnist'))
    expect(await decodes(dir)).toBe(10_000)
  })

  it('the packager config puts the files where the packaged lookup looks first', () => {
    const config = readFileSync(resolve(__dirname, '../../../electron-builder.yml'), 'utf8')
    expect(config).toMatch(/extraResources:\s*\n\s*- from: resources\/mnist\s*\n\s*to: mnist/)
    expect(bundledDataDirCandidates({ isPackaged: true, appPath: '/r/app.asar', resourcesPath: '/r' })[0]).toBe(join('/r', 'mnist'))
  })

  it('names the first candidate when no layout has the files, so the error says where it looked', () => {
    const empty = join(work, 'empty-resources')
    mkdirSync(empty, { recursive: true })
    expect(resolveBundledDataDir({ isPackaged: true, appPath: join(empty, 'app.asar'), resourcesPath: empty })).toBe(join(empty, 'mnist'))
  })
})
