/**
 * Gives the host's event loop a turn so incoming messages (pause, stop, requests) are handled between
 * slices of training. setImmediate where it exists (Node, Electron's utility process); elsewhere a
 * MessageChannel, which unlike setTimeout(0) is not clamped to 4 ms in a busy worker.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate
  if (immediate) return new Promise((resolve) => immediate(resolve))
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}
