/** Chart scales for the sweep plots: linear or log (base 10), mapping a data range onto pixels. */
export interface Scale {
  (value: number): number
  ticks: number[]
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain[0] === domain[1] ? [domain[0] - 0.5, domain[1] + 0.5] : domain
  const f = ((v: number) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0])) as Scale
  const step = niceStep((d1 - d0) / 4)
  f.ticks = []
  for (let v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) f.ticks.push(Number(v.toPrecision(12)))
  return f
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const lo = Math.log10(Math.max(domain[0], Number.MIN_VALUE))
  const hi = Math.log10(Math.max(domain[1], Number.MIN_VALUE))
  const [l0, l1] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi]
  const f = ((v: number) => range[0] + ((Math.log10(v) - l0) / (l1 - l0)) * (range[1] - range[0])) as Scale
  f.ticks = []
  for (let e = Math.ceil(l0); e <= Math.floor(l1); e++) f.ticks.push(10 ** e)
  // A range of a decade or two gets 2 and 5 of each decade as well; one without any of those, its ends.
  if (f.ticks.length < 3) {
    f.ticks = []
    for (let e = Math.floor(l0); e <= Math.ceil(l1); e++)
      for (const m of [1, 2, 5]) if (Math.log10(m * 10 ** e) >= l0 && Math.log10(m * 10 ** e) <= l1) f.ticks.push(m * 10 ** e)
  }
  if (f.ticks.length < 2) f.ticks = [10 ** l0, 10 ** l1]
  return f
}

/** The range of the values, padded by a twentieth of it on each side (a multiplicative pad on a log scale). */
export function paddedExtent(values: readonly number[], log: boolean): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0))
  if (finite.length === 0) return log ? [1, 10] : [0, 1]
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  if (log) {
    const pad = (hi / lo) ** 0.05 || 1
    return lo === hi ? [lo / 2, hi * 2] : [lo / pad, hi * pad]
  }
  const pad = (hi - lo) * 0.05
  return lo === hi ? [lo - 0.01, hi + 0.01] : [lo - pad, hi + pad]
}

function niceStep(raw: number): number {
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const m = raw / power
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power
}

/** Compact numbers for axes: 1.2k, 3.4M, 0.95. */
export function shortNumber(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e9) return `${trim(v / 1e9)}G`
  if (a >= 1e6) return `${trim(v / 1e6)}M`
  if (a >= 1e3) return `${trim(v / 1e3)}k`
  if (a === 0) return '0'
  if (a < 0.001) return v.toExponential(0)
  return trim(v)
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)))
}
