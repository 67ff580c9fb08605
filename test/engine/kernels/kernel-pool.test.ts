import { afterEach, describe, expect, it } from 'vitest'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { KernelPool } from '../../../src/engine/kernels/threads/kernel-pool'
import { SEQ } from '../../../src/engine/kernels/threads/kernel-worker'

/*
 * The kernel pool's hand-over between the caller and a helper thread, on a module made for the test:
 * `bump(start, end)` adds 1 to the 32-bit word at index `start` of the shared memory, so every run of a
 * part is counted.
 */
const BUMP_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type 0: (i32, i32) → ()
  0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00,
  // import env.memory: shared, 1 page, at most 1
  0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01,
  // function 0 has type 0, exported as "bump"
  0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x62, 0x75, 0x6d, 0x70, 0x00, 0x00,
  // bump: mem32[start] = mem32[start] + 1
  0x0a, 0x17, 0x01, 0x15, 0x00, 0x20, 0x00, 0x41, 0x02, 0x74, 0x20, 0x00, 0x41, 0x02, 0x74, 0x28, 0x02, 0x00, 0x41, 0x01, 0x6a, 0x36, 0x02, 0x00, 0x0b
])

const pools: KernelPool[] = []
afterEach(() => pools.splice(0).forEach((pool) => pool.close()))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function startPool(): Promise<{ pool: KernelPool; words: Int32Array; module: WebAssembly.Module; memory: WebAssembly.Memory }> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })
  const module = new WebAssembly.Module(BUMP_MODULE)
  const pool = new KernelPool(nodeKernelThreads, module, memory, ['bump'], 2)
  pools.push(pool)
  for (let waited = 0; pool.activeThreads < 2 && waited < 10_000; waited += 10) await sleep(10)
  expect(pool.activeThreads).toBe(2)
  return { pool, words: new Int32Array(memory.buffer), module, memory }
}

describe('kernel pool', () => {
  it('runs each part once: the caller the first, the helper the second', async () => {
    const { pool, words, module, memory } = await startPool()
    const local = new WebAssembly.Instance(module, { env: { memory } }).exports as { bump: (start: number, end: number) => void }
    for (let call = 1; call <= 50; call++) {
      pool.run(0, [], 2, 1, 1, (start, end) => local.bump(start, end))
      expect([words[0], words[1]]).toEqual([call, call])
    }
  })

  it('a wake-up without a new job runs nothing (a notify the caller was descheduled before giving, arriving late)', async () => {
    const { pool, words, module, memory } = await startPool()
    const local = new WebAssembly.Instance(module, { env: { memory } }).exports as { bump: (start: number, end: number) => void }
    pool.run(0, [], 2, 1, 1, (start, end) => local.bump(start, end))
    expect(words[1]).toBe(1)
    // The helper has done its part and gone to sleep (it spins ~150 µs first); wake it as a late notify would.
    await sleep(50)
    const control = (pool as unknown as { control: Int32Array }).control
    Atomics.notify(control, SEQ)
    await sleep(50)
    expect(words[1]).toBe(1)
    // It still takes the next real job, once.
    pool.run(0, [], 2, 1, 1, (start, end) => local.bump(start, end))
    expect([words[0], words[1]]).toEqual([2, 2])
  })
})
