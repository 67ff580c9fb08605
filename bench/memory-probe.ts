/**
 * Run in a fresh process: loads a dataset into an engine session and prints how much memory that cost
 * (heap + array buffers, after garbage collection), as one JSON line. Usage: memory-probe.ts DIR
 */
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { createInProcessChannel } from '../src/engine/hosts/in-process'
import { createEngineSession } from '../src/engine/session/session'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

function usedBytes(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

async function main(dir: string): Promise<void> {
  const before = usedBytes()
  const session = createEngineSession()
  session.attach(createInProcessChannel().enginePort)
  // The host reads the files; the engine keeps only the decoded bytes once the file buffers are dropped.
  await session.loadDataset(dir, await readIdxDirectory(dir))
  const after = usedBytes()
  process.stdout.write(JSON.stringify({ dir, engineBytes: after - before, rssBytes: process.memoryUsage().rss }) + '\n')
}

void main(process.argv[2])
