/**
 * `npm test`'s bundle check (scripts/lib/renderer-chunks.mjs): which built chunks run on the page's main
 * thread and which only in a worker, on a small build written the way Vite writes one, and each way the
 * check must fail.
 */
import { describe, expect, it } from 'vitest'
import { chunkProblems, chunkReferences, placeChunks } from '../../scripts/lib/renderer-chunks.mjs'

const WASM = 'const m = "AGFzbQEAAAAB"'
const HTML = `<script type="module" crossorigin src="./assets/index-A1.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/shapes-B2.js">
    <link rel="stylesheet" crossorigin href="./assets/index-C3.css">`

/** A build like ours: the first bundle, a shared chunk, a view loaded on demand with its layers, the engine worker. */
function build(overrides: Record<string, string> = {}): Map<string, string> {
  return new Map(
    Object.entries({
      'index-A1.js': `import { a } from "./shapes-B2.js";
const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./paths-D4.js","./layer-E5.js","./shapes-B2.js","assets/index-C3.css"])))=>i.map(i=>d[i]);
const load = () => __vitePreload(() => import("./paths-D4.js"), __vite__mapDeps([0,1,2]));
function createEngineWorker() { return new Worker(new URL(/* @vite-ignore */ new URL("web-worker-F6.js", import.meta.url).href, "" + import.meta.url), { type: "module" }) }`,
      'shapes-B2.js': 'export const a = 1',
      'paths-D4.js': 'import { l } from "./layer-E5.js"; import { a } from "./shapes-B2.js"',
      'layer-E5.js': 'export const l = 2',
      'web-worker-F6.js': `import "./kernels-G7.js"\nimport { a } from "./shapes-B2.js"`,
      'kernels-G7.js': WASM,
      ...overrides
    })
  )
}

const names = (chunks: { name: string }[]) => chunks.map((c) => c.name)

describe("the renderer's chunks, main thread or worker", () => {
  it('reads static, dynamic and preload-list imports, and workers started by URL', () => {
    const refs = chunkReferences(build().get('index-A1.js')!)
    expect(refs.imports.sort()).toEqual(['layer-E5.js', 'paths-D4.js', 'shapes-B2.js'])
    expect(refs.workers).toEqual(['web-worker-F6.js'])
  })

  it('places every chunk; one both reach is the main thread’s', () => {
    const placed = placeChunks(HTML, build())
    expect(names(placed.mainThread)).toEqual(['index-A1.js', 'layer-E5.js', 'paths-D4.js', 'shapes-B2.js'])
    expect(names(placed.workers)).toEqual(['kernels-G7.js', 'web-worker-F6.js'])
    expect(placed.unplaced).toEqual([])
    expect(placed.missing).toEqual([])
    expect(placed.workers.find((c) => c.name === 'kernels-G7.js')).toMatchObject({ wasm: true, bytes: WASM.length })
    expect(chunkProblems(placed)).toEqual([])
  })

  it('fails when a chunk the main thread loads on demand carries the kernels (the layers chunk of the optimizer lesson)', () => {
    const problems = chunkProblems(placeChunks(HTML, build({ 'layer-E5.js': `export const l = 2; ${WASM}` })))
    expect(problems).toEqual([expect.stringMatching(/^main-thread chunk layer-E5\.js carries compiled WebAssembly/)])
  })

  it('fails when the first bundle carries them', () => {
    const problems = chunkProblems(placeChunks(HTML, build({ 'shapes-B2.js': WASM })))
    expect(problems).toContainEqual(expect.stringMatching(/^main-thread chunk shapes-B2\.js/))
  })

  it('fails when no worker carries them (the browser engine would compute without its kernels)', () => {
    expect(chunkProblems(placeChunks(HTML, build({ 'kernels-G7.js': 'export {}' })))).toEqual([expect.stringMatching(/no worker chunk carries/)])
  })

  it('fails on a chunk it cannot place, or a reference to a chunk that is not there', () => {
    const stray = placeChunks(HTML, build({ 'stray-H8.js': 'export {}' }))
    expect(chunkProblems(stray)).toEqual([expect.stringMatching(/chunk stray-H8\.js is reached neither/)])
    const gone = build()
    gone.delete('layer-E5.js')
    expect(chunkProblems(placeChunks(HTML, gone))).toEqual(['a chunk refers to layer-E5.js, which is not in the build'])
  })

  it('fails without a first bundle', () => {
    expect(chunkProblems(placeChunks('<html></html>', build()))).toContain('no index-*.js reached from index.html')
  })
})
