import { createInProcessChannel, type ClientPort } from '../../../src/engine/hosts/in-process'
import { EventSchema, PROTOCOL_VERSION, type DatasetFiles, type EngineEvent } from '../../../src/engine/protocol'
import { createEngineSession, type EngineSessionOptions } from '../../../src/engine/session/session'

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>

/**
 * A session behind an in-process channel, with every event validated against the protocol and recorded:
 * `next` waits for the first matching event, `request` sends a command and waits for its answer.
 */
export function connectSession(options: EngineSessionOptions = {}) {
  const session = createEngineSession(options)
  const { enginePort, clientPort } = createInProcessChannel()
  session.attach(enginePort)
  const events: EngineEvent[] = []
  const waiters: Array<() => void> = []
  clientPort.onMessage((raw) => {
    events.push(EventSchema.parse(raw))
    for (const w of waiters.splice(0)) w()
  })
  const next = async <T extends EngineEvent['type']>(type: T, where: (e: EventOf<T>) => boolean = () => true): Promise<EventOf<T>> => {
    for (;;) {
      const found = events.find((e) => e.type === type && where(e as EventOf<T>))
      if (found) return found as EventOf<T>
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  const request = <T extends EngineEvent['type']>(type: T, command: Record<string, unknown>) => {
    clientPort.postMessage(command)
    return next(type, (e) => (e as { requestId?: string }).requestId === command.requestId)
  }
  return { session, client: clientPort as ClientPort, events, next, request }
}

/** A session past its handshake with `files` loaded as "bundled": where the command tests begin. */
export async function readySession(files: DatasetFiles, options: EngineSessionOptions = {}) {
  const s = connectSession(options)
  s.client.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
  await s.next('ready')
  await s.session.loadDataset('bundled', files)
  return s
}
