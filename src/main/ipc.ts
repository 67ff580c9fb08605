import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import type { ChooseDirectoryResult } from '../preload/api'
import { IPC } from './channels'
import type { EngineProcess } from './engine-process'
import type { UrlTrust } from './trusted-url'

/*
 * The renderer's few requests to main. Each handler checks that the sender is the app's own page in a
 * top-level frame, and validates its arguments; anything else is refused.
 */

const NoArgs = z.tuple([])
const PortRequestArgs = z.tuple([z.object({ requestId: z.string().min(1).max(100).optional() }).strict()])
const ChosenDirectory = z.string().min(1).max(4096).refine(isAbsolute, 'expected an absolute path')

function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent, trust: UrlTrust): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && trust.isAppPage(frame.url)
}

export function registerIpc(engine: EngineProcess, trust: UrlTrust): void {
  ipcMain.handle(IPC.chooseDatasetDirectory, async (event, ...args: unknown[]): Promise<ChooseDirectoryResult> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    if (!NoArgs.safeParse(args).success) throw new Error('chooseDatasetDirectory takes no arguments')

    const options: Electron.OpenDialogOptions = {
      title: 'Choose a folder with the MNIST files',
      buttonLabel: 'Load dataset',
      properties: ['openDirectory']
    }
    const parent = BrowserWindow.fromWebContents(event.sender)
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    if (result.canceled || result.filePaths.length === 0) return { canceled: true }

    const directory = ChosenDirectory.parse(result.filePaths[0])
    if (!engine.loadDirectory(directory)) {
      throw new Error('the training engine is not running; restart Gradient Lab to load a dataset')
    }
    return { canceled: false, directory }
  })

  ipcMain.on(IPC.engineRequestPort, (event, ...args: unknown[]) => {
    if (!isTrustedSender(event, trust)) return
    const parsed = PortRequestArgs.safeParse(args)
    if (!parsed.success) return
    engine.connect(event.sender, parsed.data[0].requestId)
  })
}
