import type { DatasetInfo, EngineEvent, PresetSummary } from '@engine/protocol'
import type { PortLike } from '@renderer/engine-client/engine-client'
import { defineRunConfig } from '@engine/config/run-config'
import { EngineClient } from '@renderer/engine-client/engine-client'
import type { EngineConnection, HostStatus } from '@renderer/engine-client/connect'

/** A port that records what the client sends and lets a test play the engine's side. */
export class FakePort implements PortLike {
  readonly sent: { message: unknown; transfer: Transferable[] }[] = []
  private readonly listeners = new Set<(event: MessageEvent) => void>()
  started = 0

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.sent.push({ message, transfer })
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener)
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener)
  }
  start(): void {
    this.started++
  }
  /** Delivers a message as the engine would. */
  deliver(data: unknown): void {
    const event = { data } as MessageEvent
    for (const listener of [...this.listeners]) listener(event)
  }
  get listenerCount(): number {
    return this.listeners.size
  }
  commands(): { type: string; [key: string]: unknown }[] {
    return this.sent.map((s) => s.message as { type: string })
  }
}

/** A connection over a FakePort with host status under the test's control. */
export function fakeConnection(host: 'browser' | 'electron' = 'browser') {
  const port = new FakePort()
  const client = new EngineClient(port)
  const statusListeners = new Set<(s: HostStatus) => void>()
  const connection: EngineConnection = {
    host,
    client,
    start: () => client.hello(),
    onStatus: (listener) => {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    dispose: () => client.detach()
  }
  return {
    port,
    client,
    connection,
    status: (s: HostStatus) => statusListeners.forEach((l) => l(s)),
    send: (event: EngineEvent) => port.deliver(event)
  }
}

export function preset(id: string, lesson: string, overrides: Partial<PresetSummary> = {}): PresetSummary {
  return {
    id,
    lesson,
    title: `Title of ${id}`,
    summary: `Summary of ${id}`,
    description: `Description of ${id}`,
    quirks: [`A quirk of ${id}`],
    // Through the schema, so defaults the engine adds over time are filled in here too.
    config: defineRunConfig({
      network: { kind: 'mlp', hidden: [40, 20], activation: 'relu', init: 'he', initStd: 0.01 },
      optimizer: { kind: 'sgd', lr: 0.1 },
      batchSize: 100,
      iterations: 2000,
      evalInterval: 10,
      seed: 1,
      trainAccuracy: 'batch-after-update'
    }),
    ...overrides
  }
}

export const DATASET: DatasetInfo = {
  name: 'MNIST (bundled, 8,000 / 2,000)',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  train: { count: 8000, channels: 1, rows: 28, cols: 28 },
  test: { count: 2000, channels: 1, rows: 28, cols: 28 },
  trainClassCounts: [800, 800, 800, 800, 800, 800, 800, 800, 800, 800],
  bytes: 7_850_000
}
