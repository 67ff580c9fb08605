import { describe, expect, it } from 'vitest'
import { encodeModule, F64, get, i32, I32, sleb, uleb, WasmFunction } from '../../../src/engine/kernels/wasm/encoder'
import { buildGemmModule } from '../../../src/engine/kernels/wasm/gemm-module'

describe('wasm encoder', () => {
  it('writes LEB128 integers', () => {
    expect(uleb(0)).toEqual([0])
    expect(uleb(127)).toEqual([127])
    expect(uleb(128)).toEqual([0x80, 1])
    expect(uleb(240)).toEqual([0xf0, 1]) // f64x2.add's SIMD sub-opcode
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(sleb(0)).toEqual([0])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([63])
    expect(sleb(64)).toEqual([0xc0, 0])
    expect(sleb(-4)).toEqual([0x7c])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
  })

  it('encodes a module that runs', () => {
    const fn = new WasmFunction(0, [i32, i32], [i32], 'addTimes3')
    fn.body = [I32.mul(I32.add(get(0), get(1)), I32.const(3))]
    const double = new WasmFunction(1, [], [], 'store')
    double.body = [F64.store(I32.const(8), F64.const(-2.5))]
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([fn, double], 'memory', 1)), {})
    expect((exports.addTimes3 as (a: number, b: number) => number)(4, -6)).toBe(-6)
    ;(exports.store as () => void)()
    expect(new Float64Array((exports.memory as WebAssembly.Memory).buffer, 8, 1)[0]).toBe(-2.5)
  })
})

describe('gemm module bytes', () => {
  const bytes = buildGemmModule()

  it('validate, and stay under the 4 KB Chromium allows compiling synchronously on any thread', () => {
    expect(WebAssembly.validate(bytes)).toBe(true)
    expect(bytes.length).toBeLessThan(4096)
  })

  it('are the same on every build (nothing depends on the environment)', () => {
    expect(Array.from(buildGemmModule())).toEqual(Array.from(bytes))
  })
})
