// Which of the renderer's built chunks run on the page's main thread and which only in a Web Worker, read
// from the build itself (out/renderer): the main thread runs what index.html loads and everything those
// chunks import, statically or on demand; a worker is a chunk the page starts by URL (Vite writes
// `new URL("name.js", import.meta.url)` for `new Worker(new URL(...))`), with everything it imports. A chunk
// both reach counts as the main thread's. `npm test` uses it to keep the compiled kernels out of the main thread.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** "AgFzbQ…" is how base64 begins a WebAssembly module ("\0asm"). */
export const WASM_BASE64_HEADER = 'AGFzbQ'

const JS = String.raw`[\w.~-]+\.js`

/** The chunks index.html loads: module scripts and module preloads, as names inside assets/. */
export function htmlEntries(html) {
  const names = []
  for (const m of html.matchAll(new RegExp(String.raw`<(?:script|link)\b[^>]*\b(?:src|href)="\.?\/?assets\/(${JS})"`, 'g'))) names.push(m[1])
  return names
}

/**
 * What one chunk refers to: `imports`, the chunks it imports (`from "./x.js"`, `import "./x.js"`,
 * `import("./x.js")`, and the lists of Vite's preload helper, `"./x.js"` or `"assets/x.js"`), and `workers`,
 * the chunks it starts by URL (`new URL("x.js", import.meta.url)`).
 */
export function chunkReferences(text) {
  const imports = new Set()
  const workers = new Set()
  const patterns = [
    new RegExp(String.raw`\bfrom\s*["']\.\/(${JS})["']`, 'g'),
    new RegExp(String.raw`\bimport\s*\(?\s*["']\.\/(${JS})["']`, 'g'),
    new RegExp(String.raw`__vite__mapDeps[\s\S]*?\[([^\]]*)\]`, 'g')
  ]
  for (const m of text.matchAll(patterns[0])) imports.add(m[1])
  for (const m of text.matchAll(patterns[1])) imports.add(m[1])
  for (const m of text.matchAll(patterns[2])) for (const d of m[1].matchAll(new RegExp(String.raw`["'](?:\.\/|assets\/)(${JS})["']`, 'g'))) imports.add(d[1])
  for (const m of text.matchAll(new RegExp(String.raw`new\s+URL\(\s*["']\.?\/?(?:assets\/)?(${JS})["']\s*,\s*import\.meta\.url`, 'g'))) workers.add(m[1])
  return { imports: [...imports], workers: [...workers] }
}

function closure(starts, chunks) {
  const seen = new Set()
  const queue = [...starts]
  while (queue.length) {
    const name = queue.pop()
    if (seen.has(name) || !chunks.has(name)) continue
    seen.add(name)
    queue.push(...chunkReferences(chunks.get(name)).imports)
  }
  return seen
}

/**
 * Places every chunk: `mainThread` (reached from index.html), `workers` (reached only from a chunk started
 * by URL), `unplaced` (reached from neither: the test cannot tell where it runs), and `missing` (named by a
 * reference, not in the folder). Each entry: { name, bytes, wasm } (wasm: carries a base64 module).
 * `chunks` maps a file name to its text.
 */
export function placeChunks(html, chunks) {
  const main = closure(htmlEntries(html), chunks)
  const workerEntries = new Set()
  for (const text of chunks.values()) for (const w of chunkReferences(text).workers) workerEntries.add(w)
  const inWorkers = closure(workerEntries, chunks)
  const describe = (name) => ({ name, bytes: Buffer.byteLength(chunks.get(name), 'latin1'), wasm: chunks.get(name).includes(WASM_BASE64_HEADER) })
  const names = [...chunks.keys()].sort()
  const referenced = [...htmlEntries(html), ...workerEntries, ...[...chunks.values()].flatMap((t) => chunkReferences(t).imports)]
  return {
    mainThread: names.filter((n) => main.has(n)).map(describe),
    workers: names.filter((n) => !main.has(n) && inWorkers.has(n)).map(describe),
    unplaced: names.filter((n) => !main.has(n) && !inWorkers.has(n)).map(describe),
    missing: [...new Set(referenced.filter((n) => !chunks.has(n)))].sort()
  }
}

/** `placeChunks` of a built renderer folder (out/renderer: index.html and assets/). */
export function placeBuiltChunks(rendererDir) {
  const assets = join(rendererDir, 'assets')
  const chunks = new Map(
    readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => [name, readFileSync(join(assets, name), 'latin1')])
  )
  return placeChunks(readFileSync(join(rendererDir, 'index.html'), 'utf8'), chunks)
}

/** The problems with a placement, one line each: none is a pass. */
export function chunkProblems(placed) {
  const problems = []
  if (!placed.mainThread.some((c) => /^index-.*\.js$/.test(c.name))) problems.push('no index-*.js reached from index.html')
  for (const c of placed.mainThread.filter((c) => c.wasm))
    problems.push(`main-thread chunk ${c.name} carries compiled WebAssembly (base64): only engine hosts install the kernels (kernels/install-wasm-backends.ts)`)
  if (!placed.workers.some((c) => c.wasm)) problems.push("no worker chunk carries the compiled kernels: the browser host's engine would run without them")
  for (const c of placed.unplaced) problems.push(`chunk ${c.name} is reached neither from index.html nor from a worker: cannot tell where it runs`)
  for (const name of placed.missing) problems.push(`a chunk refers to ${name}, which is not in the build`)
  return problems
}
