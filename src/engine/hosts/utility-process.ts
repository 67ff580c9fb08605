/**
 * The engine's Electron host: the entry of the utility process that the main process starts with
 * `utilityProcess.fork(out/main/engineHost.js, ['--data-dir=…'])`.
 *
 * It owns one engine session. The main process talks to it only through `process.parentPort` with the
 * small control protocol below; renderers talk to the session directly over MessagePorts that main hands
 * to both sides (`connect`), so training traffic never passes through the main process.
 *
 * Nothing here imports 'electron': the utility process gets `process.parentPort` from its runtime, and the
 * unit test supplies a fake one (test/engine/hosts/utility-process.test.ts).
 */
import { z } from 'zod'
import { createEngineSession, type EngineSession } from '../session/session'
import { nodeDataLibrary } from './node/node-data-library'
import { datasetsDir, labHome } from './node/lab-home'
import { EngineError, type ErrorCode } from '../protocol'
import type { EnginePort } from './port'
import { readIdxDirectory } from './node/read-idx-dir'
import { nodeKernelThreads } from './node/kernel-threads'
import { installWasmBackends } from '../kernels/install-wasm-backends'

/** The name the bundled set is shown under; the same as the browser host's. */
export const BUNDLED_DATASET_NAME = 'MNIST (bundled, 8,000 / 2,000)'

// ---- control messages: main → utility process ---------------------------------------------------

const ConnectionId = z.number().int().nonnegative()

export const ControlMessageSchema = z.discriminatedUnion('kind', [
  /** Carries one MessagePortMain in `ports[0]`: a new client (a renderer) of the session. */
  z.object({ kind: z.literal('connect'), connectionId: ConnectionId.optional() }),
  /** Main replaced or lost that renderer connection (reload, window closed): drop the port. */
  z.object({ kind: z.literal('disconnect'), connectionId: ConnectionId }),
  /** Read the four MNIST files from a directory the user chose, and load them. */
  z.object({
    kind: z.literal('loadDirectory'),
    dir: z.string().min(1).max(4096),
    requestId: z.string().min(1).max(200).optional()
  })
])
export type ControlMessage = z.infer<typeof ControlMessageSchema>

// ---- the slices of Electron's ParentPort / MessagePortMain this host uses -----------------------

/** What a message event on `process.parentPort` or a MessagePortMain carries. */
export interface MainMessageEvent {
  data: unknown
  ports: MainPortLike[]
}

/** The part of Electron's MessagePortMain used here (a Node-style EventEmitter). */
export interface MainPortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  start(): void
  close(): void
}

/** The part of Electron's `process.parentPort` used here. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: MainMessageEvent) => void): unknown
}

export interface UtilityProcessHost {
  session: EngineSession
  /** Settles when the bundled dataset has loaded (or failed and been reported); resolves at once without --data-dir. */
  bundledLoaded: Promise<void>
}

/** `--data-dir=<dir>` from the arguments main passed to `utilityProcess.fork`. */
export function parseDataDir(argv: readonly string[]): string | undefined {
  const prefix = '--data-dir='
  const arg = argv.find((a) => a.startsWith(prefix))
  const dir = arg?.slice(prefix.length)
  return dir ? dir : undefined
}

/** `--NAME=<value>` from main's arguments, or undefined. */
function argument(argv: readonly string[], name: string): string | undefined {
  const arg = argv.find((a) => a.startsWith(`--${name}=`))
  return arg ? arg.slice(name.length + 3) || undefined : undefined
}

/** `--home=<dir>`: the lab's home folder (its data library), which main shares with the CLI (lab-home.ts). */
export const parseHomeDir = (argv: readonly string[]): string | undefined => argument(argv, 'home')

/** `--webp-wasm=<file>`: a packaged app's copy of WebP's decoder (no node_modules there). */
export const parseWebpWasm = (argv: readonly string[]): string | undefined => argument(argv, 'webp-wasm')

/**
 * Adapts a MessagePortMain to the session's EnginePort. Messages that arrive before the session
 * registers its handler are kept, and the port is started at once (MessagePortMain queues until start()).
 */
export function adaptMainPort(port: MainPortLike): EnginePort & { close(): void } {
  let handler: ((message: unknown) => void) | null = null
  const early: unknown[] = []
  const closeHandlers: Array<() => void> = []
  let closed = false
  const markClosed = (): void => {
    if (closed) return
    closed = true
    for (const h of closeHandlers) h()
  }
  port.on('message', (event) => {
    if (handler) handler(event.data)
    else early.push(event.data)
  })
  port.on('close', markClosed)
  port.start()
  return {
    postMessage(message) {
      // A port whose renderer went away: drop the event instead of throwing inside the training loop.
      if (!closed) port.postMessage(message)
    },
    onMessage(h) {
      handler = h
      for (const message of early.splice(0)) h(message)
    },
    onClose(h) {
      if (closed) h()
      else closeHandlers.push(h)
    },
    close() {
      // Our own close() does not necessarily emit 'close' locally, so tell the session ourselves.
      markClosed()
      port.close()
    }
  }
}

/** Reads a dataset directory and loads it; any failure becomes an `error` event for every client. */
async function loadDirectory(session: EngineSession, dir: string, name: string, requestId?: string): Promise<void> {
  let files
  try {
    files = await readIdxDirectory(dir)
  } catch (error) {
    const { code, message } = describeError(error)
    session.reportError(code, message, requestId)
    return
  }
  // loadDataset reports its own decoding problems (DATASET_INVALID) as error events.
  await session.loadDataset(name, files, requestId)
}

function describeError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof EngineError) return { code: error.code, message: error.message }
  return { code: 'INTERNAL', message: `could not read the dataset: ${error instanceof Error ? error.message : String(error)}` }
}

/** Wires a session to the parent port. Exported for tests; the module runs it itself inside Electron. */
export function runUtilityProcessHost(parentPort: ParentPortLike, argv: readonly string[]): UtilityProcessHost {
  installWasmBackends()
  const session = createEngineSession({
    threads: nodeKernelThreads,
    library: nodeDataLibrary(datasetsDir(parseHomeDir(argv) ?? labHome()), parseWebpWasm(argv))
  })
  const connections = new Map<number, ReturnType<typeof adaptMainPort>>()

  parentPort.on('message', (event) => {
    const parsed = ControlMessageSchema.safeParse(event.data)
    if (!parsed.success) {
      console.error(`[engine] ignored an invalid control message: ${z.prettifyError(parsed.error)}`)
      return
    }
    const message = parsed.data
    switch (message.kind) {
      case 'connect': {
        const port = event.ports[0]
        if (!port) {
          console.error('[engine] ignored a connect message without a port')
          return
        }
        const adapted = adaptMainPort(port)
        const id = message.connectionId
        if (id !== undefined) {
          connections.get(id)?.close()
          connections.set(id, adapted)
          adapted.onClose?.(() => {
            if (connections.get(id) === adapted) connections.delete(id)
          })
        }
        session.attach(adapted)
        return
      }
      case 'disconnect': {
        const adapted = connections.get(message.connectionId)
        connections.delete(message.connectionId)
        adapted?.close()
        return
      }
      case 'loadDirectory':
        void loadDirectory(session, message.dir, message.dir, message.requestId)
        return
    }
  })

  const dataDir = parseDataDir(argv)
  const bundledLoaded = dataDir
    ? loadDirectory(session, dataDir, BUNDLED_DATASET_NAME)
    : (console.warn('[engine] started without --data-dir: no bundled dataset'), Promise.resolve())
  return { session, bundledLoaded }
}

// Inside Electron's utility process `process.parentPort` exists; in plain Node (tests, CLI) it does not.
// The type says it is always there, so look it up loosely.
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort
if (parentPort) runUtilityProcessHost(parentPort, process.argv)
