/**
 * The one thing the engine session needs from a host: a way to send a message and a way to hear one.
 * Each host adapts its own channel (Electron MessagePortMain, a Web Worker's `self`, an in-process pair).
 */
export interface EnginePort {
  postMessage(message: unknown): void
  /** Registers the single handler for incoming messages (already unwrapped from any event object). */
  onMessage(handler: (message: unknown) => void): void
  /** Optional: called when the other side goes away, so the session stops sending to it. */
  onClose?(handler: () => void): void
}
