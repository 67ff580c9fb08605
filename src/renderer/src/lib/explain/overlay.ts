/*
 * A map laid over the image it explains. The image is faded halfway to white (a quiet backdrop on which
 * both the blue and the red of a signed map show), then each pixel takes its map colour with an opacity
 * that grows with the value's distance from 0: where the map says nothing, the image shows through.
 */
import { planesToRgba, asByte, type PlaneImage } from '@renderer/lib/colour-image'
import { colourAt, scalePosition, stopsOf, strengthAt, type MapRange } from './colour-scale'
import type { MapKind } from './methods'

/** How far the image is faded toward white under the map. */
export const BACKDROP_FADE = 0.5
/** The opacity of the map's strongest pixel. */
export const MAX_OPACITY = 0.85

/** The image ([C, H, W] bytes, grey or RGB) with the map (H×W) over it, as RGBA. */
export function overlayRgba(image: PlaneImage, map: ArrayLike<number>, kind: MapKind, range: MapRange): Uint8ClampedArray<ArrayBuffer> {
  const plane = image.rows * image.cols
  if (map.length !== plane) throw new Error(`a ${image.rows}×${image.cols} image needs a map of ${plane} values, got ${map.length}`)
  const out = planesToRgba(image, asByte)
  const stops = stopsOf(kind)
  for (let p = 0; p < plane; p++) {
    const t = scalePosition(map[p], range)
    const alpha = MAX_OPACITY * strengthAt(t, kind)
    const colour = colourAt(stops, t)
    for (let c = 0; c < 3; c++) {
      const backdrop = out[p * 4 + c] + (255 - out[p * 4 + c]) * BACKDROP_FADE
      out[p * 4 + c] = Math.round(backdrop * (1 - alpha) + colour[c] * alpha)
    }
  }
  return out
}
