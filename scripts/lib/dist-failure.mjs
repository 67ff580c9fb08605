// How `npm run dist` explains a failed electron-builder run. Pure, so test/scripts/dist-failure.test.ts feeds
// it electron-builder's real output.

/** Error codes of a download that could not reach its server (offline, a proxy, DNS). */
const NETWORK_CODE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/

/**
 * One line for a download that failed (electron-builder fetches Electron's release, and for some targets its
 * tools: fpm for the deb, NSIS, …); null for any other failure, whose own output then says what happened.
 */
export function offlineDistMessage(output, electronVersion) {
  const code = NETWORK_CODE.exec(output)?.[1]
  if (!code) return null
  const host = /getaddrinfo \w+ (\S+)/.exec(output)?.[1]
  return (
    `dist: electron-builder could not download Electron ${electronVersion} or one of its tools (${code}${host ? ` ${host}` : ''}: no network). ` +
    'Run it online, or point ELECTRON_MIRROR at a reachable mirror, or give it a local Electron folder: ' +
    'npm run dist -- -c.electronDist=/path/to/electron/dist (the deb also needs fpm: install it and set USE_SYSTEM_FPM=true).'
  )
}
