/**
 * `npm run bench:long-run [-- --iters N] [-- --preset ID]`: the engine's memory over a long run, sampled
 * (after a forced GC) every tenth of the run, through the real session and run loop with the course's
 * evaluation schedule. A flat line means nothing grows per iteration or per evaluation. Run with
 * --expose-gc (the npm script does). Not a test: it prints figures.
 */
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { createInProcessChannel } from '../src/engine/hosts/in-process'
import { createEngineSession } from '../src/engine/session/session'
import { findPreset } from '../src/engine/presets'
import { PROTOCOL_VERSION, type EngineEvent } from '../src/engine/protocol'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const iterations = Number(flag('--iters') ?? 20_000)
const presetId = flag('--preset') ?? 'vg-relu-he'
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:long-run does)')

const used = (): number => {
  gc!()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
const mib = (b: number): string => (b / 1024 / 1024).toFixed(2)

const session = createEngineSession()
const { enginePort, clientPort } = createInProcessChannel()
session.attach(enginePort)
const done = new Promise<void>((resolve) => {
  const samples: { iter: number; bytes: number }[] = []
  let next = iterations / 10
  let base = 0
  clientPort.onMessage((raw) => {
    const event = raw as EngineEvent
    if (event.type === 'runStarted') base = used()
    if (event.type === 'progress' && event.iter >= next) {
      samples.push({ iter: event.iter, bytes: used() - base })
      next += iterations / 10
    }
    if (event.type === 'runFinished') {
      const bytes = samples.map((s) => s.bytes)
      console.log(`${presetId}, ${iterations} iterations (${event.status}, ${(event.elapsedMs / 1000).toFixed(1)} s): engine memory above the run's start, MiB`)
      for (const s of samples) console.log(`  iteration ${String(s.iter).padStart(6)}  ${mib(s.bytes)}`)
      console.log(`  first→last sample: ${mib(bytes[0])} → ${mib(bytes.at(-1)!)} MiB; spread ${mib(Math.max(...bytes) - Math.min(...bytes))} MiB`)
      resolve()
    }
  })
})
async function main(): Promise<void> {
  clientPort.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
  await session.loadDataset('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  clientPort.postMessage({ type: 'startRun', runId: 'long', config: { ...findPreset(presetId).config, iterations } })
  await done
}

void main()
