/*
 * A map of the 28×28 image the model saw, painted back on the drawing it came from: each map cell covers
 * the drawing's square that became that pixel (lib/draw/mnist-preprocess.ts), in the map's colour, with
 * the overlay's opacity rule (0 shows nothing, the strongest value MAX_OPACITY).
 */
import { drawingSquareOf, MNIST_SIDE, type MnistPlacement } from '@renderer/lib/draw/mnist-preprocess'
import { colourAt, scalePosition, stopsOf, strengthAt, type MapRange } from './colour-scale'
import { MAX_OPACITY } from './overlay'
import type { MapKind } from './methods'

export interface DrawingCell {
  x: number
  y: number
  side: number
  /** CSS colour with its opacity, for a canvas fillStyle. */
  fill: string
}

/** The painted squares of a 28×28 map on the drawing; cells where the map is 0 are left out. */
export function drawingOverlayCells(map: ArrayLike<number>, kind: MapKind, range: MapRange, placement: MnistPlacement): DrawingCell[] {
  if (map.length !== MNIST_SIDE * MNIST_SIDE) throw new Error(`a drawing's map has ${MNIST_SIDE * MNIST_SIDE} values, got ${map.length}`)
  const stops = stopsOf(kind)
  const cells: DrawingCell[] = []
  for (let Y = 0; Y < MNIST_SIDE; Y++) {
    for (let X = 0; X < MNIST_SIDE; X++) {
      const t = scalePosition(map[Y * MNIST_SIDE + X], range)
      const alpha = MAX_OPACITY * strengthAt(t, kind)
      if (alpha <= 0) continue
      const [r, g, b] = colourAt(stops, t)
      cells.push({ ...drawingSquareOf(placement, X, Y), fill: `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})` })
    }
  }
  return cells
}
