import { describe, expect, it } from 'vitest'
import { serialTasks } from '../../src/main/serial-tasks'

/** A task that logs its start and end around a wait that the test releases. */
function gated(log: string[], name: string) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const task = async () => {
    log.push(`${name} start`)
    await gate
    log.push(`${name} end`)
  }
  return { task, release }
}

describe('serialTasks', () => {
  it("runs one id's tasks in order, each after the one before, while another id's task goes on beside them", async () => {
    const serial = serialTasks()
    const log: string[] = []
    const a1 = gated(log, 'a1')
    const a2 = gated(log, 'a2')
    const b1 = gated(log, 'b1')
    const done = [serial('a', a1.task), serial('a', a2.task), serial('b', b1.task)]
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(log).toEqual(['a1 start', 'b1 start'])
    a1.release()
    await done[0]
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(log).toEqual(['a1 start', 'b1 start', 'a1 end', 'a2 start'])
    a2.release()
    b1.release()
    await Promise.all(done)
    expect(log.slice(4)).toEqual(['a2 end', 'b1 end'])
  })

  it('a failed task rejects for its caller and does not stop the next one', async () => {
    const serial = serialTasks()
    const failed = serial('a', () => Promise.reject(new Error('disk full')))
    const next = serial('a', async () => undefined)
    await expect(failed).rejects.toThrow('disk full')
    await expect(next).resolves.toBeUndefined()
  })
})
