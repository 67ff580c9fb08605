import fc from 'fast-check'
import { expect } from 'vitest'
import { EngineError } from '../../../src/engine/protocol/error-codes'

/*
 * Shared pieces of the fuzz suites: the case count every reader gets, input generators (random bytes,
 * truncations, single-byte mutations of a valid file) and an allocation recorder that proves no reader
 * sizes a buffer by what an untrusted header declares.
 */

/** Cases per reader; FUZZ_RUNS raises it for a longer local hunt. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)

/** Time one whole fuzz property may take: vitest's 5 s default is for unit tests, not 10,000 cases. Scales with FUZZ_RUNS. */
export const FUZZ_TEST_TIMEOUT_MS = Math.max(120_000, FUZZ_RUNS * 12)

/** fast-check settings shared by every suite; FUZZ_SEED replays a failure fast-check reported. */
export function fuzzParameters<T>(numRuns = FUZZ_RUNS): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED
  return { numRuns, ...(seed ? { seed: Number(seed) } : {}) }
}

/** Any of: random bytes, a truncation of `valid`, `valid` with one byte changed, `valid` with bytes appended. */
export function bytesAround(valid: Uint8Array, maxRandomLength = 256): fc.Arbitrary<Uint8Array> {
  const truncated = fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n))
  const mutated = fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
    const copy = valid.slice()
    copy[at] ^= xor
    return copy
  })
  const extended = fc.uint8Array({ minLength: 1, maxLength: 16 }).map((tail) => {
    const copy = new Uint8Array(valid.length + tail.length)
    copy.set(valid)
    copy.set(tail, valid.length)
    return copy
  })
  return fc.oneof(fc.uint8Array({ maxLength: maxRandomLength }), truncated, mutated, extended)
}

/** The outcome every reader must reach on every input: a result, or an EngineError with a clear message. */
export function expectTypedFailure(error: unknown, code: EngineError['code']): void {
  if (!(error instanceof EngineError)) throw error
  expect(error.code).toBe(code)
  // One clear message: non-empty, one line, and not a leaked JavaScript internal.
  expect(error.message.length).toBeGreaterThan(10)
  expect(error.message).not.toMatch(/\n|undefined|NaN|\[object /)
}

// ---- allocation recorder --------------------------------------------------------------------------

const RECORDED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array'
] as const
type Recorded = (typeof RECORDED)[number]

function bytesRequested(name: Recorded, args: unknown[]): number {
  const [first] = args
  const perElement = name === 'ArrayBuffer' || name === 'SharedArrayBuffer' ? 1 : (globalThis[name] as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
  if (typeof first === 'number') return first * perElement
  // A view on an existing buffer allocates nothing; an array-like is copied at its own (real) length.
  if (first instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)) return 0
  if (first !== null && typeof first === 'object' && 'length' in first && typeof first.length === 'number') return first.length * perElement
  return 0
}

/** Above this a recorded allocation is refused (and still reported), so a fuzz case can never exhaust memory. */
const REFUSE_ABOVE_BYTES = 256 * 1024 * 1024

/**
 * Runs `action` with the global ArrayBuffer and typed-array constructors wrapped, and returns the largest
 * number of bytes any single `new X(…)` asked for. Code that sizes a buffer from a header does so with
 * one of these constructors, so a header's lie shows up here before the allocation happens.
 */
export async function largestAllocation(action: () => unknown): Promise<number> {
  let largest = 0
  const originals = new Map<Recorded, unknown>()
  for (const name of RECORDED) {
    const original = globalThis[name] as unknown as new (...args: unknown[]) => object
    if (!original) continue
    originals.set(name, original)
    ;(globalThis as Record<string, unknown>)[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const bytes = bytesRequested(name, args)
        largest = Math.max(largest, bytes)
        if (bytes > REFUSE_ABOVE_BYTES) throw new RangeError(`test refused to allocate ${bytes} bytes`)
        return Reflect.construct(target, args, newTarget === (globalThis as Record<string, unknown>)[name] ? target : newTarget)
      }
    })
  }
  try {
    await action()
  } catch {
    // Only the allocations matter here; outcomes are checked by the properties themselves.
  } finally {
    for (const [name, original] of originals) (globalThis as Record<string, unknown>)[name] = original
  }
  return largest
}
