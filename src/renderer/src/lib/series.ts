import type { Evaluation } from '@engine/protocol'
import { decimateMinMax, type Point } from './loss-history'
import { smooth, type Smoothing } from './smoothing'

/** Points per chart line: enough for a smooth plot, few enough to redraw ten times a second. */
export const CHART_POINTS = 1000

/**
 * The loss chart's two lines from the losses at stored resolution: smoothing works on all of them (not on
 * the thinned ones, which would bias it towards the extremes), then both lines are thinned for drawing.
 */
export function lossLines(points: readonly Point[], smoothing: Smoothing, maxPoints = CHART_POINTS): { raw: Point[]; smoothed: Point[] | null } {
  const raw = decimateMinMax(points, maxPoints)
  if (smoothing.kind === 'none') return { raw, smoothed: null }
  // The smoothed line has no spikes to keep: half the points draw it just as well.
  return { raw, smoothed: decimateMinMax(smooth(points, smoothing), Math.max(2, Math.floor(maxPoints / 2))) }
}

export function accuracyLine(evaluations: readonly Evaluation[], which: 'trainAcc' | 'testAcc', maxPoints = CHART_POINTS): Point[] {
  return decimateMinMax(
    evaluations.map((e) => ({ x: e.iter, y: e[which] })),
    maxPoints
  )
}

export interface LayerGradientLine {
  depth: number
  name: string
  points: Point[]
}

/**
 * Mean |∂L/∂W| per layer over the evaluations, for a log-scale chart: a zero (nothing flows at all) or a
 * non-finite value cannot be drawn on a log axis and becomes a gap.
 */
export function gradientLines(evaluations: readonly Evaluation[], maxPoints = CHART_POINTS): LayerGradientLine[] {
  const byDepth = new Map<number, LayerGradientLine>()
  for (const e of evaluations) {
    for (const layer of e.layers ?? []) {
      let line = byDepth.get(layer.depth)
      if (!line) {
        line = { depth: layer.depth, name: layer.name, points: [] }
        byDepth.set(layer.depth, line)
      }
      const y = layer.meanAbsGrad > 0 && Number.isFinite(layer.meanAbsGrad) ? layer.meanAbsGrad : Number.NaN
      line.points.push({ x: e.iter, y })
    }
  }
  return [...byDepth.values()].sort((a, b) => a.depth - b.depth).map((line) => ({ ...line, points: decimateMinMax(line.points, maxPoints) }))
}

/** The latest evaluation that carries layer statistics. */
export function latestLayers(evaluations: readonly Evaluation[]): Evaluation | null {
  for (let i = evaluations.length - 1; i >= 0; i--) if (evaluations[i].layers?.length) return evaluations[i]
  return null
}
