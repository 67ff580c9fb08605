import { afterEach, describe, expect, it } from 'vitest'
import { allocateFloats, type FloatArray, type Precision } from '../../../src/engine/core/dtype'
import { Random } from '../../../src/engine/core/random'
import { backendKind, kernelsFor, setBackend, wasmF32Kernels, type Backend, type BackendKind } from '../../../src/engine/kernels/backend'
import { TypeScriptBackend } from '../../../src/engine/kernels/backends/typescript'
import { WasmF32Backend } from '../../../src/engine/kernels/backends/wasm-f32'
import { convGeometry } from '../../../src/engine/kernels/conv-shape'

/*
 * One spec for every backend (as tfjs runs its kernel specs against each): the operations of the
 * Backend interface that layers and optimizers call, on the TypeScript backend and on WebAssembly, in
 * both precisions. Everything but the products (and so the convolutions) must give the reference's bits;
 * float64 gives them everywhere, convolutions included.
 */
afterEach(() => setBackend('auto'))

const bits = (a: FloatArray | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

function on(kind: BackendKind, precision: Precision): Backend {
  setBackend(kind)
  return kernelsFor(precision)
}

function filled(precision: Precision, length: number, seed: number, zeros = 0.3): FloatArray {
  const random = new Random(seed)
  const a = allocateFloats(precision, length)
  for (let i = 0; i < length; i++) a[i] = random.uniform() < zeros ? 0 : random.normal()
  return a
}

/** Runs `op` on a backend with fresh inputs; returns the bytes of every array it wrote. */
type Spec = (b: Backend, precision: Precision) => (FloatArray | Int32Array)[]

const EXACT: [string, Spec][] = [
  [
    'ReLU forward and backward',
    (b, p) => {
      const x = filled(p, 1003, 1)
      const y = b.floats(1003)
      const dx = b.floats(1003)
      b.reluForward(x, y)
      b.reluBackward(x, filled(p, 1003, 2), dx)
      return [y, dx]
    }
  ],
  [
    'affine bias and its gradient',
    (b, p) => {
      const out = filled(p, 13 * 21, 3)
      const sums = b.floats(21)
      b.addRowBias(out, filled(p, 21, 4), 13, 21)
      b.columnSums(filled(p, 13 * 21, 5), 13, 21, sums)
      return [out, sums]
    }
  ],
  [
    'max pooling over the padding, windows overlapping',
    (b, p) => {
      const g = convGeometry([2, 4, 9, 7], 3, 3, 2, 1)
      const out = b.floats(g.n * g.c * g.oh * g.ow)
      const argmax = b.ints(out.length)
      const dx = b.floats(g.n * g.c * g.h * g.w)
      b.maxPoolForward(filled(p, dx.length, 6), g, out, argmax)
      b.maxPoolBackward(filled(p, out.length, 7), argmax, g, dx)
      return [out, argmax, dx]
    }
  ],
  [
    'im2col and col2im',
    (b, p) => {
      const g = convGeometry([2, 3, 8, 6], 3, 2, 2, 1)
      const col = b.floats(g.n * g.oh * g.ow * g.c * g.fh * g.fw)
      const x = b.floats(g.n * g.c * g.h * g.w)
      b.im2col(filled(p, x.length, 8), g, col)
      const back = b.floats(x.length)
      b.col2im(col, g, back)
      return [col, back]
    }
  ],
  [
    'a batch of pixels, and a range of them',
    (b) => {
      const random = new Random(9)
      const images = Uint8Array.from({ length: 40 * 49 }, () => (random.uniform() < 0.7 ? 0 : random.int(256)))
      const batch = b.floats(5 * 49)
      const range = b.floats(7 * 49)
      b.gatherPixels(images, [3, 0, 39, 3, 17], 49, batch)
      b.gatherPixelRange(images, 30, 7, 49, range)
      return [batch, range]
    }
  ],
  [
    'the six optimizer updates',
    (b, p) => {
      const [value, grad, s1, s2] = [filled(p, 517, 10), filled(p, 517, 11, 0.1), b.floats(517), b.floats(517)]
      b.sgdUpdate(value, grad, 0.1)
      b.momentumUpdate(value, grad, s1, 0.01, 0.9)
      b.nesterovUpdate(value, grad, s1, 0.01, 0.9)
      b.adagradUpdate(value, grad, s2, 0.01, { course: true, first: true, initialH: 1e-4, epsilon: 1e-7 })
      b.adagradUpdate(value, grad, s2, 0.01, { course: false, first: false, initialH: 0, epsilon: 1e-7 })
      b.rmspropUpdate(value, grad, s2, 0.01, 0.99, 1e-7)
      b.adamUpdate(value, grad, s1, s2, 0.001, 0.9, 0.999, 1e-7)
      return [value, s1, s2]
    }
  ]
]

/** A convolution forward and backward: 5×5 stride 2 (im2col), and 3×3 stride 1 over 8 channels (Winograd in float32). */
function convolution(shape: number[], filters: number, size: number, stride: number, pad: number): Spec {
  return (b, p) => {
    const g = convGeometry(shape, size, size, stride, pad)
    const w = filled(p, filters * g.c * size * size, 12, 0)
    const buffers = b.convBuffers(w.length)
    const op = { x: filled(p, g.n * g.c * g.h * g.w, 13), g, w, filters, buffers }
    const out = b.floats(g.n * filters * g.oh * g.ow)
    b.convForward(op, filled(p, filters, 14), out)
    const grads = { dw: b.floats(w.length), db: b.floats(filters), dx: b.floats(op.x.length) }
    b.convBackward(op, filled(p, out.length, 15), grads)
    return [out, grads.dw, grads.db, grads.dx]
  }
}

const CONVOLUTIONS: [string, Spec][] = [
  ['convolution 5×5, stride 2, pad 2', convolution([3, 2, 12, 11], 7, 5, 2, 2)],
  ['convolution 3×3, stride 1, pad 1, 8 channels', convolution([2, 8, 9, 10], 8, 3, 1, 1)]
]

describe('the backends', () => {
  it('are chosen once per precision: WebAssembly here, TypeScript when asked', () => {
    expect(backendKind()).toBe('wasm')
    expect(kernelsFor('float32')).toBeInstanceOf(WasmF32Backend)
    expect(kernelsFor('float64')).toBeInstanceOf(TypeScriptBackend)
    expect(kernelsFor('float64')).not.toBeInstanceOf(WasmF32Backend)
    expect(kernelsFor('float32')).toBe(kernelsFor('float32'))
    setBackend('ts')
    expect(wasmF32Kernels()).toBeNull()
    expect(kernelsFor('float32')).not.toBeInstanceOf(WasmF32Backend)
    expect(kernelsFor('float64').precision).toBe('float64')
  })

  it('keep float32 arrays in the kernels’ memory on WebAssembly only', () => {
    const resident = on('wasm', 'float32').floats(64) as Float32Array
    expect(wasmF32Kernels()!.isResident(resident)).toBe(true)
    const kernels = wasmF32Kernels()!
    expect(kernels.isResident(on('ts', 'float32').floats(64) as Float32Array)).toBe(false)
  })

  describe.each(['float32', 'float64'] as const)('in %s', (precision) => {
    it.each(EXACT)('%s: the same bits on WebAssembly as in TypeScript', (_name, spec) => {
      const reference = spec(on('ts', precision), precision).map(bits)
      const wasm = spec(on('wasm', precision), precision).map(bits)
      wasm.forEach((b, i) => expect(b.equals(reference[i]), `array ${i}`).toBe(true))
    })
  })

  it.each(CONVOLUTIONS)('float64 %s: the same bits on WebAssembly as in TypeScript', (_name, spec) => {
    const reference = spec(on('ts', 'float64'), 'float64').map(bits)
    const wasm = spec(on('wasm', 'float64'), 'float64').map(bits)
    wasm.forEach((b, i) => expect(b.equals(reference[i]), `array ${i}`).toBe(true))
  })

  it.each(CONVOLUTIONS)('float32 %s: within 1e-4 of the TypeScript reference', (_name, spec) => {
    const reference = spec(on('ts', 'float32'), 'float32')
    const wasm = spec(on('wasm', 'float32'), 'float32')
    wasm.forEach((a, i) => {
      const r = reference[i]
      const scale = Math.max(...Array.from(r, Math.abs))
      const worst = Math.max(...Array.from(a, (v, j) => Math.abs(v - r[j])))
      expect(worst / scale, `array ${i}`).toBeLessThan(1e-4)
    })
  })
})
