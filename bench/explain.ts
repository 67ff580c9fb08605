/**
 * `npm run bench:explain`: what one explanation costs on cnn-deep (issue 21 asks under 50 ms for saliency
 * and Grad-CAM, live in #/draw). Times what the session does per request — sync the inference copy with
 * the network, then explain one test digit — median and fastest of 20 after 3 warm-ups, on the engine's
 * own thread, in float32 (the app's precision) and float64 (the course's). The slower methods are timed too.
 * Writes bench/results/explain.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist } from '../src/engine/data/mnist'
import { explainImage } from '../src/engine/explain/explain'
import { InferenceCopy } from '../src/engine/explain/inference-copy'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import { timeIt } from './timing'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const ROOT = resolve(import.meta.dirname, '..')
const round2 = (v: number) => Math.round(v * 100) / 100

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const image = Float64Array.from(dataset.test.images.subarray(0, 784), (v) => v / 255)
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, preset: 'cnn-deep', image: 'test 0' }
  for (const precision of ['float32', 'float64'] as const) {
    // A few steps, so the weights and batch norms' statistics are a trained network's kind, not the initial ones.
    const config = { ...findPreset('cnn-deep').config, precision, iterations: 5, evalInterval: 1_000_000 }
    const trainer = new Trainer(config, dataset)
    while (!trainer.finished) trainer.step()
    const copy = new InferenceCopy(trainer.network, config.network)
    const timings: Record<string, { medianMs: number; minMs: number }> = {}
    for (const [method, reps] of [
      ['saliency', 20],
      ['gradcam', 20],
      ['gradxinput', 20],
      ['occlusion', 5],
      ['smoothgrad', 5],
      ['integrated', 5]
    ] as const) {
      const { medianMs, minMs } = timeIt(() => {
        copy.sync()
        explainImage(copy, image, [1, 28, 28], { method })
      }, reps)
      timings[method] = { medianMs: round2(medianMs), minMs: round2(minMs) }
      console.log(`cnn-deep ${precision} ${method}: median ${medianMs.toFixed(1)} ms, fastest ${minMs.toFixed(1)} ms (${reps} runs)`)
    }
    results[precision] = timings
  }
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(resolve(ROOT, 'bench/results/explain.json'), JSON.stringify(results, null, 2) + '\n')
}

void main()
