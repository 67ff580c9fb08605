/** The nets every implementation is timed on (preset ids). */
export const NET_IDS = ['vg-relu-he', 'cnn-simple', 'cnn-deep'] as const
export type NetId = (typeof NET_IDS)[number]

export type Impl = 'engine' | 'engine-ts' | 'pytorch' | 'numpy-f32' | 'numpy-f64' | 'tfjs-wasm'

/** One net timed by one implementation: median seconds per training step and per 100-image forward. */
export interface PeerRow {
  name: NetId
  stepSeconds: number
  evalSeconds: number
}

/** A peer's rows, or the one-line reason it could not run. */
export type PeerResult = { rows: PeerRow[]; threads: number; dtype: 'float32' | 'float64'; notes: string[] } | { skipped: string }
