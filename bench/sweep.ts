/**
 * `npm run bench:sweep`: a sweep of 8 trials on 2 workers against the same 8 runs one after another
 * (issue 22 asks for ≤ 0.6× of the time). Measured in the same run, wall-clock time of whole commands:
 *   sweep ×2      lab sweep --jobs 2 (two worker processes, one kernel thread each)
 *   sweep ×1      lab sweep --jobs 1 (one worker, the matrix products on every core)
 *   train × 8     lab train --config trial-N.json for each trial, one after another (all cores each)
 * Two sets of 8 trials (learning rates 0.001 … 0.008), evaluated at the end only:
 *   small   the vanishing-gradient lesson's MLP 784-40-20-10 (vg-relu-he), 2,000 iterations: the lab's usual size
 *   large   opt-adam widened to 784-256-128-10, 500 iterations: big enough for the kernel threads to help
 * `-- --net small|large` runs one of them. Every time includes starting the processes and loading the data,
 * as a user would see it; a warm-up sweep first fills tsx's compile cache. Where GNU time exists the CPU
 * seconds of each command (its workers included) are printed too: on a machine other work keeps busy, the
 * wall-clock ratios say little, while the CPU time shows what each way costs.
 */
import { spawnSync } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const LAB = join(ROOT, 'src/cli/lab.ts')
const LRS = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => i / 1000)

const WORKLOADS = {
  small: { label: 'vg-relu-he (784-40-20-10), 2000 iterations', base: 'vg-relu-he', grid: { iterations: [2000], evalInterval: [2000] } },
  large: {
    label: 'opt-adam widened (784-256-128-10), 500 iterations',
    base: 'opt-adam',
    grid: { 'network.hidden': [[256, 128]], iterations: [500], evalInterval: [500] }
  }
}

/** GNU time, where there is one: the CPU seconds of a command and its workers, whatever else the machine runs. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

function lab(...args: string[]): { ms: number; cpuS: number | null; stdout: string } {
  const command = [process.execPath, '--import', 'tsx', LAB, ...args]
  const started = performance.now()
  const result = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'cpu %U %S', ...command], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8' })
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`lab ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`)
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr)
  return { ms, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, stdout: result.stdout }
}

const cpuText = (s: number | null): string => (s === null ? '' : `   CPU ${s.toFixed(1)} s`)

function testAccs(stdout: string): number[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { trial?: number; testAcc?: number })
    .filter((l) => l.trial !== undefined)
    .sort((a, b) => a.trial! - b.trial!)
    .map((l) => l.testAcc!)
}

function measure(dir: string, name: keyof typeof WORKLOADS): boolean {
  const workload = WORKLOADS[name]
  const config = join(dir, `${name}.json`)
  writeFileSync(config, JSON.stringify({ base: { preset: workload.base }, grid: { 'optimizer.lr': LRS, ...workload.grid } }))
  console.log(`\n${name}: 8 trials of ${workload.label} (load average before: ${loadavg()[0].toFixed(1)})`)
  const two = lab('sweep', '--config', config, '--jobs', '2', '--out', join(dir, `${name}-two`), '--json')
  const one = lab('sweep', '--config', config, '--jobs', '1', '--out', join(dir, `${name}-one`), '--json')
  let trainMs = 0
  let trainCpuS: number | null = 0
  const trainAccs: number[] = []
  for (let t = 1; t <= 8; t++) {
    const run = lab('train', '--config', join(dir, `${name}-one`, `trial-${t}.json`), '--json')
    trainMs += run.ms
    trainCpuS = run.cpuS === null || trainCpuS === null ? null : trainCpuS + run.cpuS
    trainAccs.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!).testAcc)
  }
  console.log(`  sweep, 2 workers    ${(two.ms / 1000).toFixed(1)} s${cpuText(two.cpuS)}`)
  console.log(`  sweep, 1 worker     ${(one.ms / 1000).toFixed(1)} s${cpuText(one.cpuS)}   ratio (2 workers / this) ${(two.ms / one.ms).toFixed(2)}`)
  console.log(`  lab train × 8       ${(trainMs / 1000).toFixed(1)} s${cpuText(trainCpuS)}   ratio (2 workers / this) ${(two.ms / trainMs).toFixed(2)}`)
  // The same runs all three ways: the numbers must agree, or the timing compares different work.
  const same =
    JSON.stringify(testAccs(two.stdout)) === JSON.stringify(testAccs(one.stdout)) && JSON.stringify(testAccs(one.stdout)) === JSON.stringify(trainAccs)
  console.log(same ? '  test accuracies identical in all three' : `  test accuracies DIFFER: ${testAccs(two.stdout)} / ${testAccs(one.stdout)} / ${trainAccs}`)
  console.log(`  load average after: ${loadavg()[0].toFixed(1)} (on ${availableParallelism()} cores: above that, other processes share them)`)
  return same
}

function main(): void {
  const netAt = process.argv.indexOf('--net')
  const net = netAt > 0 ? process.argv[netAt + 1] : 'both'
  const names = net === 'both' ? (['small', 'large'] as const) : [net as keyof typeof WORKLOADS]
  if (!names.every((n) => n in WORKLOADS)) throw new Error(`--net must be small, large or both, got ${net}`)
  const dir = mkdtempSync(join(tmpdir(), 'gradient-lab-bench-sweep-'))
  try {
    const warm = join(dir, 'warm.json')
    writeFileSync(warm, JSON.stringify({ base: { preset: 'vg-relu-he' }, grid: { iterations: [1] } }))
    lab('sweep', '--config', warm, '--jobs', '1', '--out', join(dir, 'warm'), '--json')
    let same = true
    for (const name of names) same = measure(dir, name) && same
    if (!same) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
