import type { Evaluation } from '@engine/protocol'
import { decimateMinMax, type Point } from './loss-history'

/** Validation accuracy at each evaluation that has one (runs with config.validation); empty otherwise. */
export function validationPoints(evaluations: readonly Evaluation[], maxPoints = 1000): Point[] {
  const points = evaluations.flatMap((e) => (e.valAcc === undefined ? [] : [{ x: e.iter, y: e.valAcc }]))
  return decimateMinMax(points, maxPoints)
}

/** Where a run stopped early, as a vertical line across the accuracy chart's 0…1; null for any other end. */
export function earlyStopLine(status: string, iter: number): Point[] | null {
  return status === 'early-stopped'
    ? [
        { x: iter, y: 0 },
        { x: iter, y: 1 }
      ]
    : null
}
