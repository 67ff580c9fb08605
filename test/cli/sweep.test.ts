/**
 * `lab sweep`: trials as ordinary runs on worker processes, a killed sweep resumed without losing its
 * finished trials, and bad sweep files refused with one line naming the field (exit 2).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLines as linesOf, LAB, ROOT, workDir } from './run-lab'

const work = workDir('lab-sweep-')

/** One Node process with tsx as a loader (not tsx's own CLI), so a kill reaches the sweep itself. */
const labArgs = (...args: string[]) => ['--import', 'tsx', LAB, ...args]

function lab(...args: string[]) {
  const result = spawnSync(process.execPath, labArgs(...args), { encoding: 'utf8', cwd: ROOT })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const jsonLines = (stdout: string) => linesOf<Record<string, any>>(stdout)

function sweepFile(name: string, sweep: unknown): string {
  const path = join(work, name)
  writeFileSync(path, JSON.stringify(sweep))
  return path
}

// Each case starts a sweep and its worker processes; on a busy two-core machine that takes a while.
describe('lab sweep', { timeout: 180_000 }, () => {
  it('runs a 2 × 2 grid on two workers: one line per trial, a done line with the best, each trial an ordinary run', () => {
    const config = sweepFile('grid.json', { base: { preset: 'vg-relu-he' }, grid: { 'optimizer.lr': [0.05, 0.2], iterations: [40] }, seeds: 2 })
    const out = join(work, 'grid-out')
    const { code, stdout, stderr } = lab('sweep', '--config', config, '--jobs', '2', '--out', out, '--json')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = jsonLines(stdout)
    expect(lines).toHaveLength(5)
    const trials = lines.slice(0, 4).sort((a, b) => a.trial - b.trial)
    expect(trials.map((t) => [t.trial, t.settings, t.seed])).toEqual([
      [1, { 'optimizer.lr': 0.05, iterations: 40 }, 1],
      [2, { 'optimizer.lr': 0.05, iterations: 40 }, 2],
      [3, { 'optimizer.lr': 0.2, iterations: 40 }, 1],
      [4, { 'optimizer.lr': 0.2, iterations: 40 }, 2]
    ])
    for (const t of trials) {
      expect(Object.keys(t)).toEqual(['trial', 'settings', 'seed', 'iter', 'testAcc', 'valAcc', 'macs', 'params', 'elapsedMs', 'stoppedEarly'])
      expect(t).toMatchObject({ iter: 40, valAcc: null, macs: 784 * 40 + 40 * 20 + 20 * 10, params: 32_430, stoppedEarly: false })
      expect(t.testAcc).toBeGreaterThan(0.2)
    }
    const done = lines[4]
    const best = trials.reduce((a, b) => (b.testAcc > a.testAcc ? b : a))
    expect(done).toEqual({ done: true, trials: 4, stoppedEarly: 0, best })

    // A trial is an ordinary run: its run file, trained by `lab train`, gives its numbers.
    const again = lab('train', '--config', join(out, 'trial-3.json'), '--json')
    expect(again.code).toBe(0)
    expect(jsonLines(again.stdout).at(-1)?.testAcc).toBe(trials[2].testAcc)
    expect(JSON.parse(readFileSync(join(out, 'sweep-state.json'), 'utf8')).results).toHaveLength(4)
  })

  it('a sweep killed after its first trial keeps that trial when the same command runs again', async () => {
    const config = sweepFile('resume.json', { base: { preset: 'vg-relu-he' }, grid: { 'optimizer.lr': [0.05, 0.1, 0.15], iterations: [600] }, seeds: 1 })
    const out = join(work, 'resume-out')
    const args = ['sweep', '--config', config, '--jobs', '1', '--out', out, '--json']
    const beforeKill = await new Promise<string>((done) => {
      const child = spawn(process.execPath, labArgs(...args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk
        if (stdout.includes('\n')) child.kill('SIGKILL')
      })
      child.on('exit', () => done(stdout))
    })
    const first = jsonLines(beforeKill)
    expect(first.length).toBeGreaterThanOrEqual(1)
    expect(first.every((l) => l.trial && !l.done)).toBe(true)
    expect(existsSync(join(out, 'sweep-state.json'))).toBe(true)

    const resumed = lab(...args)
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toMatch(/trials already finished .*; running the rest/)
    const lines = jsonLines(resumed.stdout)
    expect(lines.at(-1)).toMatchObject({ done: true, trials: 3 })
    // The kept trials come back as they were (training time included: they were not run again).
    for (const kept of first) expect(lines.find((l) => l.trial === kept.trial)).toEqual(kept)
    expect(
      lines
        .slice(0, -1)
        .map((l) => l.trial)
        .sort()
    ).toEqual([1, 2, 3])
  })

  it('halving stops trials at their rungs, in the worker too (one worker: the same decisions every time)', () => {
    const config = sweepFile('halving.json', {
      base: { preset: 'vg-relu-he' },
      random: { trials: 6, seed: 3, space: { 'optimizer.lr': { log: [1e-3, 1] } } },
      halving: { minIterations: 50, eta: 3 }
    })
    const run = (out: string) => lab('sweep', '--config', config, '--jobs', '1', '--out', join(work, out), '--json')
    const first = run('halving-1')
    expect(first.code).toBe(0)
    const lines = jsonLines(first.stdout)
    const trials = lines.slice(0, -1)
    const stopped = trials.filter((t) => t.stoppedEarly)
    expect(stopped.length).toBeGreaterThan(0)
    expect(stopped.length).toBeLessThan(6)
    for (const t of stopped) expect([50, 150, 450, 1350]).toContain(t.iter)
    for (const t of trials.filter((t) => !t.stoppedEarly)) expect(t.iter).toBe(2000)
    expect(lines.at(-1)).toMatchObject({ done: true, trials: 6, stoppedEarly: stopped.length, best: { stoppedEarly: false } })
    // The stop reached the run: it ended soon after its rung, not at the run's 2,000th iteration.
    const state = JSON.parse(readFileSync(join(work, 'halving-1', 'sweep-state.json'), 'utf8')).results as { trial: number; iter: number; ranTo: number }[]
    for (const t of stopped) {
      const kept = state.find((r) => r.trial === t.trial)!
      expect(kept.ranTo).toBeGreaterThanOrEqual(t.iter)
      expect(kept.ranTo).toBeLessThan(2000)
    }
    const withoutTimes = (stdout: string) => jsonLines(stdout).map(({ elapsedMs: _t, best, ...rest }) => ({ ...rest, best: best && { ...best, elapsedMs: 0 } }))
    expect(withoutTimes(run('halving-2').stdout)).toEqual(withoutTimes(first.stdout))
  })

  it('refuses a bad sweep file with one line naming the field, exit 2', () => {
    const unknown = lab('sweep', '--config', sweepFile('bad-path.json', { base: { preset: 'vg-relu-he' }, grid: { 'optimizer.learningRate': [0.1] } }))
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    expect(unknown.stderr).toMatch(/bad-path.json: grid "optimizer.learningRate"\[0\] = 0.1: optimizer.learningRate: unknown field/)

    const value = lab(
      'sweep',
      '--config',
      sweepFile('bad-value.json', { base: { preset: 'vg-relu-he' }, random: { trials: 2, space: { batchSize: { int: [0, 10] } } } })
    )
    expect(value.code).toBe(2)
    expect(value.stderr).toMatch(/random.space "batchSize" low bound 0: batchSize: batch size must be at least 1/)

    const missing = lab('sweep', '--config', join(work, 'nope.json'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read the sweep file .*nope.json: no such file/)
  })
})
