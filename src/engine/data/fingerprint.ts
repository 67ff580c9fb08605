import type { MnistDataset } from './mnist'

/*
 * A content fingerprint of a dataset: two 32-bit FNV-1a hashes (different offsets) over every image and
 * label byte and the split sizes, as 16 hex digits. A model records the fingerprint of the data it was
 * trained on, so evaluating it on other data can say so. Computed once per dataset (~0.1 s for 70,000
 * images) and cached.
 */
const cache = new WeakMap<MnistDataset, string>()

export function datasetFingerprint(dataset: MnistDataset): string {
  let known = cache.get(dataset)
  if (known === undefined) {
    known = computeFingerprint(dataset)
    cache.set(dataset, known)
  }
  return known
}

function computeFingerprint(dataset: MnistDataset): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  const mix = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) {
      a = Math.imul(a ^ bytes[i], 0x01000193)
      b = Math.imul(b ^ bytes[i], 0x01000193)
    }
  }
  for (const split of [dataset.train, dataset.test]) {
    mix(new Uint8Array(new Uint32Array([split.count, split.rows, split.cols]).buffer))
    mix(split.images)
    mix(split.labels)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}
