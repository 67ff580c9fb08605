import type { EnginePort } from './port'

export interface ClientPort {
  postMessage(message: unknown): void
  onMessage(handler: (message: unknown) => void): void
}

/**
 * Two ends of an in-process channel, for the CLI and tests: messages are structured-cloned and delivered
 * on a later turn, exactly as across a real MessagePort, so nothing relies on sharing objects.
 */
export function createInProcessChannel(): { enginePort: EnginePort; clientPort: ClientPort } {
  let toEngine: ((message: unknown) => void) | null = null
  let toClient: ((message: unknown) => void) | null = null
  const deliver = (handler: () => ((message: unknown) => void) | null, message: unknown): void => {
    const copy = structuredClone(message)
    queueMicrotask(() => handler()?.(copy))
  }
  return {
    enginePort: {
      postMessage: (message) => deliver(() => toClient, message),
      onMessage: (handler) => (toEngine = handler)
    },
    clientPort: {
      postMessage: (message) => deliver(() => toEngine, message),
      onMessage: (handler) => (toClient = handler)
    }
  }
}
