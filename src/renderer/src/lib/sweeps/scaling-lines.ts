/** The scaling lesson's ways of scaling, in the order the paper draws them. */
export const SCALING_AXES = ['depth', 'width', 'resolution', 'compound'] as const
export type ScalingAxis = (typeof SCALING_AXES)[number]

/** `scale-width-2` → {axis: 'width', phi: 2}; `scale-base` → φ = 0 of every axis; anything else → null. */
export function scalingStep(presetId: string | null | undefined): { axis: ScalingAxis | 'base'; phi: number } | null {
  if (presetId === 'scale-base') return { axis: 'base', phi: 0 }
  const match = /^scale-(depth|width|resolution|compound)-(\d+)$/.exec(presetId ?? '')
  return match ? { axis: match[1] as ScalingAxis, phi: Number(match[2]) } : null
}

/**
 * One line per way of scaling, from the base net through φ = 1, 2, 3, as the paper's figures draw them:
 * the points of each line in φ order, the base point first on every line.
 */
export function scalingLines<T extends { presetId: string | null }>(points: readonly T[]): Array<{ axis: ScalingAxis; points: T[] }> {
  const base = points.filter((p) => scalingStep(p.presetId)?.axis === 'base')
  return SCALING_AXES.map((axis) => {
    const steps = points
      .map((p) => ({ p, step: scalingStep(p.presetId) }))
      .filter((x) => x.step?.axis === axis)
      .sort((a, b) => a.step!.phi - b.step!.phi)
      .map((x) => x.p)
    return { axis, points: steps.length > 0 ? [...base, ...steps] : [] }
  }).filter((line) => line.points.length > 1)
}
