/**
 * A minimal WebAssembly binary encoder: just the instructions the gemm kernels use, written as nested
 * function calls that read like the folded text format (`F64x2.add(get(acc), F64x2.mul(x, b))`).
 *
 * Why hand-rolled: the kernels are built in TypeScript at run time, so there is no assembler, no build
 * step and no .wasm file to fetch (the engine also runs in a browser worker and an Electron utility
 * process). Every instruction here is from the WebAssembly 2.0 core + fixed-width SIMD set; nothing
 * from relaxed-simd (its results may differ between machines).
 */

export type Code = number[]

export type ValType = 0x7f | 0x7e | 0x7c | 0x7b
export const i32: ValType = 0x7f
export const i64: ValType = 0x7e
export const f64: ValType = 0x7c
export const v128: ValType = 0x7b

/** A local or parameter, by index. */
export type Local = number

export function uleb(value: number): number[] {
  const out: number[] = []
  let v = value >>> 0
  do {
    const byte = v & 0x7f
    v >>>= 7
    out.push(v === 0 ? byte : byte | 0x80)
  } while (v !== 0)
  return out
}

export function sleb(value: number): number[] {
  const out: number[] = []
  let v = value | 0
  for (;;) {
    const byte = v & 0x7f
    v >>= 7
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

const flat = (parts: Code[]): Code => parts.flat()

// ---- variables and control ----------------------------------------------------------------------

export const get = (local: Local): Code => [0x20, ...uleb(local)]
export const set = (local: Local, value: Code): Code => [...value, 0x21, ...uleb(local)]
export const ret = (value: Code): Code => [...value, 0x0f]
/** `whenTrue` if `condition` is non-zero, else `whenFalse` (both evaluated; branch-free). */
export const select = (whenTrue: Code, whenFalse: Code, condition: Code): Code => [...whenTrue, ...whenFalse, ...condition, 0x1b]

const EMPTY_BLOCK = 0x40
export const ifThen = (condition: Code, ...body: Code[]): Code => [...condition, 0x04, EMPTY_BLOCK, ...flat(body), 0x0b]
export const ifElse = (condition: Code, whenTrue: Code[], whenFalse: Code[]): Code => [
  ...condition, 0x04, EMPTY_BLOCK, ...flat(whenTrue), 0x05, ...flat(whenFalse), 0x0b
]
/** Runs `body` while `condition` holds, testing before each pass; `body` does its own stepping. */
export const whileLoop = (condition: Code, ...body: Code[]): Code => [
  0x02, EMPTY_BLOCK, 0x03, EMPTY_BLOCK,
  ...condition, 0x45, 0x0d, 1, // br_if 1 (out of the block) when the condition is false
  ...flat(body),
  0x0c, 0, // br 0 (back to the loop head)
  0x0b, 0x0b
]

export interface FunctionRef {
  readonly index: number
}
export const call = (fn: FunctionRef, ...args: Code[]): Code => [...flat(args), 0x10, ...uleb(fn.index)]

// ---- scalars -----------------------------------------------------------------------------------

/** Memory immediates: log2 of the alignment hint, then the constant byte offset. */
const memarg = (alignLog2: number, offset: number): Code => [...uleb(alignLog2), ...uleb(offset)]

const binary = (opcode: number) => (a: Code, b: Code): Code => [...a, ...b, opcode]

export const I32 = {
  const: (value: number): Code => [0x41, ...sleb(value)],
  load: (address: Code, offset = 0): Code => [...address, 0x28, ...memarg(2, offset)],
  store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x36, ...memarg(2, offset)],
  eqz: (a: Code): Code => [...a, 0x45],
  eq: binary(0x46),
  ltS: binary(0x48),
  leS: binary(0x4c),
  add: binary(0x6a),
  sub: binary(0x6b),
  mul: binary(0x6c),
  divU: binary(0x6e),
  and: binary(0x71),
  shl: binary(0x74),
  shrU: binary(0x76)
}

/** 64-bit integers: here only to move doubles as raw bits and test them for ±0 without float compares. */
export const I64 = {
  const: (value: number): Code => [0x42, ...sleb(value)],
  load: (address: Code, offset = 0): Code => [...address, 0x29, ...memarg(3, offset)],
  store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x37, ...memarg(3, offset)],
  eqz: (a: Code): Code => [...a, 0x50],
  or: binary(0x84),
  shl: binary(0x86)
}

export const F64 = {
  const: (value: number): Code => {
    const bytes = new Uint8Array(new Float64Array([value]).buffer)
    return [0x44, ...bytes]
  },
  load: (address: Code, offset = 0): Code => [...address, 0x2b, ...memarg(3, offset)],
  store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x39, ...memarg(3, offset)]
}

// ---- SIMD (prefix 0xfd, LEB128 sub-opcode) ----------------------------------------------------

const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)]

export const V128 = {
  /** 16 bytes; the alignment hint is 8 because rows of doubles are only 8-byte aligned. */
  load: (address: Code, offset = 0): Code => [...address, ...simd(0x00), ...memarg(3, offset)],
  store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, ...simd(0x0b), ...memarg(3, offset)],
  /** One double broadcast to both lanes. */
  load64Splat: (address: Code, offset = 0): Code => [...address, ...simd(0x0a), ...memarg(3, offset)],
  /** One double into lane 0, lane 1 = 0: reads no byte past the value (the odd last column). */
  load64Zero: (address: Code, offset = 0): Code => [...address, ...simd(0x5d), ...memarg(3, offset)],
  /** 1 when any bit of the vector is set. */
  anyTrue: (a: Code): Code => [...a, ...simd(0x53)],
  or: (a: Code, b: Code): Code => [...a, ...b, ...simd(0x50)],
  /** Writes only lane `lane` (8 bytes). */
  store64Lane: (address: Code, value: Code, lane: 0 | 1, offset = 0): Code => [...address, ...value, ...simd(0x5b), ...memarg(3, offset), lane]
}

/** Two i64 lanes: doubles handled as raw bits (zero tests, moving lanes around). */
export const I64x2 = {
  shl: (a: Code, by: Code): Code => [...a, ...by, ...simd(0xcb)],
  extractLane: (a: Code, lane: 0 | 1): Code => [...a, ...simd(0x1d), lane],
  /** Lane `first` of `a` then lane `second` of `b` (an i8x16.shuffle of whole 8-byte lanes). */
  pick: (a: Code, first: 0 | 1, b: Code, second: 0 | 1): Code => {
    const bytes = (from: number) => Array.from({ length: 8 }, (_, i) => from + i)
    return [...a, ...b, ...simd(0x0d), ...bytes(8 * first), ...bytes(16 + 8 * second)]
  }
}

export const F64x2 = {
  splat: (a: Code): Code => [...a, ...simd(0x14)],
  sub: (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf1)],
  add: (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf0)],
  mul: (a: Code, b: Code): Code => [...a, ...b, ...simd(0xf2)]
}

// ---- module ------------------------------------------------------------------------------------

/** A function: params first, then locals added with `local()`; `body` (its instructions in order) is set once written. */
export class WasmFunction implements FunctionRef {
  readonly params: Local[]
  private readonly localTypes: ValType[] = []
  body: Code[] = []

  constructor(
    readonly index: number,
    readonly paramTypes: readonly ValType[],
    readonly resultTypes: readonly ValType[],
    readonly exportName?: string
  ) {
    this.params = paramTypes.map((_, i) => i)
  }

  local(type: ValType): Local {
    this.localTypes.push(type)
    return this.paramTypes.length + this.localTypes.length - 1
  }

  /** Locals as runs of (count, type), then the body and `end`. */
  encodeCode(): Code {
    const runs: [number, ValType][] = []
    for (const type of this.localTypes) {
      const last = runs[runs.length - 1]
      if (last && last[1] === type) last[0]++
      else runs.push([1, type])
    }
    const code = [...vector(runs.map(([count, type]) => [...uleb(count), type])), ...flat(this.body), 0x0b]
    return [...uleb(code.length), ...code]
  }
}

function vector(items: Code[]): Code {
  return [...uleb(items.length), ...flat(items)]
}

function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content]
}

function name(text: string): Code {
  const bytes = Array.from(text, (ch) => ch.charCodeAt(0)) // export names here are ASCII
  return [...uleb(bytes.length), ...bytes]
}

/**
 * A module of `functions` (in index order) that defines and exports one growable memory
 * (`memoryExport`, starting at `initialPages` of 64 KiB, no maximum).
 */
export function encodeModule(functions: readonly WasmFunction[], memoryExport: string, initialPages: number): Uint8Array<ArrayBuffer> {
  functions.forEach((fn, i) => {
    if (fn.index !== i) throw new Error(`wasm encoder: function ${i} has index ${fn.index}`)
  })
  const signatures: string[] = []
  const typeIndex = functions.map((fn) => {
    const key = `${fn.paramTypes.join(',')}->${fn.resultTypes.join(',')}`
    if (!signatures.includes(key)) signatures.push(key)
    return signatures.indexOf(key)
  })
  const types = signatures.map((key) => {
    const fn = functions[typeIndex.indexOf(signatures.indexOf(key))]
    return [0x60, ...vector(fn.paramTypes.map((t) => [t])), ...vector(fn.resultTypes.map((t) => [t]))]
  })
  const exported = functions.filter((fn) => fn.exportName !== undefined)
  const exports = [
    [...name(memoryExport), 0x02, 0],
    ...exported.map((fn) => [...name(fn.exportName!), 0x00, ...uleb(fn.index)])
  ]
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector(types)),
    ...section(3, vector(typeIndex.map((t) => uleb(t)))),
    ...section(5, vector([[0x00, ...uleb(initialPages)]])), // limits: min only, so it can grow
    ...section(7, vector(exports)),
    ...section(10, vector(functions.map((fn) => fn.encodeCode())))
  ])
}
