/**
 * `npx tsx bench/winograd-error.ts`: how far the float32 convolutions of cnn-deep's 3×3 layers are from
 * a float64 direct convolution, for the engine's Winograd F(2×2, 3×3) (the forward it runs) and for
 * im2col's float32 products, and for F(4×4, 3×3) emulated here in float32 (Math.fround after every
 * operation, the transforms of Lavin & Gray) to weigh it before building it. Inputs: ReLU-like
 * activations (half zeros, the rest |N(0, 1)|), He-initialised weights; error relative to the output's
 * RMS. Prints one JSON line per layer.
 */
import { Random } from '../src/engine/core/random'
import { convGeometry, type ConvGeometry } from '../src/engine/kernels/conv-shape'
import { createWasmGemmF32 } from '../src/engine/kernels/f32/kernels'

const LAYERS = [
  { name: 'conv2 16→16 28×28', c: 16, f: 16, h: 28, pad: 1 },
  { name: 'conv3 16→32 14×14', c: 16, f: 32, h: 14, pad: 1 },
  { name: 'conv4 32→32 14×14 pad 2', c: 32, f: 32, h: 14, pad: 2 },
  { name: 'conv5 32→64 8×8', c: 32, f: 64, h: 8, pad: 1 },
  { name: 'conv6 64→64 8×8', c: 64, f: 64, h: 8, pad: 1 }
]
const N = 8

function direct64(x: Float32Array, w: Float32Array, g: ConvGeometry, filters: number): Float64Array {
  const out = new Float64Array(g.n * filters * g.oh * g.ow)
  for (let n = 0; n < g.n; n++)
    for (let f = 0; f < filters; f++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++) {
          let s = 0
          for (let c = 0; c < g.c; c++)
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 3; kx++) {
                const y = oy + ky - g.pad,
                  xx = ox + kx - g.pad
                if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) continue
                s += x[((n * g.c + c) * g.h + y) * g.w + xx] * w[((f * g.c + c) * 3 + ky) * 3 + kx]
              }
          out[((n * filters + f) * g.oh + oy) * g.ow + ox] = s
        }
  return out
}

const r = Math.fround
/** F(4×4, 3×3) in float32: Y = Aᵀ[Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)]A per 6×6 input tile. */
const BT = [
  [4, 0, -5, 0, 1, 0],
  [0, -4, -4, 1, 1, 0],
  [0, 4, -4, -1, 1, 0],
  [0, -2, -1, 2, 1, 0],
  [0, 2, -1, -2, 1, 0],
  [0, 4, 0, -5, 0, 1]
]
const G = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1]
]
const AT = [
  [1, 1, 1, 1, 1, 0],
  [0, 1, -1, 2, -2, 0],
  [0, 1, 1, 4, 4, 0],
  [0, 1, -1, 8, -8, 1]
]
/** M (rows × k) · X (k × cols) in float32, each term rounded as the kernels' fused sums would be (fround per op). */
function mul32(m: number[][], xs: number[][]): number[][] {
  return m.map((row) => xs[0].map((_, j) => row.reduce((s, v, k) => (v === 0 ? s : r(s + r(r(v) * xs[k][j]))), 0)))
}
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]))

function winograd4(x: Float32Array, w: Float32Array, g: ConvGeometry, filters: number): Float64Array {
  const out = new Float64Array(g.n * filters * g.oh * g.ow)
  const u = Array.from({ length: filters }, (_, f) =>
    Array.from({ length: g.c }, (_, c) => {
      const k = [0, 1, 2].map((i) => [0, 1, 2].map((j) => w[((f * g.c + c) * 3 + i) * 3 + j]))
      return mul32(mul32(G, k), transpose(G))
    })
  )
  for (let n = 0; n < g.n; n++)
    for (let ty = 0; ty < Math.ceil(g.oh / 4); ty++)
      for (let tx = 0; tx < Math.ceil(g.ow / 4); tx++) {
        const v = Array.from({ length: g.c }, (_, c) => {
          const d = [0, 1, 2, 3, 4, 5].map((i) =>
            [0, 1, 2, 3, 4, 5].map((j) => {
              const y = 4 * ty + i - g.pad,
                xx = 4 * tx + j - g.pad
              return y < 0 || y >= g.h || xx < 0 || xx >= g.w ? 0 : x[((n * g.c + c) * g.h + y) * g.w + xx]
            })
          )
          return mul32(mul32(BT, d), transpose(BT))
        })
        for (let f = 0; f < filters; f++) {
          const m = [0, 1, 2, 3, 4, 5].map((i) =>
            [0, 1, 2, 3, 4, 5].map((j) => {
              let s = 0
              for (let c = 0; c < g.c; c++) s = r(s + r(u[f][c][i][j] * v[c][i][j]))
              return s
            })
          )
          const y = mul32(mul32(AT, m), transpose(AT))
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++) {
              const oy = 4 * ty + i,
                ox = 4 * tx + j
              if (oy < g.oh && ox < g.ow) out[((n * filters + f) * g.oh + oy) * g.ow + ox] = y[i][j]
            }
        }
      }
  return out
}

function errors(got: ArrayLike<number>, want: Float64Array) {
  let rms = 0,
    sq = 0,
    max = 0
  for (let i = 0; i < want.length; i++) rms += want[i] * want[i]
  rms = Math.sqrt(rms / want.length)
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i])
    sq += e * e
    max = Math.max(max, e)
  }
  return { rmsRel: Number((Math.sqrt(sq / want.length) / rms).toExponential(2)), maxRel: Number((max / rms).toExponential(2)) }
}

const kernels = createWasmGemmF32()
if (!kernels) throw new Error('no WebAssembly float32 kernels here')
const random = new Random(5)
for (const layer of LAYERS) {
  const g = convGeometry([N, layer.c, layer.h, layer.h], 3, 3, 1, layer.pad)
  const x = Float32Array.from({ length: N * layer.c * layer.h * layer.h }, () => (random.uniform() < 0.5 ? 0 : Math.abs(random.normal())))
  const std = Math.sqrt(2 / (layer.c * 9))
  const w = Float32Array.from({ length: layer.f * layer.c * 9 }, () => random.normal() * std)
  const bias = new Float32Array(layer.f)
  const want = direct64(x, w, g, layer.f)
  const out = new Float32Array(want.length)
  kernels.winograd = true
  if (!kernels.convForwardWinograd(x, g, w, bias, out, layer.f)) throw new Error(`Winograd did not run on ${layer.name}`)
  const f2 = errors(out, want)
  const f4 = errors(winograd4(x, w, g, layer.f), want)
  console.log(JSON.stringify({ layer: layer.name, fusedMultiplyAdd: kernels.fusedMultiplyAdd, 'F(2x2,3x3) engine': f2, 'F(4x4,3x3) emulated': f4 }))
}
process.exit(0)
