import { EngineClient } from './engine-client'
import { createEngineWorker, isEnginePortMessage } from './connect'

/**
 * Extra engines for a sweep: each one its own engine session (a module Web Worker in the browser, a utility
 * process in Electron), so trials train side by side on separate cores. The page's own engine is not one
 * of them: it stays free for the views.
 */
export interface ExtraEngine {
  readonly client: EngineClient
  /** Called once if the engine dies under the sweep (its trial then fails the sweep). */
  onFailure(listener: (reason: string) => void): void
}

export interface EnginePool {
  /** Starts `count` engines; they still have to load their data (sweeps/prepare-engine.ts). */
  open(count: number): Promise<ExtraEngine[]>
  /** Ends every engine this pool started. */
  close(): void
}

export function browserEnginePool(makeWorker: () => Worker = createEngineWorker): EnginePool {
  let workers: Worker[] = []
  return {
    async open(count) {
      return Array.from({ length: count }, () => {
        const worker = makeWorker()
        workers.push(worker)
        const listeners: Array<(reason: string) => void> = []
        worker.addEventListener('error', (event) => {
          event.preventDefault()
          for (const listener of listeners.splice(0)) listener(event.message || 'a sweep engine worker stopped unexpectedly')
        })
        return { client: new EngineClient(worker), onFailure: (listener) => listeners.push(listener) }
      })
    },
    close() {
      for (const worker of workers) worker.terminate()
      workers = []
    }
  }
}

/** The bridge's two calls for sweep engines (src/preload/index.ts). */
export type SweepEngineBridge = Pick<GradientLabBridge, 'openSweepEngines' | 'closeSweepEngines' | 'onSweepEngineExit'>

/**
 * Electron: main forks `count` engine processes and hands this page one port to each, as window messages
 * with request ids `sweep-1` … (the page's own connection ignores those).
 */
export function electronEnginePool(bridge: SweepEngineBridge, target: Window = window, timeoutMs = 30_000): EnginePool {
  let clients: EngineClient[] = []
  let stopExits: (() => void) | null = null
  return {
    async open(count) {
      const listeners = new Map<string, Array<(reason: string) => void>>()
      const ports = new Map<string, MessagePort>()
      // Main may start fewer than asked (it holds to the cores); known once it answers.
      let expected = count
      let check = (): void => undefined
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          target.removeEventListener('message', onMessage)
          reject(new Error(`the sweep engines did not start within ${timeoutMs / 1000} s`))
        }, timeoutMs)
        const onMessage = (event: MessageEvent): void => {
          if (!isEnginePortMessage(event)) return
          const id = (event.data as { requestId?: unknown }).requestId
          if (typeof id !== 'string' || !/^sweep-\d+$/.test(id)) return
          ports.set(id, event.ports[0])
          check()
        }
        check = () => {
          if (ports.size < expected) return
          clearTimeout(timer)
          target.removeEventListener('message', onMessage)
          resolve()
        }
        target.addEventListener('message', onMessage)
      })
      stopExits = bridge.onSweepEngineExit((id, reason) => {
        for (const listener of (listeners.get(id) ?? []).splice(0)) listener(reason)
      })
      expected = await bridge.openSweepEngines(count)
      check()
      await arrived
      return [...ports.entries()]
        .sort(([a], [b]) => Number(a.slice(6)) - Number(b.slice(6)))
        .map(([id, port]) => {
          const client = new EngineClient(port)
          clients.push(client)
          listeners.set(id, [])
          return { client, onFailure: (listener) => listeners.get(id)!.push(listener) }
        })
    },
    close() {
      for (const client of clients) client.detach()
      clients = []
      stopExits?.()
      stopExits = null
      void bridge.closeSweepEngines()
    }
  }
}
