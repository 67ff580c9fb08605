/**
 * A fake of Electron's UtilityProcess for the main process's tests: it logs what is posted to it, and the
 * test makes it start (`spawned`) or end (`exit`) as a real child would. Real forks are covered by
 * e2e/electron where a binary exists.
 */
import { EventEmitter } from 'node:events'

export class FakeChild extends EventEmitter {
  static nextPid = 100
  pid: number | undefined
  sent: Array<{ message: any; transfer: unknown[] }> = []
  killed = false
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: any
  ) {
    super()
  }
  postMessage(message: unknown, transfer: unknown[] = []): void {
    this.sent.push({ message, transfer })
  }
  /** As Electron's: the process ends soon after, with code 0. */
  kill(): boolean {
    this.killed = true
    queueMicrotask(() => this.exit(0))
    return true
  }
  spawned(): void {
    this.pid = FakeChild.nextPid++
    this.emit('spawn')
  }
  exit(code: number): void {
    this.pid = undefined
    this.emit('exit', code)
  }
}
