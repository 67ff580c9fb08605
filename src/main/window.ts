import { app, BrowserWindow } from 'electron'
import { devToolsAllowed } from './app-menu'
import { devServerUrl, preloadPath, rendererIndexFile } from './paths'

/** The app's one window: locked-down web preferences, our preload, our page and nothing else. */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Gradient Lab',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A packaged build cannot open DevTools at all, whatever the keyboard or a script asks.
      devTools: devToolsAllowed(app.isPackaged),
      // A middle click would open a link in a new window (Electronegativity AUXCLICK_JS_CHECK); the app has
      // no such link, and new windows are denied anyway (security.ts), but the feature is not needed at all.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  win.once('ready-to-show', () => win.show())

  const devUrl = devServerUrl()
  const loaded = devUrl ? win.loadURL(devUrl) : win.loadFile(rendererIndexFile())
  loaded.catch((error: unknown) => console.error('[window] could not load the renderer:', error))
  return win
}
