/** `npm run bench`'s output: the human table, or JSON lines (`--json`), and the ratios both show. */
import type { GemmRow } from './gemm-rows'
import type { Impl, NetId } from './peers/types'

export interface BenchRow {
  name: NetId
  impl: Impl
  threads: number
  dtype: 'float32' | 'float64'
  stepSeconds: number
  evalSeconds: number
  /** Timed steps / evaluations the medians are of. */
  steps?: number
  evals?: number
  /** Each round's median step, where a row was timed in alternating rounds (bench/run.ts's roundsFor). */
  roundStepSeconds?: number[]
  /** Each round's median 100-image evaluation, likewise. */
  roundEvalSeconds?: number[]
}

export interface RatioRow {
  name: NetId
  /** "engine/<peer>": the peer's seconds over the engine's, > 1 = engine faster. */
  ratio: string
  step: number
  eval: number
  /**
   * Rounds paired: both rows were timed in the same alternating rounds, so step and eval are the medians of each
   * round's own ratio (the machine's speed drifts between rounds; within one, engine and peer share it), and
   * stepOfMedians is the ratio of the rows' medians for comparison.
   */
  pairedRounds?: number
  stepOfMedians?: number
}

/** The middle value (the upper of the two middle ones for an even count), as every bench row reports. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Each round's peer/base ratio, when both rows have the same number (> 1) of rounds. */
function pairedRatios(base: number[] | undefined, peer: number[] | undefined): number[] | null {
  if (!base || !peer || base.length < 2 || base.length !== peer.length) return null
  return base.map((b, i) => peer[i] / b)
}

const PEERS: Impl[] = ['numpy-f32', 'numpy-f64', 'tfjs-wasm', 'engine-ts']

/** The engine's default row against each peer's, per net; plus engine float64 vs numpy-f64 when distinct. */
export function ratios(rows: BenchRow[]): RatioRow[] {
  const out: RatioRow[] = []
  const nets = [...new Set(rows.map((r) => r.name))]
  for (const name of nets) {
    const engine = rows.find((r) => r.name === name && r.impl === 'engine')
    if (!engine) continue
    const ratio = (label: string, base: BenchRow, peer: BenchRow | undefined) => {
      if (!peer) return
      const step = pairedRatios(base.roundStepSeconds, peer.roundStepSeconds)
      const evals = pairedRatios(base.roundEvalSeconds, peer.roundEvalSeconds)
      const ofMedians = { step: peer.stepSeconds / base.stepSeconds, eval: peer.evalSeconds / base.evalSeconds }
      if (!step) out.push({ name, ratio: label, ...ofMedians })
      else
        out.push({
          name,
          ratio: label,
          step: median(step),
          eval: evals ? median(evals) : ofMedians.eval,
          pairedRounds: step.length,
          stepOfMedians: ofMedians.step
        })
    }
    // PyTorch at the engine's thread counts: engine/pytorch on the default row's threads, then 1 thread.
    ratio(
      'engine/pytorch',
      engine,
      rows.find((r) => r.name === name && r.impl === 'pytorch' && r.threads === engine.threads)
    )
    const engine1 = rows.find((r) => r.name === name && r.impl === 'engine' && r.dtype === 'float32' && r.threads === 1)
    if (engine1 && engine1 !== engine)
      ratio(
        'engine-1-thread/pytorch-1-thread',
        engine1,
        rows.find((r) => r.name === name && r.impl === 'pytorch' && r.threads === 1)
      )
    for (const impl of PEERS)
      ratio(
        `engine/${impl}`,
        engine,
        rows.find((r) => r.name === name && r.impl === impl)
      )
    const f64 = rows.find((r) => r.name === name && r.impl === 'engine' && r !== engine && r.dtype === 'float64')
    if (f64)
      ratio(
        'engine-float64/numpy-f64',
        f64,
        rows.find((r) => r.name === name && r.impl === 'numpy-f64')
      )
  }
  return out
}

const round = (value: number, digits: number) => Number(value.toPrecision(digits))

export function printJson(rows: BenchRow[], gemm: GemmRow[], ratioRows: RatioRow[], extra: object[]): void {
  const line = (value: object) => process.stdout.write(JSON.stringify(value) + '\n')
  for (const r of rows)
    line({
      ...r,
      stepSeconds: round(r.stepSeconds, 4),
      evalSeconds: round(r.evalSeconds, 4),
      ...(r.roundStepSeconds ? { roundStepSeconds: r.roundStepSeconds.map((v) => round(v, 4)) } : {}),
      ...(r.roundEvalSeconds ? { roundEvalSeconds: r.roundEvalSeconds.map((v) => round(v, 4)) } : {})
    })
  for (const g of gemm) line({ name: g.name, impl: g.impl, gflops: round(g.gflops, 4), backend: g.backend, dtype: g.dtype, threads: g.threads })
  for (const r of ratioRows)
    line({ ...r, step: round(r.step, 3), eval: round(r.eval, 3), ...(r.stepOfMedians ? { stepOfMedians: round(r.stepOfMedians, 3) } : {}) })
  for (const e of extra) line(e)
}

const ms = (seconds: number) => {
  const v = seconds * 1000
  return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)).padStart(9)
}
const times = (value: number) => `×${value.toFixed(2)}`

export function printHuman(header: string, rows: BenchRow[], gemm: GemmRow[], ratioRows: RatioRow[], notes: string[]): void {
  const log = (text = '') => process.stdout.write(text + '\n')
  log(header)
  log()
  log('net          impl        dtype    threads  step ms  eval ms/100  timed (steps/evals)')
  let previous = ''
  for (const r of rows) {
    const net = r.name === previous ? '' : r.name
    previous = r.name
    log(
      `${net.padEnd(12)} ${r.impl.padEnd(11)} ${r.dtype.padEnd(8)} ${String(r.threads).padStart(7)} ${ms(r.stepSeconds)}    ${ms(r.evalSeconds)}  ${r.steps ?? '?'}/${r.evals ?? '?'}`
    )
  }
  if (ratioRows.length > 0) {
    log()
    log('Engine speed over each peer, same run: peer seconds / engine seconds (>1 = engine faster)')
    log('net          ratio                              step      eval')
    previous = ''
    for (const r of ratioRows) {
      const net = r.name === previous ? '' : r.name
      previous = r.name
      const paired = r.pairedRounds ? `  median of ${r.pairedRounds} rounds' own ratios (ratio of the medians: step ${times(r.stepOfMedians!)})` : ''
      log(`${net.padEnd(12)} ${r.ratio.padEnd(32)} ${times(r.step).padStart(8)}  ${times(r.eval).padStart(8)}${paired}`)
    }
  }
  if (gemm.length > 0) {
    log()
    log(
      "Matrix product C = A·B (m×k)(k×n), dense random operands (the engine's float32 ones in the kernels' memory, as its layers keep them): GFLOP/s (2·m·k·n per product, fastest run)"
    )
    const variants = [...new Set(gemm.map((g) => `${g.impl} ${g.dtype} ×${g.threads}`))]
    log(`  ${'shape'.padEnd(22)} ${variants.map((v) => v.padStart(20)).join('')}  layer`)
    for (const name of [...new Set(gemm.map((g) => g.name))]) {
      const cells = variants.map((v) => gemm.find((g) => g.name === name && `${g.impl} ${g.dtype} ×${g.threads}` === v))
      log(`  ${name.padEnd(22)} ${cells.map((g) => (g ? g.gflops.toFixed(2) : '').padStart(20)).join('')}  ${cells.find(Boolean)?.what ?? ''}`)
    }
  }
  if (notes.length > 0) {
    log()
    for (const note of notes) log(note)
  }
}
