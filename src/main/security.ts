import { app, session } from 'electron'
import type { UrlTrust } from './trusted-url'

/*
 * App-wide lockdown, installed before any window exists:
 * - no new windows (window.open, target=_blank), no navigation or redirect away from the app's page,
 *   no <webview>;
 * - every permission request and check is denied (camera, notifications, geolocation, …);
 * - no remote content: requests other than the app's own files (and the dev server in development) are
 *   cancelled.
 */
export function installSecurity(trust: UrlTrust): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      console.warn(`[security] blocked a new window for ${url}`)
      return { action: 'deny' }
    })
    const guard = (event: Electron.Event<{ url: string }>): void => {
      if (!trust.isAppPage(event.url)) {
        console.warn(`[security] blocked navigation to ${event.url}`)
        event.preventDefault()
      }
    }
    // will-navigate: main frame; will-frame-navigate: any frame (the app has none, but be sure).
    contents.on('will-navigate', guard)
    contents.on('will-frame-navigate', guard)
    contents.on('will-redirect', guard)
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = trust.isAllowedRequest(details.url)
    if (!allowed) console.warn(`[security] blocked a request for ${details.url}`)
    callback({ cancel: !allowed })
  })
}
