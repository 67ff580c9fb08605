/**
 * `npm run bench:sweep`: a sweep of 8 trials on 2 workers against the same 8 runs one after another
 * (issue 22 asks for ≤ 0.6× of the time). Measured in the same run, wall-clock time of whole commands:
 *   sweep ×2      lab sweep --jobs 2 (two worker processes, one kernel thread each)
 *   sweep ×1      lab sweep --jobs 1 (one worker, the matrix products on every core)
 *   train × 8     lab train --config trial-N.json for each trial, one after another (all cores each)
 * The trials: opt-adam with hidden layers of 256 and 128 units, learning rates 0.001 … 0.008, `-- --iters N`
 * iterations each (default 500), evaluated at the end only.
 * Every time includes starting the processes and loading the data, as a user would see it.
 */
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const LAB = join(ROOT, 'src/cli/lab.ts')

function lab(...args: string[]): { ms: number; stdout: string } {
  const started = performance.now()
  const result = spawnSync(process.execPath, ['--import', 'tsx', LAB, ...args], { cwd: ROOT, encoding: 'utf8' })
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`lab ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`)
  return { ms, stdout: result.stdout }
}

function testAccs(stdout: string): number[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { trial?: number; testAcc?: number })
    .filter((l) => l.trial !== undefined)
    .sort((a, b) => a.trial! - b.trial!)
    .map((l) => l.testAcc!)
}

function main(): void {
  const itersAt = process.argv.indexOf('--iters')
  const iterations = itersAt > 0 ? Number(process.argv[itersAt + 1]) : 500
  const dir = mkdtempSync(join(tmpdir(), 'gradient-lab-bench-sweep-'))
  try {
    const config = join(dir, 'sweep.json')
    const lrs = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => i / 1000)
    writeFileSync(config, JSON.stringify({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': lrs, 'network.hidden': [[256, 128]], iterations: [iterations], evalInterval: [iterations] } }))
    console.log(`8 trials of opt-adam (784-256-128-10), ${iterations} iterations each, on ${availableParallelism()} cores`)

    const two = lab('sweep', '--config', config, '--jobs', '2', '--out', join(dir, 'two'), '--json')
    const one = lab('sweep', '--config', config, '--jobs', '1', '--out', join(dir, 'one'), '--json')
    let trainMs = 0
    const trainAccs: number[] = []
    for (let t = 1; t <= 8; t++) {
      const run = lab('train', '--config', join(dir, 'one', `trial-${t}.json`), '--json')
      trainMs += run.ms
      trainAccs.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!).testAcc)
    }
    // The same runs all three ways: the numbers must agree, or the timing compares different work.
    const same = JSON.stringify(testAccs(two.stdout)) === JSON.stringify(testAccs(one.stdout)) && JSON.stringify(testAccs(one.stdout)) === JSON.stringify(trainAccs)
    console.log(`sweep, 2 workers    ${(two.ms / 1000).toFixed(1)} s`)
    console.log(`sweep, 1 worker     ${(one.ms / 1000).toFixed(1)} s   ratio (2 workers / this) ${(two.ms / one.ms).toFixed(2)}`)
    console.log(`lab train × 8       ${(trainMs / 1000).toFixed(1)} s   ratio (2 workers / this) ${(two.ms / trainMs).toFixed(2)}`)
    console.log(same ? 'test accuracies identical in all three' : `test accuracies DIFFER: ${testAccs(two.stdout)} / ${testAccs(one.stdout)} / ${trainAccs}`)
    if (!same) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
