/**
 * Extra engine processes for a sweep: the page asks for N (at most the cores), main forks N utility
 * processes of the same engine host and hands the page one port to each (`engine:port` with request ids
 * `sweep-1` … `sweep-N`). They end when the page closes them, reloads, or is destroyed, and at quit. A
 * process that dies under a sweep is reported (`engine:sweep-exit`), not restarted: the sweep fails and can
 * be resumed.
 *
 * Electron is reached only through injected functions, as in engine-process.ts, so this is unit-tested
 * in plain Node (test/main/sweep-engines.test.ts).
 */
import type { ForkOptions, MessagePortMain, UtilityProcess } from 'electron'
import { IPC } from './channels'
import type { RendererContents } from './engine-process'

export interface SweepEnginesOptions {
  modulePath: string
  dataDir: string
  homeDir?: string
  webpWasm?: string
  /** Most processes one page may hold (the cores). */
  maxEngines: number
}

export interface SweepEnginesDeps {
  fork(modulePath: string, args: string[], options: ForkOptions): UtilityProcess
  createChannel(): { port1: MessagePortMain; port2: MessagePortMain }
}

interface PageSet {
  children: UtilityProcess[]
  detach(): void
}

export class SweepEngines {
  private readonly pages = new Map<number, PageSet>()
  /** Processes ended on purpose: their exit is not news. */
  private readonly ending = new WeakSet<UtilityProcess>()

  constructor(
    private readonly options: SweepEnginesOptions,
    private readonly deps: SweepEnginesDeps
  ) {}

  /** Replaces the page's sweep engines with `count` new ones (clamped to 1 … maxEngines); returns how many. */
  open(contents: RendererContents, count: number): number {
    this.close(contents.id)
    const n = Math.max(1, Math.min(this.options.maxEngines, Math.floor(count)))
    const args = [
      `--data-dir=${this.options.dataDir}`,
      ...(this.options.homeDir ? [`--home=${this.options.homeDir}`] : []),
      ...(this.options.webpWasm ? [`--webp-wasm=${this.options.webpWasm}`] : [])
    ]
    const children: UtilityProcess[] = []
    const close = (): void => this.close(contents.id)
    for (let i = 1; i <= n; i++) {
      const requestId = `sweep-${i}`
      const child = this.deps.fork(this.options.modulePath, args, { serviceName: `gradient-lab-sweep-engine-${i}`, stdio: 'inherit' })
      child.on('spawn', () => {
        if (contents.isDestroyed() || this.pages.get(contents.id)?.children !== children) return
        const { port1, port2 } = this.deps.createChannel()
        child.postMessage({ kind: 'connect', connectionId: 1 }, [port2])
        contents.postMessage(IPC.enginePort, { requestId }, [port1])
      })
      child.on('exit', (code) => {
        if (this.ending.has(child) || contents.isDestroyed()) return
        contents.send(IPC.sweepEngineExit, { id: requestId, reason: `sweep engine ${i} exited unexpectedly with code ${code}` })
      })
      children.push(child)
    }
    contents.on('did-start-loading', close)
    contents.once('destroyed', close)
    this.pages.set(contents.id, {
      children,
      detach: () => {
        contents.off('did-start-loading', close)
        contents.off('destroyed', close)
      }
    })
    return n
  }

  /** Ends the page's sweep engines (none: nothing happens). */
  close(contentsId: number): void {
    const set = this.pages.get(contentsId)
    if (!set) return
    this.pages.delete(contentsId)
    set.detach()
    for (const child of set.children) {
      this.ending.add(child)
      child.kill()
    }
  }

  /** How many sweep engines the page holds now. */
  count(contentsId: number): number {
    return this.pages.get(contentsId)?.children.length ?? 0
  }

  dispose(): void {
    for (const id of [...this.pages.keys()]) this.close(id)
  }
}
