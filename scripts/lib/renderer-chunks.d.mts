// Types of renderer-chunks.mjs for the TypeScript tests that import it.
export interface Chunk {
  name: string
  bytes: number
  wasm: boolean
}
export interface Placement {
  mainThread: Chunk[]
  workers: Chunk[]
  unplaced: Chunk[]
  missing: string[]
}
export const WASM_BASE64_HEADER: string
export function htmlEntries(html: string): string[]
export function chunkReferences(text: string): { imports: string[]; workers: string[] }
export function placeChunks(html: string, chunks: Map<string, string>): Placement
export function placeBuiltChunks(rendererDir: string): Placement
export function chunkProblems(placed: Placement): string[]
