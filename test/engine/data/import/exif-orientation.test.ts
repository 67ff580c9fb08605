import { describe, expect, it } from 'vitest'
import { applyOrientation, jpegOrientation } from '../../../../src/engine/data/import/exif-orientation'
import { importImageSet } from '../../../../src/engine/data/import'
import { readImageHeader } from '../../../../src/engine/data/import/image-header'
import { jpeg, memoryFiles } from './image-fixtures'

/** An APP1 segment holding EXIF with one IFD0 entry, Orientation = `value`, in the byte order asked. */
function exifSegment(value: number, little: boolean): Uint8Array {
  const tiff = new DataView(new ArrayBuffer(26))
  tiff.setUint8(0, little ? 0x49 : 0x4d)
  tiff.setUint8(1, little ? 0x49 : 0x4d)
  tiff.setUint16(2, 42, little)
  tiff.setUint32(4, 8, little) // IFD0 right after the header
  tiff.setUint16(8, 1, little) // one entry
  tiff.setUint16(10, 0x0112, little) // Orientation
  tiff.setUint16(12, 3, little) // SHORT
  tiff.setUint32(14, 1, little)
  tiff.setUint16(18, value, little)
  tiff.setUint32(22, 0, little) // no next IFD
  const payload = new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0, ...new Uint8Array(tiff.buffer)])
  const length = payload.length + 2
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload])
}

const withExif = (file: Uint8Array, orientation: number, little = false): Uint8Array =>
  new Uint8Array([...file.subarray(0, 2), ...exifSegment(orientation, little), ...file.subarray(2)])

/** A 32 wide × 16 high photo: its left half red, its right half blue (big blocks survive JPEG's loss). */
function redLeftBlueRight(): Uint8Array {
  const rgba = new Uint8Array(32 * 16 * 4)
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 32; x++) rgba.set(x < 16 ? [230, 20, 20, 255] : [20, 20, 230, 255], (y * 32 + x) * 4)
  }
  return jpeg(32, 16, rgba)
}

describe('EXIF orientation', () => {
  it('reads the tag in either byte order, and 1 where there is none', () => {
    const plain = redLeftBlueRight()
    expect(jpegOrientation(plain)).toBe(1)
    for (const value of [1, 3, 6, 8]) {
      expect(jpegOrientation(withExif(plain, value))).toBe(value)
      expect(jpegOrientation(withExif(plain, value, true))).toBe(value)
    }
    expect(jpegOrientation(withExif(plain, 9))).toBe(1) // not an orientation
  })

  it('turns each of the eight orientations as a viewer does (a 3 × 2 image of numbered pixels)', () => {
    // Stored:  1 2 3
    //          4 5 6
    const image = { width: 3, height: 2, channels: 1 as const, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) }
    const shown = (orientation: number) => {
      const out = applyOrientation(image, orientation)
      return { size: [out.width, out.height], pixels: Array.from(out.data) }
    }
    expect(shown(1)).toEqual({ size: [3, 2], pixels: [1, 2, 3, 4, 5, 6] })
    expect(shown(2)).toEqual({ size: [3, 2], pixels: [3, 2, 1, 6, 5, 4] })
    expect(shown(3)).toEqual({ size: [3, 2], pixels: [6, 5, 4, 3, 2, 1] })
    expect(shown(4)).toEqual({ size: [3, 2], pixels: [4, 5, 6, 1, 2, 3] })
    expect(shown(5)).toEqual({ size: [2, 3], pixels: [1, 4, 2, 5, 3, 6] })
    expect(shown(6)).toEqual({ size: [2, 3], pixels: [4, 1, 5, 2, 6, 3] })
    expect(shown(7)).toEqual({ size: [2, 3], pixels: [6, 3, 5, 2, 4, 1] })
    expect(shown(8)).toEqual({ size: [2, 3], pixels: [3, 6, 2, 5, 1, 4] })
  })

  it('imports a portrait photo upright: its header size is turned and its pixels too', async () => {
    const portrait = withExif(redLeftBlueRight(), 6) // stored 32 × 16, shown turned clockwise: 16 wide, 32 high
    expect(readImageHeader(portrait)).toMatchObject({ format: 'jpeg', width: 16, height: 32 })
    const files = memoryFiles({ 'a/0.jpg': portrait, 'a/1.jpg': portrait, 'b/0.jpg': redLeftBlueRight(), 'b/1.jpg': redLeftBlueRight() })
    const { dataset } = await importImageSet('photos', files, { size: { height: 32, width: 16 }, testSplit: 0.5 })
    const split = dataset.train.labels[0] === 0 ? dataset.train : dataset.test
    const index = Array.from(split.labels).indexOf(0)
    const plane = (c: number) => split.images.subarray((index * 3 + c) * 32 * 16, (index * 3 + c + 1) * 32 * 16)
    // Turned clockwise, the red left half is on top and the blue right half below.
    expect(plane(0)[2 * 16 + 8]).toBeGreaterThan(180)
    expect(plane(2)[2 * 16 + 8]).toBeLessThan(70)
    expect(plane(2)[29 * 16 + 8]).toBeGreaterThan(180)
    expect(plane(0)[29 * 16 + 8]).toBeLessThan(70)
  })
})
