/**
 * `npx tsx bench/winograd-f4-layers.ts`: F(2×2, 3×3) against F(4×4, 3×3) per 3×3 layer of cnn-deep at
 * batch 100 (forward, and each input gradient as the convolution it is: dout with pad 2 − pad), plus a few
 * other map sizes, one thread, the best of five CPU-time runs of four calls each. What winogradF4Pays
 * (src/engine/kernels/f32/winograd-f4.ts) was decided on; both are called directly, whatever it says.
 */
import { cpuUsage } from 'node:process'
import { Random } from '../src/engine/core/random'
import { setBackend, wasmF32Kernels } from '../src/engine/kernels/backend'
import { convGeometry } from '../src/engine/kernels/conv-shape'
import { convForwardWinogradF4 } from '../src/engine/kernels/f32/winograd-f4'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

setBackend('wasm')
const kernels = wasmF32Kernels()!
const random = new Random(3)
const SHAPES: [string, number[], number, number][] = [
  ['conv2 forward 16→16 28×28', [100, 16, 28, 28], 16, 1],
  ['conv2 dx 16→16 28×28', [100, 16, 28, 28], 16, 1],
  ['conv3 forward 16→32 14×14', [100, 16, 14, 14], 32, 1],
  ['conv3 dx 32→16 14×14', [100, 32, 14, 14], 16, 1],
  ['conv4 forward 32→32 14→16 pad 2', [100, 32, 14, 14], 32, 2],
  ['conv4 dx 32→32 16→14 pad 0', [100, 32, 16, 16], 32, 0],
  ['conv5 forward 32→64 8×8', [100, 32, 8, 8], 64, 1],
  ['conv5 dx 64→32 8×8', [100, 64, 8, 8], 32, 1],
  ['conv6 forward 64→64 8×8', [100, 64, 8, 8], 64, 1],
  ['64→64 7×7', [100, 64, 7, 7], 64, 1],
  ['32→32 10×10', [100, 32, 10, 10], 32, 1],
  ['32→32 6×6', [100, 32, 6, 6], 32, 1]
]
const cpuMs = (): number => {
  const u = cpuUsage()
  return (u.user + u.system) / 1000
}
function time(run: () => boolean): number {
  for (let i = 0; i < 3; i++) run()
  const runs: number[] = []
  for (let rep = 0; rep < 5; rep++) {
    const start = cpuMs()
    for (let i = 0; i < 4; i++) if (!run()) return NaN
    runs.push((cpuMs() - start) / 4)
  }
  return Math.min(...runs)
}
for (const [name, shape, filters, pad] of SHAPES) {
  const g = convGeometry(shape, 3, 3, 1, pad)
  const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal())
  const w = Float32Array.from({ length: filters * g.c * 9 }, () => random.normal() * 0.1)
  const bias = new Float32Array(filters)
  const out = new Float32Array(g.n * filters * g.oh * g.ow)
  const f2 = time(() => kernels.convForwardWinograd(x, g, w, bias, out, filters))
  // The wrapper itself, past winogradF4Pays, so that the sizes it turns down are measured too.
  const f4 = time(() => convForwardWinogradF4(kernels, x, g, w, bias, out, filters, true))
  console.log(`${name.padEnd(34)} F(2×2) ${f2.toFixed(2)} ms  F(4×4) ${f4.toFixed(2)} ms  ${(f2 / f4).toFixed(2)}×`)
}
