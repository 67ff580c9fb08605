/**
 * The renderer's first bundle stays free of the layers and the WebAssembly kernels: every engine file its
 * static imports reach, all the way down, is pure (protocol, settings, shapes). The lint rule checks each
 * import the renderer writes; this follows what those modules import in turn.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importsOf, reachable, ROOT } from './import-graph'

/** Engine code that must load only in an engine host (or in a chunk loaded on demand). */
const HOST_ONLY =
  /^src\/engine\/(layers|optimizers|train|session|explain|landscape|inspect|hosts\/(node|web)|kernels\/(f32|f64|threads|assembly|backends?)\/|kernels\/(backend|gemm)\.ts|model\/(build|build-layers|network)\.ts)/

/** The compiled kernels and what loads them: only an engine host installs them (kernels/install-wasm-backends.ts). */
const COMPILED_KERNELS = /^src\/engine\/kernels\/((f32|f64|threads|assembly)\/|install-wasm-backends\.ts|backends\/wasm-f32\.ts)/

function rendererFiles(): string[] {
  const dir = join(ROOT, 'src/renderer/src')
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(ts|vue)$/.test(f) && !f.endsWith('.d.ts')).map((f) => join(dir, f))
}

const engineFilesReached = (entries: string[]): string[] => [...reachable(entries)].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('src/engine/'))

describe("the renderer's imports of the engine", () => {
  it('reach no layer, optimizer, kernel module or engine host through static imports', () => {
    const reached = engineFilesReached(rendererFiles())
    expect(reached).toContain('src/engine/model/layer-plan.ts') // the walk does reach into the engine
    expect(reached.filter((f) => HOST_ONLY.test(f))).toEqual([])
  })

  it('reach no compiled kernel even through what they load on demand (the optimizer paths, the PyTorch export)', () => {
    const reached = [...reachable(rendererFiles(), true)].map((f) => relative(ROOT, f))
    expect(reached).toContain('src/engine/kernels/backend.ts') // the lazy chunks do reach the layers and the registry
    expect(reached.filter((f) => COMPILED_KERNELS.test(f))).toEqual([])
    const installed = engineFilesReached([join(ROOT, 'src/engine/kernels/install-wasm-backends.ts')])
    expect(installed).toContain('src/engine/kernels/f32/compiled-module.ts') // the pattern names what carries them
    expect(installed).toContain('src/engine/kernels/f64/compiled-module.ts')
  })

  it("follows imports all the way down (a model file's network builder reaches the layers through two files)", () => {
    const reached = engineFilesReached([join(ROOT, 'src/engine/model-file/model-network.ts')])
    expect(reached).toContain('src/engine/layers/conv2d.ts')
    expect(reached.filter((f) => HOST_ONLY.test(f))).toContain('src/engine/model/build-layers.ts')
  })

  it('read imports as the bundler does: type-only imports are erased, dynamic ones start a chunk', () => {
    const sites = importsOf(join(ROOT, 'src/renderer/src/views/OptimizersView.vue'))
    expect(sites).toContainEqual({ specifier: '@engine/visual/optimizer-paths', dynamic: true })
    expect(sites).toContainEqual({ specifier: '@engine/visual/path-settings', dynamic: false })
    const typeOnly = importsOf(join(ROOT, 'src/renderer/src/lib/data/augment-form.ts'))
    expect(typeOnly.map((s) => s.specifier)).not.toContain('@engine/data/augment')
  })
})
