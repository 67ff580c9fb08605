import { describe, expect, it } from 'vitest'
import { centreOfMass, inkBounds, MNIST_SIDE, toMnistImage } from '../../../src/renderer/src/lib/draw/mnist-preprocess'

/** A canvas-sized ink image with a filled rectangle (and optionally a second one). */
function canvas(width: number, height: number, rects: Array<[number, number, number, number]>) {
  const ink = new Float64Array(width * height)
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1
  return { width, height, ink }
}

function bounds28(pixels: Float64Array) {
  return inkBounds({ width: MNIST_SIDE, height: MNIST_SIDE, ink: pixels })!
}

describe('a drawn digit made as MNIST was made', () => {
  it('returns null for an empty canvas', () => {
    expect(toMnistImage(canvas(280, 280, []))).toBeNull()
  })

  it('scales a tall stroke in the corner so its longer side is 20 pixels, keeping the aspect ratio', () => {
    const image = toMnistImage(canvas(280, 280, [[10, 20, 50, 180]]))! // 40 × 160 at the top left
    expect(image).toHaveLength(784)
    const b = bounds28(image)
    expect(b.y1 - b.y0).toBe(20)
    expect(b.x1 - b.x0).toBe(5)
  })

  it('centres by mass: the centre of mass lands within half a pixel of (14, 14)', () => {
    // An L shape: its box centre and its mass centre differ, the mass centre is what goes to the middle.
    const image = toMnistImage(
      canvas(300, 300, [
        [200, 40, 230, 260],
        [200, 230, 290, 260]
      ])
    )!
    const com = centreOfMass(image)
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5)
    const b = bounds28(image)
    const boxCentreX = (b.x0 + b.x1) / 2
    expect(boxCentreX).toBeGreaterThan(14) // the mass sits in the stem on the left, so the box's centre lies right of the middle
  })

  it('keeps ink values in [0, 1], with soft (averaged) edges where a stroke covers part of a pixel', () => {
    const image = toMnistImage(
      canvas(280, 280, [
        [100, 40, 115, 240],
        [100, 225, 180, 240]
      ])
    )! // a stem 1.5 target pixels wide
    expect(Math.max(...image)).toBeLessThanOrEqual(1)
    expect(Math.min(...image)).toBeGreaterThanOrEqual(0)
    expect(image.some((v) => v > 0.05 && v < 0.95)).toBe(true)
  })

  it('does not depend on where on the canvas the digit was drawn', () => {
    const left = toMnistImage(canvas(280, 280, [[10, 10, 60, 150]]))!
    const right = toMnistImage(canvas(280, 280, [[200, 120, 250, 260]]))!
    expect(Array.from(left)).toEqual(Array.from(right))
  })
})
