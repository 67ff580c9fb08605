/**
 * Crash-safe checkpoints: `train --save FILE --checkpoint-every N` killed with SIGKILL at arbitrary
 * moments leaves either no file yet or a complete checkpoint, never a broken one; and resuming from the
 * last one gives exactly the numbers of the run never interrupted.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeModelFile } from '../../src/engine/model-file/model-file'
import { jsonLines, LAB, lab, ROOT, withoutTimes, workDir } from './run-lab'

const work = workDir('lab-crash-')

/**
 * Starts a long run that checkpoints often (one Node process: tsx as a loader, so the kill reaches the
 * trainer itself) and kills it with SIGKILL `delayMs` after its first checkpoint file appeared.
 */
function runAndKill(file: string, delayMs: number): Promise<void> {
  return new Promise((done) => {
    const args = [
      '--import',
      'tsx',
      LAB,
      'train',
      '--preset',
      'vg-relu-he',
      '--iters',
      '100000',
      '--eval-every',
      '25',
      '--checkpoint-every',
      '7',
      '--save',
      file,
      '--json'
    ]
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' })
    const before = existsSync(file) ? statSync(file).mtimeMs : -1
    const poll = setInterval(() => {
      // Wait for this run's own first checkpoint (the file replaced), then kill a little later.
      if (!existsSync(file) || statSync(file).mtimeMs === before) return
      clearInterval(poll)
      setTimeout(() => child.kill('SIGKILL'), delayMs)
    }, 5)
    child.on('exit', () => {
      clearInterval(poll)
      done()
    })
  })
}

describe('checkpoints that survive a kill', { timeout: 120_000 }, () => {
  it('every kill leaves a whole checkpoint, and resuming it equals the unbroken run', async () => {
    const file = join(work, 'run.safetensors')
    const seen: number[] = []
    for (const delayMs of [0, 45, 160, 400]) {
      await runAndKill(file, delayMs)
      expect(existsSync(file)).toBe(true)
      const checkpoint = decodeModelFile(new Uint8Array(readFileSync(file)))
      expect(checkpoint.summary.kind).toBe('checkpoint')
      seen.push(checkpoint.summary.iteration)
      // No temporary file is left visible as a model: only ours and, at most, a dot-file in progress.
      expect(readdirSync(work).filter((name) => !name.startsWith('.'))).toEqual(['run.safetensors'])
    }
    // The first checkpoint falls due at iteration 7; where the run stands then depends on its slices (the machine's load).
    expect(seen.every((iter) => iter >= 7)).toBe(true)

    const k = seen.at(-1)!
    const total = k + 60
    const resumed = lab('train', '--resume', file, '--iters', String(total), '--eval-every', '25', '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    const unbroken = lab('train', '--preset', 'vg-relu-he', '--iters', String(total), '--eval-every', '25', '--json')
    const after = (lines: Record<string, unknown>[]) => lines.filter((l) => !l.done && (l.iter as number) > k)
    expect(withoutTimes(after(jsonLines(resumed.stdout)))).toEqual(withoutTimes(after(jsonLines(unbroken.stdout))))
    expect(after(jsonLines(resumed.stdout)).length).toBeGreaterThan(1)
  })

  it('--checkpoint-every without --save is a usage error', () => {
    const result = lab('train', '--preset', 'vg-relu-he', '--checkpoint-every', '10')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--checkpoint-every needs --save FILE/)
  })
})
