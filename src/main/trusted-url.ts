import { posix, win32 } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/*
 * Which URLs belong to the app. Pure (no Electron import) so it can be unit-tested.
 *
 * - The app's page is exactly out/renderer/index.html over file:// (any query or hash, for the router),
 *   or, in development only, the electron-vite dev server's origin (ELECTRON_RENDERER_URL).
 * - Requests the page may make: files inside out/renderer, data:/blob: URLs, DevTools, and the dev server
 *   (http and its HMR websocket). Everything else — any remote content — is refused.
 */

export interface UrlTrust {
  /** The app's own page: the only navigation target and the only trusted IPC sender. */
  isAppPage(url: string): boolean
  /** A resource request the renderer may make. */
  isAllowedRequest(url: string): boolean
}

export interface UrlTrustOptions {
  /** Absolute path of out/renderer/index.html */
  rendererIndexFile: string
  /** The dev server URL, only when running `electron-vite dev` unpackaged. */
  devServerUrl?: string
  /** Path rules to apply; defaults to this machine's (tests pass 'win32' to check Windows paths anywhere). */
  platform?: NodeJS.Platform
}

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/*
 * Windows paths compare case-insensitively: Chromium upper-cases the drive letter of a file URL
 * (file:///C:/…) while Node keeps what it was given (an app started from `c:\…`), and NTFS ignores case
 * anyway. POSIX paths compare exactly.
 */
export function createUrlTrust({ rendererIndexFile, devServerUrl, platform = process.platform }: UrlTrustOptions): UrlTrust {
  const windows = platform === 'win32'
  const { sep } = windows ? win32 : posix
  const comparable = (path: string): string => (windows ? path.toLowerCase() : path)
  const indexUrl = pathToFileURL(rendererIndexFile, { windows })
  const indexPath = comparable(fileURLToPath(indexUrl, { windows }))
  const rendererDir = comparable(fileURLToPath(new URL('.', indexUrl), { windows }))
  const dev = devServerUrl ? parse(devServerUrl) : undefined

  const isDevServer = (u: URL): boolean =>
    dev !== undefined &&
    u.host === dev.host &&
    (u.protocol === dev.protocol || (u.protocol === 'ws:' && dev.protocol === 'http:') || (u.protocol === 'wss:' && dev.protocol === 'https:'))

  const filePath = (u: URL): string | undefined => {
    if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return undefined
    try {
      return comparable(fileURLToPath(u, { windows }))
    } catch {
      return undefined
    }
  }

  return {
    isAppPage(url) {
      const u = parse(url)
      if (!u) return false
      if (dev && isDevServer(u) && (u.protocol === 'http:' || u.protocol === 'https:')) return true
      const path = filePath(u)
      return path !== undefined && path === indexPath
    },
    isAllowedRequest(url) {
      const u = parse(url)
      if (!u) return false
      if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true
      if (isDevServer(u)) return true
      const path = filePath(u)
      return path !== undefined && (path + sep).startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)
    }
  }
}
