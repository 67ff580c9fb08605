import { describe, expect, it } from 'vitest'
import { importSettings, nameFromPath, parseSize, DEFAULT_IMPORT_FORM } from '@renderer/lib/data/import-form'
import { augmentOptions, augmentValues, NO_AUGMENT } from '@renderer/lib/data/augment-form'
import { folderName, pathInFolder, readFolderFiles } from '@renderer/lib/data/picked-folder'
import { ImportRate } from '@renderer/lib/data/import-rate'
import { sampleRgba } from '@renderer/lib/data/sample-image'
import { pageCount } from '@renderer/lib/data/sample-rows'

describe('import form', () => {
  it('reads sizes as auto, one side or H×W within 8…128', () => {
    expect(parseSize('auto')).toBe('auto')
    expect(parseSize(' ')).toBe('auto')
    expect(parseSize('32')).toEqual({ height: 32, width: 32 })
    expect(parseSize('28×36')).toEqual({ height: 28, width: 36 })
    expect(parseSize('28x36')).toEqual({ height: 28, width: 36 })
    expect(parseSize('7')).toBeNull()
    expect(parseSize('129x8')).toBeNull()
    expect(parseSize('big')).toBeNull()
  })

  it('makes the engine settings, leaving auto choices out', () => {
    const result = importSettings({ ...DEFAULT_IMPORT_FORM, name: '  Leaves ', testPercent: '20', seed: '7' })
    expect(result).toEqual({ ok: true, name: 'Leaves', settings: { testSplit: 0.2, seed: 7, strict: false } })
    const colour = importSettings({ ...DEFAULT_IMPORT_FORM, name: 'L', size: '32x32', colour: 'grey', strict: true })
    expect(colour).toMatchObject({ ok: true, settings: { size: { height: 32, width: 32 }, colour: 'grey', strict: true } })
  })

  it('lets the desktop app leave the name to the chosen folder', () => {
    expect(importSettings({ ...DEFAULT_IMPORT_FORM, name: ' ' }, true)).toMatchObject({ ok: true, name: '' })
    expect(importSettings({ ...DEFAULT_IMPORT_FORM, name: ' ' })).toEqual({ ok: false, problems: ['name'] })
    expect(nameFromPath('/home/ana/Pictures/leaves/')).toBe('leaves')
    expect(nameFromPath('C:\\Users\\ana\\cifar-10-batches-bin')).toBe('cifar-10-batches-bin')
  })

  it('names every wrong field at once', () => {
    expect(importSettings({ ...DEFAULT_IMPORT_FORM, name: '', size: '4', testPercent: '100', seed: '1.5' })).toEqual({
      ok: false,
      problems: ['name', 'size', 'testPercent', 'seed']
    })
  })
})

describe('augmentation form', () => {
  it('is absent from the config when every option is off', () => {
    expect(augmentOptions(NO_AUGMENT)).toBeUndefined()
    expect(augmentOptions({ shift: 2, flip: false, rotate: 0, crop: 4, noise: 0.05 })).toEqual({ shift: 2, crop: 4, noise: 0.05 })
    expect(augmentValues({ flip: true, rotate: 10 })).toEqual({ shift: 0, flip: true, rotate: 10, crop: 0, noise: 0 })
    expect(augmentOptions(augmentValues({ flip: true, rotate: 10 }))).toEqual({ flip: true, rotate: 10 })
  })
})

describe('picked folder', () => {
  const file = (path: string, text = path) => ({
    name: path.split('/').at(-1)!,
    webkitRelativePath: path,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer
  })

  it('drops the picked folder from each path and names the set after it', async () => {
    const files = [file('leaves/oak/1.png'), file('leaves/train/ash/2.png')]
    expect(files.map(pathInFolder)).toEqual(['oak/1.png', 'train/ash/2.png'])
    expect(folderName(files)).toBe('leaves')
    expect(pathInFolder({ name: 'a.png', webkitRelativePath: '', arrayBuffer: files[0].arrayBuffer })).toBe('a.png')
    const read = await readFolderFiles([file('leaves/oak/1.png', 'abc')])
    expect(read[0].path).toBe('oak/1.png')
    expect(Array.from(read[0].bytes)).toEqual([97, 98, 99])
  })
})

describe('import rate', () => {
  it('measures files per second within a phase and restarts with the next', () => {
    let now = 0
    const rate = new ImportRate(() => now)
    expect(rate.update('decoding', 0)).toBeNull()
    now = 500
    expect(rate.update('decoding', 100)).toBe(200)
    now = 1000
    expect(rate.update('decoding', 300)).toBe(300)
    expect(rate.update('converting', 0)).toBeNull()
  })
})

describe('sample images', () => {
  it('draws grey as grey and planes [R, G, B] as colour', () => {
    const grey = sampleRgba({ channels: 1, rows: 1, cols: 2, pixels: Uint8Array.from([9, 8, 7, 200]) }, 1)
    expect(Array.from(grey)).toEqual([7, 7, 7, 255, 200, 200, 200, 255])
    const rgb = sampleRgba({ channels: 3, rows: 1, cols: 2, pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]) }, 0)
    expect(Array.from(rgb)).toEqual([1, 3, 5, 255, 2, 4, 6, 255])
  })

  it('pages until the largest class is shown', () => {
    const row = (total: number) => ({ label: 0, channels: 1, rows: 8, cols: 8, pixels: new Uint8Array(), indices: [], labels: [], total })
    expect(pageCount([row(5), row(25)], 12)).toBe(3)
    expect(pageCount([], 12)).toBe(1)
  })
})
