/** Median and minimum of `reps` timed calls after `warmup` untimed ones, in milliseconds. */
export function timeIt(fn: () => void, reps: number, warmup = 3): { medianMs: number; minMs: number } {
  for (let i = 0; i < warmup; i++) fn()
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0] }
}
