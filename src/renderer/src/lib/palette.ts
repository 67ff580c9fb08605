/**
 * Line styles for overlaid runs: a colour AND a dash pattern each, so lines stay apart for colour-blind
 * students and in greyscale print. Colours from the Okabe–Ito palette (yellow darkened for white paper).
 * The two lists have coprime lengths, so the first 56 runs all get distinct pairs.
 */
export const LINE_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8a6d00', '#56B4E9', '#1a1d23', '#E69F00'] as const
export const LINE_DASHES: readonly number[][] = [[], [8, 4], [2, 3], [12, 3, 3, 3], [4, 4], [14, 5], [1, 2]]

export interface LineStyle {
  color: string
  dash: number[]
}

export function lineStyle(index: number): LineStyle {
  const i = Math.max(0, Math.floor(index))
  return { color: LINE_COLORS[i % LINE_COLORS.length], dash: [...LINE_DASHES[i % LINE_DASHES.length]] }
}

/** Layer lines in the gradient-flow chart: first layer warm, last layer cool, each with its own dash. */
export const DEPTH_COLORS = ['#b42318', '#d97706', '#15803d', '#0e7490', '#2563eb', '#7c3aed', '#be185d', '#57534e'] as const

export function depthStyle(depth: number): LineStyle {
  const i = Math.max(0, depth - 1)
  return { color: DEPTH_COLORS[i % DEPTH_COLORS.length], dash: [...LINE_DASHES[i % LINE_DASHES.length]] }
}
