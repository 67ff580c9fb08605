/* The import pipeline's public face: hosts pass a list of files, and may hand over the WebP codec's wasm. */
export { importImageSet, DEFAULT_SEED, DEFAULT_TEST_SPLIT } from './import-image-set'
export type { ImportOptions, ImportProgress, ImportResult, ImportSource, SkippedFile, SourceFile } from './import-types'
export { setWebpWasmLoader, type WebpWasmLoader } from './webp-codec'
export { MAX_IMAGE_PIXELS } from './image-header'
