/**
 * Main process entry: glue only. Security first, then the engine's utility process, the IPC handlers and
 * the window. Each job lives in its own file.
 */
import { availableParallelism } from 'node:os'
import { app, BrowserWindow, Menu, MessageChannelMain, utilityProcess } from 'electron'
import { applicationMenuTemplate } from './app-menu'
import { EngineProcess } from './engine-process'
import { registerIpc } from './ipc'
import { SweepEngines } from './sweep-engines'
import { showExistingOrOpen } from './second-instance'
import { bundledDataDir, devServerUrl, engineHostPath, modelsDir, rendererIndexFile, runsDir, labHomeDir, webpWasmFile } from './paths'
import { createModelFileStore } from './model-files'
import { registerModelIpc } from './model-ipc'
import { createRunFileStore } from './run-files'
import { installSecurity } from './security'
import { createUrlTrust } from './trusted-url'
import { pinUserData } from './user-data'
import { createMainWindow } from './window'

// Before anything reads userData (the single-instance lock below keeps its lock file there).
pinUserData(app)

// Every renderer sandboxed, whatever a BrowserWindow says.
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let engine: EngineProcess | undefined
  let sweeps: SweepEngines | undefined

  const openWindow = (): void => {
    const win = createMainWindow()
    engine?.attachRenderer(win.webContents)
  }

  app.on('second-instance', () => showExistingOrOpen(BrowserWindow.getAllWindows(), openWindow, app.isReady() && engine !== undefined))

  app
    .whenReady()
    .then(() => {
      const menu = applicationMenuTemplate(process.platform, app.isPackaged)
      if (menu !== undefined) Menu.setApplicationMenu(menu && Menu.buildFromTemplate(menu))
      const trust = createUrlTrust({ rendererIndexFile: rendererIndexFile(), devServerUrl: devServerUrl() })
      installSecurity(trust)

      engine = new EngineProcess(
        { modulePath: engineHostPath(), dataDir: bundledDataDir(), homeDir: labHomeDir(), webpWasm: webpWasmFile() },
        {
          fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
          createChannel: () => new MessageChannelMain()
        }
      )
      engine.on('status', (status) => console.log(`[engine] ${status.state}${'reason' in status ? `: ${status.reason}` : ''}`))
      engine.start()
      // A sweep's extra engines: the same host, one process each (at most one per core).
      sweeps = new SweepEngines(
        { modulePath: engineHostPath(), dataDir: bundledDataDir(), homeDir: labHomeDir(), webpWasm: webpWasmFile(), maxEngines: availableParallelism() },
        {
          fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
          createChannel: () => new MessageChannelMain()
        }
      )
      const runFiles = createRunFileStore(runsDir())
      registerIpc(engine, trust, runFiles, sweeps)
      // The index is a cache (rebuilt from the records if stale), but a written one spares the next start the rebuild.
      app.on('will-quit', () => void runFiles.flushIndex().catch(() => undefined))
      registerModelIpc(trust, createModelFileStore(modelsDir()))
      openWindow()

      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow()
      })
    })
    .catch((error: unknown) => {
      console.error('[main] startup failed:', error)
      app.exit(1)
    })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('will-quit', () => {
    sweeps?.dispose()
    engine?.dispose()
  })
}
