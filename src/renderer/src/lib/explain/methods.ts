/*
 * The engine's attribution methods (src/engine/explain/) as the renderer names them, and which of their
 * maps are signed (evidence for and against the class) and which are magnitudes (|·|, or ReLU'd Grad-CAM).
 * A signed map needs a diverging colour scale centred on 0; a magnitude map a sequential one from 0.
 */
export const EXPLAIN_METHODS = ['saliency', 'gradxinput', 'smoothgrad', 'integrated', 'occlusion', 'gradcam'] as const
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number]

/** Saliency and SmoothGrad sum |gradient|; Grad-CAM is ReLU'd. The others can push either way. */
const SIGNED: ReadonlySet<string> = new Set(['gradxinput', 'integrated', 'occlusion'])

export type MapKind = 'signed' | 'magnitude'

export function mapKind(method: string): MapKind {
  return SIGNED.has(method) ? 'signed' : 'magnitude'
}

export function isExplainMethod(value: string): value is ExplainMethod {
  return (EXPLAIN_METHODS as readonly string[]).includes(value)
}

/** Class probabilities from scores before softmax (shifted by the largest score so exp cannot overflow). */
export function softmax(scores: readonly number[]): number[] {
  if (scores.length === 0) return []
  const top = Math.max(...scores)
  const exps = scores.map((s) => Math.exp(s - top))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}
