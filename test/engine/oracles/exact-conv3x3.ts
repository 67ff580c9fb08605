import type { ConvGeometry } from '../../../src/engine/kernels/conv-shape'

/*
 * Float64 sums of float32 operands for 3×3 convolutions at stride 1: what the Winograd kernels' float32
 * results are measured against (their error as a share of the exact values' RMS).
 */

/** The forward pass: out = x ⋆ w + bias, (N, filters, OH, OW). */
export function directConv3x3(x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, filters: number): Float64Array {
  const out = new Float64Array(g.n * filters * g.oh * g.ow)
  for (let n = 0; n < g.n; n++) {
    for (let f = 0; f < filters; f++) {
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          let sum = bias[f]
          for (let c = 0; c < g.c; c++) {
            for (let i = 0; i < 3; i++) {
              const y = oy + i - g.pad
              if (y < 0 || y >= g.h) continue
              for (let j = 0; j < 3; j++) {
                const xx = ox + j - g.pad
                if (xx < 0 || xx >= g.w) continue
                sum += x[((n * g.c + c) * g.h + y) * g.w + xx] * w[((f * g.c + c) * 3 + i) * 3 + j]
              }
            }
          }
          out[((n * filters + f) * g.oh + oy) * g.ow + ox] = sum
        }
      }
    }
  }
  return out
}

/** The weight gradient: dW = Σ over images and positions of x · dout, (filters, C, 3, 3). */
export function exactWeightGradient3x3(x: Float32Array, g: ConvGeometry, dout: Float32Array, filters: number): Float64Array {
  const dw = new Float64Array(filters * g.c * 9)
  for (let f = 0; f < filters; f++) {
    for (let c = 0; c < g.c; c++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let sum = 0
          for (let n = 0; n < g.n; n++) {
            for (let oy = 0; oy < g.oh; oy++) {
              const y = oy + i - g.pad
              if (y < 0 || y >= g.h) continue
              for (let ox = 0; ox < g.ow; ox++) {
                const xx = ox + j - g.pad
                if (xx < 0 || xx >= g.w) continue
                sum += x[((n * g.c + c) * g.h + y) * g.w + xx] * dout[((n * filters + f) * g.oh + oy) * g.ow + ox]
              }
            }
          }
          dw[((f * g.c + c) * 3 + i) * 3 + j] = sum
        }
      }
    }
  }
  return dw
}

/** Largest error as a share of the exact values' RMS. */
export function relativeError(fast: Float32Array, exact: Float64Array): number {
  let squares = 0
  let worst = 0
  for (let i = 0; i < exact.length; i++) {
    squares += exact[i] * exact[i]
    worst = Math.max(worst, Math.abs(fast[i] - exact[i]))
  }
  return worst / Math.sqrt(squares / exact.length)
}
