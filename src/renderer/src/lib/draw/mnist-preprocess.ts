/**
 * A drawn digit made into what an MNIST model expects, the way MNIST itself was made: the ink's bounding
 * box scaled (keeping its aspect ratio, averaging the pixels it covers, so edges stay soft) to fit a
 * 20×20 box, then placed in a 28×28 image so that its centre of mass sits at the centre. Pure: an array
 * of ink values in [0, 1] in, 784 values in [0, 1] out.
 */
export const MNIST_SIDE = 28
export const DIGIT_BOX = 20
/** Ink fainter than this does not count for the bounding box (antialiasing fringes). */
const INK_THRESHOLD = 0.05

export interface InkImage {
  width: number
  height: number
  /** width·height values in [0, 1], row-major; 1 = full ink */
  ink: ArrayLike<number>
}

/**
 * Where the drawing went in the 28×28 image: output pixel (X, Y) shows the drawing's square of side 1/scale
 * at (x0 + (X − dx)/scale, y0 + (Y − dy)/scale). A map over the 28×28 image can be drawn back on the strokes.
 */
export interface MnistPlacement {
  x0: number
  y0: number
  scale: number
  dx: number
  dy: number
}

/** The 28×28 image (784 values), or null when nothing is drawn. */
export function toMnistImage(image: InkImage): Float64Array | null {
  return toMnistImageWithPlacement(image)?.pixels ?? null
}

/** The 28×28 image and where the drawing went in it, or null when nothing is drawn. */
export function toMnistImageWithPlacement(image: InkImage): { pixels: Float64Array; placement: MnistPlacement } | null {
  const box = inkBounds(image)
  if (!box) return null
  const scale = DIGIT_BOX / Math.max(box.x1 - box.x0, box.y1 - box.y0)
  const { pixels, dx, dy } = centreByMass(scaleToFit(image, box))
  return { pixels, placement: { x0: box.x0, y0: box.y0, scale, dx, dy } }
}

/** The drawing's square (x, y, side, in drawing pixels) that 28×28 pixel (X, Y) shows. */
export function drawingSquareOf(placement: MnistPlacement, X: number, Y: number): { x: number; y: number; side: number } {
  return { x: placement.x0 + (X - placement.dx) / placement.scale, y: placement.y0 + (Y - placement.dy) / placement.scale, side: 1 / placement.scale }
}

export function inkBounds({ width, height, ink }: InkImage): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK_THRESHOLD) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 }
}

/** The box's content, scaled so its longer side is DIGIT_BOX pixels: each target pixel averages the area it covers. */
function scaleToFit(image: InkImage, box: { x0: number; y0: number; x1: number; y1: number }): InkImage {
  const boxW = box.x1 - box.x0
  const boxH = box.y1 - box.y0
  const scale = DIGIT_BOX / Math.max(boxW, boxH)
  const width = Math.max(1, Math.round(boxW * scale))
  const height = Math.max(1, Math.round(boxH * scale))
  const out = new Float64Array(width * height)
  for (let ty = 0; ty < height; ty++) {
    for (let tx = 0; tx < width; tx++) {
      // The source area of this target pixel, in source pixels.
      const sx0 = box.x0 + tx / scale
      const sx1 = box.x0 + (tx + 1) / scale
      const sy0 = box.y0 + ty / scale
      const sy1 = box.y0 + (ty + 1) / scale
      let sum = 0
      let area = 0
      for (let y = Math.floor(sy0); y < Math.ceil(sy1); y++) {
        const cy = Math.min(y + 1, sy1) - Math.max(y, sy0)
        if (cy <= 0 || y < 0 || y >= image.height) continue
        for (let x = Math.floor(sx0); x < Math.ceil(sx1); x++) {
          const cx = Math.min(x + 1, sx1) - Math.max(x, sx0)
          if (cx <= 0 || x < 0 || x >= image.width) continue
          sum += image.ink[y * image.width + x] * cx * cy
          area += cx * cy
        }
      }
      out[ty * width + tx] = area > 0 ? Math.min(1, sum / area) : 0
    }
  }
  return { width, height, ink: out }
}

/** Places the image in 28×28 with its centre of mass at (14, 14), shifted by whole pixels; ink pushed past the edge is cut. */
function centreByMass(image: InkImage): { pixels: Float64Array; dx: number; dy: number } {
  let mass = 0
  let mx = 0
  let my = 0
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.ink[y * image.width + x]
      mass += v
      mx += v * (x + 0.5)
      my += v * (y + 0.5)
    }
  }
  const out = new Float64Array(MNIST_SIDE * MNIST_SIDE)
  if (mass === 0) return { pixels: out, dx: 0, dy: 0 }
  const dx = Math.round(MNIST_SIDE / 2 - mx / mass)
  const dy = Math.round(MNIST_SIDE / 2 - my / mass)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const X = x + dx
      const Y = y + dy
      if (X >= 0 && X < MNIST_SIDE && Y >= 0 && Y < MNIST_SIDE) out[Y * MNIST_SIDE + X] = image.ink[y * image.width + x]
    }
  }
  return { pixels: out, dx, dy }
}

/** Centre of mass (x, y) of a 28×28 image, in pixel coordinates (a pixel's centre is at +0.5). */
export function centreOfMass(pixels: ArrayLike<number>): { x: number; y: number } {
  let mass = 0
  let mx = 0
  let my = 0
  for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) {
    const v = pixels[i]
    mass += v
    mx += v * ((i % MNIST_SIDE) + 0.5)
    my += v * (Math.floor(i / MNIST_SIDE) + 0.5)
  }
  return { x: mx / mass, y: my / mass }
}
