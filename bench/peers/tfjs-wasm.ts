/**
 * The three course nets in TensorFlow.js (tfjs-core ops only, no tfjs-layers) on its WebAssembly
 * backend, float32: He init, Adam 0.001 (β 0.9/0.999, ε 1e-7 as the book) for the conv nets, SGD 0.1 for
 * the MLP, softmax cross-entropy, batch 100, a step = optimizer.minimize. NHWC layout (tfjs's own).
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: one is registered here that runs the
 * backend's Conv3DBackpropFilterV2 with a depth-1 dimension added (`notes` says so).
 */
import { resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-core/dist/register_all_gradients' // tfjs-core alone has no gradients (tfjs-layers/tfjs import them)
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import type { NetId, PeerRow, PeerResult } from './types'

const WASM_DIR = resolve(import.meta.dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/'

type Layer =
  { kind: 'conv'; filters: number; size: number; pad: number } | { kind: 'relu' } | { kind: 'pool' } | { kind: 'affine'; units: number } | { kind: 'dropout' }

const conv = (filters: number, size: number, pad: number): Layer => ({ kind: 'conv', filters, size, pad })
const relu: Layer = { kind: 'relu' }
const pool: Layer = { kind: 'pool' }
const affine = (units: number): Layer => ({ kind: 'affine', units })
const dropout: Layer = { kind: 'dropout' }

const NETS: Record<NetId, { layers: Layer[]; image: boolean; adam: boolean }> = {
  'vg-relu-he': { layers: [affine(40), relu, affine(20), relu, affine(10)], image: false, adam: false },
  'cnn-simple': { layers: [conv(30, 5, 0), relu, pool, affine(100), relu, affine(10)], image: true, adam: true },
  'cnn-deep': {
    layers: [
      conv(16, 3, 1),
      relu,
      conv(16, 3, 1),
      relu,
      pool,
      conv(32, 3, 1),
      relu,
      conv(32, 3, 2),
      relu,
      pool,
      conv(64, 3, 1),
      relu,
      conv(64, 3, 1),
      relu,
      pool,
      affine(50),
      relu,
      dropout,
      affine(10),
      dropout
    ],
    image: true,
    adam: true
  }
}

let ready: Promise<string[]> | undefined

/** Loads the wasm backend once; returns notes on what had to be patched. */
function init(): Promise<string[]> {
  ready ??= (async () => {
    const notes: string[] = []
    setWasmPaths(WASM_DIR)
    setThreadsCount(1) // only matters where tfjs can use threads (not in Node: its multithread flag is off there)
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed')
    await tf.ready()
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
    notes.push(
      `tfjs-wasm: ${simd ? 'SIMD' : 'plain (no SIMD)'} binary, ${getThreadsCount()} thread(s) (getThreadsCount(); no wasm threads in Node, setThreadsCount(1) asked)`
    )
    if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
      const filterGrad3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')
      const padKernel = tf.getKernel('PadV2', 'wasm')
      if (!filterGrad3d || !padKernel) throw new Error('wasm backend has neither Conv2DBackpropFilter nor Conv3DBackpropFilterV2 + PadV2')
      tf.registerKernel({
        kernelName: 'Conv2DBackpropFilter',
        backendName: 'wasm',
        kernelFunc: ({ inputs, backend, attrs }) => {
          const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
          const { strides, pad, filterShape, dataFormat, dimRoundingMode } = attrs as unknown as {
            strides: [number, number] | number
            pad: 'valid' | 'same' | number
            filterShape: [number, number, number, number]
            dataFormat: string
            dimRoundingMode?: 'floor' | 'round' | 'ceil'
          }
          if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter via Conv3D: NHWC only')
          const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides
          // The 3-D kernel gives wrong filter gradients with a numeric padding (checked against the cpu
          // backend), so the input is zero-padded here (PadV2) and the 3-D kernel always runs 'valid'.
          const { padInfo } = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, [sh, sw], 1, pad, dimRoundingMode)
          const padded = padInfo.top || padInfo.bottom || padInfo.left || padInfo.right
          const xp = padded
            ? (padKernel.kernelFunc({
                inputs: { x },
                backend,
                attrs: {
                  paddings: [
                    [0, 0],
                    [padInfo.top, padInfo.bottom],
                    [padInfo.left, padInfo.right],
                    [0, 0]
                  ],
                  constantValue: 0
                }
              }) as tf.TensorInfo)
            : x
          // Same buffers, one more (depth 1) dimension: NHWC → NDHWC, [fh, fw, ci, co] → [1, fh, fw, ci, co].
          const x5 = { ...xp, shape: [xp.shape[0], 1, ...xp.shape.slice(1)] }
          const dy5 = { ...dy, shape: [dy.shape[0], 1, ...dy.shape.slice(1)] }
          const dw = filterGrad3d.kernelFunc({
            inputs: { x: x5, dy: dy5 },
            backend,
            attrs: { strides: [1, sh, sw], pad: 'valid', filterShape: [1, ...filterShape] }
          }) as tf.TensorInfo
          if (padded) (backend as tf.KernelBackend).disposeData(xp.dataId)
          return { ...dw, shape: [...filterShape] }
        }
      })
      notes.push('tfjs-wasm: Conv2DBackpropFilter registered via Conv3DBackpropFilterV2 (input zero-padded first with PadV2)')
    }
    return notes
  })()
  return ready
}

function heNormal(shape: number[], fanIn: number): tf.Variable {
  return tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 7), Math.sqrt(2 / fanIn)))
}

function buildNet(id: NetId) {
  const spec = NETS[id]
  const vars: tf.Variable[] = []
  let shape: number[] = spec.image ? [28, 28, 1] : [784]
  const ops: ((x: tf.Tensor, train: boolean) => tf.Tensor)[] = []
  for (const layer of spec.layers) {
    if (layer.kind === 'conv') {
      const [h, w, c] = shape
      const W = heNormal([layer.size, layer.size, c, layer.filters], c * layer.size * layer.size)
      const b = tf.variable(tf.zeros([layer.filters]))
      vars.push(W, b)
      const pad = layer.pad
      ops.push((x) => tf.add(tf.conv2d(x as tf.Tensor4D, W as tf.Tensor4D, 1, pad), b))
      shape = [h + 2 * pad - layer.size + 1, w + 2 * pad - layer.size + 1, layer.filters]
    } else if (layer.kind === 'pool') {
      ops.push((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 0))
      shape = [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2), shape[2]]
    } else if (layer.kind === 'affine') {
      const fanIn = shape.reduce((a, b) => a * b, 1)
      const W = heNormal([fanIn, layer.units], fanIn)
      const b = tf.variable(tf.zeros([layer.units]))
      vars.push(W, b)
      ops.push((x) => tf.add(tf.matMul(x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [x.shape[0], fanIn]), W as tf.Tensor2D), b))
      shape = [layer.units]
    } else if (layer.kind === 'relu') {
      ops.push((x) => tf.relu(x))
    } else {
      ops.push((x, train) => (train ? tf.dropout(x, 0.5) : tf.mul(x, 0.5)))
    }
  }
  const forward = (x: tf.Tensor, train: boolean) => ops.reduce((h, op) => op(h, train), x)
  return { vars, forward, image: spec.image, optimizer: spec.adam ? tf.train.adam(0.001, 0.9, 0.999, 1e-7) : tf.train.sgd(0.1) }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** `pixels`: ≥ 1000 images of 784 values in [0, 1]; `labels`: their classes. */
export async function runTfjsWasm(
  ids: NetId[],
  pixels: Float32Array,
  labels: Uint8Array,
  reps: (id: NetId) => { warmup: number; steps: number; evals: number }
): Promise<PeerResult> {
  let notes: string[]
  try {
    notes = [...(await init())]
    if (ids.some((id) => NETS[id].image))
      notes.push(
        'tfjs-wasm: conv forwards run on XNNPACK; its conv backward kernels (Conv2DBackpropInput, Conv3DBackpropFilterV2) are plain loops, ' +
          'which is where most of its conv training step goes'
      )
  } catch (error) {
    return { skipped: `tfjs-wasm unavailable: ${(error as Error).message}` }
  }
  const threads = getThreadsCount()
  const rows: PeerRow[] = []
  const pool = Math.floor(pixels.length / 784)
  try {
    for (const id of ids) {
      const net = buildNet(id)
      const inputShape = net.image ? [100, 28, 28, 1] : [100, 784]
      const batch = (start: number) =>
        tf.tidy(() => ({
          x: tf.tensor(pixels.subarray(start * 784, (start + 100) * 784), inputShape),
          y: tf.oneHot(tf.tensor1d(labels.subarray(start, start + 100), 'int32'), 10)
        }))
      const batches = Array.from({ length: Math.min(10, Math.floor(pool / 100)) }, (_, i) => batch(i * 100))
      const varList = net.vars
      let k = 0
      const step = () => {
        const { x, y } = batches[k++ % batches.length]
        tf.tidy(() => {
          net.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.forward(x, true)) as tf.Scalar, false, varList)
        })
      }
      const evaluate = () => {
        tf.tidy(() => tf.argMax(net.forward(batches[0].x, false), 1).dataSync())
      }
      const r = reps(id)
      for (let i = 0; i < r.warmup; i++) step()
      const steps: number[] = []
      for (let i = 0; i < r.steps; i++) {
        const t0 = performance.now()
        step()
        // the wasm backend runs synchronously; read one weight value to be sure the update is done
        varList[0].dataSync()
        steps.push(performance.now() - t0)
      }
      evaluate()
      const evals: number[] = []
      for (let i = 0; i < r.evals; i++) {
        const t0 = performance.now()
        evaluate()
        evals.push(performance.now() - t0)
      }
      rows.push({ name: id, stepSeconds: median(steps) / 1000, evalSeconds: median(evals) / 1000 })
      for (const b of batches) tf.dispose([b.x, b.y])
      net.optimizer.dispose()
      tf.dispose(varList)
    }
  } catch (error) {
    if (rows.length === 0) return { skipped: `tfjs-wasm failed: ${(error as Error).message.split('\n')[0]}` }
    notes.push(`tfjs-wasm stopped: ${(error as Error).message.split('\n')[0]}`)
  }
  return { rows, threads, dtype: 'float32', notes }
}
