import type { EngineConnection } from './engine-connection'
import { writeFileAtomically } from './model-files'

/**
 * `train --save FILE --checkpoint-every N`: once the run passes every N-th iteration, the engine saves a
 * checkpoint between two training slices (at the iteration it has reached) and it replaces FILE
 * atomically. A process killed at any moment leaves the previous checkpoint or the new one, never a
 * broken file. Saves never overlap; one that falls due while another is being written waits for it.
 */
export class PeriodicCheckpoints {
  private next: number
  private writing: Promise<void> = Promise.resolve()
  private count = 0
  problem: string | undefined

  constructor(
    private readonly engine: EngineConnection,
    private readonly path: string,
    private readonly every: number,
    startIteration: number
  ) {
    this.next = (Math.floor(startIteration / every) + 1) * every
  }

  onProgress(iter: number): void {
    if (iter < this.next) return
    this.next = (Math.floor(iter / this.every) + 1) * this.every
    const requestId = `cli-checkpoint-${++this.count}`
    this.writing = this.writing.then(async () => {
      try {
        const saved = await this.engine.until('modelSaved', { type: 'saveModel', requestId, checkpoint: true })
        await writeFileAtomically(this.path, saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes))
      } catch (error) {
        this.problem = `a periodic checkpoint was not written: ${(error as Error).message}`
      }
    })
  }

  settled(): Promise<void> {
    return this.writing
  }
}
