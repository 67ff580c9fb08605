/** `lab sweep` takes a grid over whole presets (the scaling sweep's form): one trial per preset, each run as that preset. */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LAB, ROOT, workDir } from './run-lab'

const work = workDir('lab-sweep-presets-')

function lab(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', LAB, ...args], { encoding: 'utf8', cwd: ROOT })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('lab sweep over presets', { timeout: 180_000 }, () => {
  it('runs each preset of "grid": {"preset": [...]} with its own network (its cost) and settings', () => {
    const path = join(work, 'presets.json')
    writeFileSync(path, JSON.stringify({ base: { preset: 'opt-adam' }, grid: { preset: ['vg-relu-he', 'cnn-simple'], iterations: [10] } }))
    const { code, stdout, stderr } = lab('sweep', '--config', path, '--jobs', '1', '--json')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>)
    expect(lines).toHaveLength(3)
    expect(lines.slice(0, 2).map((l) => [l.trial, l.settings, l.iter])).toEqual([
      [1, { preset: 'vg-relu-he', iterations: 10 }, 10],
      [2, { preset: 'cnn-simple', iterations: 10 }, 10]
    ])
    // Two different networks: the MLP of vg-relu-he (784-40-20-10) and cnn-simple's conv net.
    expect(lines[0].params).toBe(32_430)
    expect(lines[1].params).not.toBe(lines[0].params)
    expect(lines[2]).toMatchObject({ done: true, trials: 2 })
  })

  it('refuses an unknown preset in the grid with one line, exit 2', () => {
    const path = join(work, 'bad.json')
    writeFileSync(path, JSON.stringify({ base: { preset: 'opt-adam' }, grid: { preset: ['nope'] } }))
    const { code, stderr } = lab('sweep', '--config', path)
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toContain('grid "preset"[0]')
  })
})
