import { readdirSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeBase64 } from '../../../src/engine/kernels/base64'
import {
  F32_KERNELS_PLAIN_FMA_WASM,
  F32_KERNELS_PLAIN_WASM,
  F32_KERNELS_SHARED_FMA_WASM,
  F32_KERNELS_SHARED_WASM
} from '../../../src/engine/kernels/f32/compiled-module'
import { OPTIMIZER_UPDATES } from '../../../src/engine/kernels/f32/optimizer-updates'
import { relaxedSimdRuns } from '../../../src/engine/kernels/f32/relaxed-simd'
import { F64_KERNELS_WASM } from '../../../src/engine/kernels/f64/compiled-module'

// The fused builds compile only once relaxed SIMD is on (Node 20 needs its flag; the kernels turn it on).
relaxedSimdRuns((bytes) => WebAssembly.validate(bytes), decodeBase64(F32_KERNELS_SHARED_FMA_WASM))

/*
 * Each compiled module exports exactly the kernels its wrappers call, and the pairs line up:
 * assembly/<dtype>/<name>.ts defines what <dtype>/<name>.ts declares (the interface it documents as
 * "The compiled kernels this file calls") and calls. Read from the sources, so a kernel added, renamed or dropped on one side only fails here.
 */
const KERNELS = resolve(import.meta.dirname, '../../../src/engine/kernels')
const source = (path: string): string => readFileSync(resolve(KERNELS, path), 'utf8')
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort()

/** The function names a compiled module exports. */
function moduleFunctions(base64: string): string[] {
  const module = new WebAssembly.Module(decodeBase64(base64))
  return sorted(
    WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name)
  )
}

/** The kernels a wrapper calls: `kernels.name(…)`, and optimizer-updates.ts's updates, called by name. */
function calls(file: string, text: string): string[] {
  const direct = [...text.matchAll(/\bkernels\.(\w+)\(/g)].map((m) => m[1])
  return sorted(file === 'optimizer-updates.ts' ? [...direct, ...OPTIMIZER_UPDATES] : direct)
}

/** The functions a wrapper declares: the interface documented as "The compiled kernels this file calls". */
function declared(text: string): string[] {
  const body = text.match(/The compiled kernels this file calls[\s\S]*?\*\/\n(?:export )?interface \w+ \{\n([\s\S]*?)\n\}/)?.[1] ?? ''
  return sorted([...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]))
}

/** The functions an AssemblyScript file exports. */
function defined(text: string): string[] {
  return sorted([...text.matchAll(/^export function (\w+)/gm)].map((m) => m[1]))
}

const dtypes = [
  { dtype: 'f32', modules: { F32_KERNELS_SHARED_WASM, F32_KERNELS_PLAIN_WASM, F32_KERNELS_SHARED_FMA_WASM, F32_KERNELS_PLAIN_FMA_WASM } },
  { dtype: 'f64', modules: { F64_KERNELS_WASM } }
]

describe.each(dtypes)('the $dtype kernels and their wrappers', ({ dtype, modules }) => {
  const kernelSources = readdirSync(resolve(KERNELS, 'assembly', dtype)).filter((f) => f.endsWith('.ts'))
  const wrappers = readdirSync(resolve(KERNELS, dtype)).filter((f) => f.endsWith('.ts'))

  it('pair file by file: every assembly file has a wrapper of its name that declares, defines and calls the same kernels', () => {
    for (const file of kernelSources) {
      expect(wrappers, `${dtype}/${file} wraps assembly/${dtype}/${file}`).toContain(file)
      const wrapper = source(`${dtype}/${file}`)
      const kernels = defined(source(`assembly/${dtype}/${file}`))
      expect(declared(wrapper), `${dtype}/${file} declares what assembly/${dtype}/${file} exports`).toEqual(kernels)
      expect(calls(file, wrapper), `${dtype}/${file} calls what it declares`).toEqual(kernels)
    }
  })

  it.each(Object.entries(modules))('the compiled module %s exports exactly what the wrappers call', (_, base64) => {
    const called = sorted(wrappers.flatMap((file) => calls(basename(file), source(`${dtype}/${file}`))))
    expect(called.length).toBeGreaterThan(0)
    expect(moduleFunctions(base64)).toEqual(called)
  })
})
