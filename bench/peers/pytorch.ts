/**
 * PyTorch on the CPU as a peer: the course's three nets (bench/peers/pytorch_step.py, the definitions of
 * shared/bench/pytorch-reference), float32, batch 100, He init, Adam 0.001 (ε 1e-7) for the conv nets and
 * SGD 0.1 for the MLP, on the same real digits as the engine, with the engine's warm-up and repetition
 * counts, at each thread count asked (torch.set_num_threads). Runs under PYTORCH_PYTHON or /usr/bin/python3
 * (Debian's python3-torch; the pyenv `python3` on PATH has no torch) when `import torch` works there;
 * otherwise it is skipped with the reason.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { NetId, PeerRow } from './types'

const SCRIPT = resolve(import.meta.dirname, 'pytorch_step.py')
export const PYTORCH_PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3'

/** torch's version, or the one-line reason PyTorch cannot run here. */
export function pytorchAvailable(): { version: string } | { skipped: string } {
  const probe = spawnSync(PYTORCH_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' })
  if (probe.error) return { skipped: `${PYTORCH_PYTHON} could not start: ${probe.error.message}` }
  if (probe.status !== 0)
    return { skipped: `\`${PYTORCH_PYTHON} -c "import torch"\` failed: ${probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`}` }
  return { version: probe.stdout.trim() }
}

export interface PytorchRow extends PeerRow {
  threads: number
}

/**
 * Times `ids` at each of `threads` (in that order); `pixels`: ≥ 100 images of 784 values in [0, 1]. `clock`
 * 'process': CPU seconds instead of wall seconds (bench/cnn-deep-step.ts --cpu, one thread on a loaded machine).
 */
export function runPytorch(
  ids: NetId[],
  threads: number[],
  pixels: Float32Array,
  labels: Uint8Array,
  reps: (id: NetId) => { warmup: number; steps: number; evals: number },
  clock: 'wall' | 'process' = 'wall'
): { rows: PytorchRow[]; note: string } | { skipped: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pytorch-'))
  try {
    writeFileSync(join(dir, 'pixels.f32'), new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength))
    writeFileSync(join(dir, 'labels.u8'), labels)
    const spec = { nets: ids.map((id) => ({ id, ...reps(id) })), threads, pixels: join(dir, 'pixels.f32'), labels: join(dir, 'labels.u8'), clock }
    // torch.set_num_threads decides; these keep OpenMP/MKL from starting more threads than asked.
    const env = { ...process.env, OMP_NUM_THREADS: String(Math.max(...threads)), MKL_NUM_THREADS: String(Math.max(...threads)) }
    const result = spawnSync(PYTORCH_PYTHON, [SCRIPT], { input: JSON.stringify(spec), env, encoding: 'utf8', maxBuffer: 1 << 20 })
    if (result.error) return { skipped: `${PYTORCH_PYTHON} could not start: ${result.error.message}` }
    if (result.status !== 0) return { skipped: `pytorch_step.py failed: ${result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`}` }
    const lines = result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    const meta = lines.find((l) => l.meta) as { torch: string; blas: string; mkldnn: boolean; capability: string } | undefined
    const rows = lines
      .filter((l) => !l.meta)
      .map((l) => l as unknown as PytorchRow)
      .map(({ name, threads, stepSeconds, evalSeconds }) => ({ name, threads, stepSeconds, evalSeconds }))
    const note = meta
      ? `pytorch: torch ${meta.torch} under ${PYTORCH_PYTHON}, CPU, BLAS ${meta.blas} (the linear layers' products), oneDNN ${meta.mkldnn ? 'on' : 'off'} (the convolutions), ${meta.capability}`
      : `pytorch: under ${PYTORCH_PYTHON}`
    return { rows, note }
  } catch (error) {
    return { skipped: `pytorch_step.py printed something unexpected: ${error instanceof Error ? error.message : String(error)}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
