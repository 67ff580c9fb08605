/**
 * Main process entry: glue only. Security first, then the engine's utility process, the IPC handlers and
 * the window. Each job lives in its own file.
 */
import { app, BrowserWindow, MessageChannelMain, utilityProcess } from 'electron'
import { EngineProcess } from './engine-process'
import { registerIpc } from './ipc'
import { showExistingOrOpen } from './second-instance'
import { bundledDataDir, devServerUrl, engineHostPath, modelsDir, rendererIndexFile, runsDir } from './paths'
import { createModelFileStore } from './model-files'
import { registerModelIpc } from './model-ipc'
import { createRunFileStore } from './run-files'
import { installSecurity } from './security'
import { createUrlTrust } from './trusted-url'
import { createMainWindow } from './window'

// Every renderer sandboxed, whatever a BrowserWindow says.
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let engine: EngineProcess | undefined

  const openWindow = (): void => {
    const win = createMainWindow()
    engine?.attachRenderer(win.webContents)
  }

  app.on('second-instance', () => showExistingOrOpen(BrowserWindow.getAllWindows(), openWindow, app.isReady() && engine !== undefined))

  app.whenReady().then(() => {
    const trust = createUrlTrust({ rendererIndexFile: rendererIndexFile(), devServerUrl: devServerUrl() })
    installSecurity(trust)

    engine = new EngineProcess(
      { modulePath: engineHostPath(), dataDir: bundledDataDir() },
      {
        fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
        createChannel: () => new MessageChannelMain()
      }
    )
    engine.on('status', (status) => console.log(`[engine] ${status.state}${'reason' in status ? `: ${status.reason}` : ''}`))
    engine.start()
    registerIpc(engine, trust, createRunFileStore(runsDir()))
    registerModelIpc(trust, createModelFileStore(modelsDir()))
    openWindow()

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  }).catch((error: unknown) => {
    console.error('[main] startup failed:', error)
    app.exit(1)
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('will-quit', () => engine?.dispose())
}
