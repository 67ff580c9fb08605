/**
 * Which build of the float32 kernels a runtime gets, decided once when the kernels are created: the one
 * whose products use relaxed SIMD's fused multiply-add (f32x4.relaxed_madd) wherever the runtime accepts
 * it, else the plain-SIMD one (a multiply, then an add).
 *
 * Where it runs: Chromium and Electron accept relaxed SIMD; Node 20 only behind V8's
 * --experimental-wasm-relaxed-simd, which is turned on here (flags are the process's, so kernel threads
 * started later have it too). Every Node entry (the lab CLI, tests, benchmarks, worker threads) and every
 * Chromium-based host therefore runs the same build.
 *
 * Same numbers on every host: V8 turns relaxed_madd into one fused instruction (one rounding) on every
 * x86-64 processor with FMA3 (Intel since Haswell, 2013; AMD since Piledriver, 2012) and on every 64-bit
 * ARM (fmla). A float32 run differs in its last bits only on an x86 processor without FMA3 (older ones,
 * and Intel Atom, Pentium and Celeron parts before Gracemont), where V8 multiplies then adds, and in a
 * runtime without relaxed SIMD (Safari), which gets the plain build: both round twice. The float64
 * kernels are a separate module and never fuse.
 */

/** Node's V8 flag for relaxed SIMD, through process.getBuiltinModule (Node ≥ 20.16) so the engine imports no Node module. */
function enableNodeRelaxedSimd(): boolean {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const v8 = process?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined
  if (!v8?.setFlagsFromString) return false
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd')
  return true
}

/** Whether `fused` (the relaxed-SIMD build) runs here, turning relaxed SIMD on first where the runtime needs a flag. */
export function relaxedSimdRuns<Bytes extends Uint8Array>(validate: (bytes: Bytes) => boolean, fused: Bytes): boolean {
  if (validate(fused)) return true
  return enableNodeRelaxedSimd() && validate(fused)
}
