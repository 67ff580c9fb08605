import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import { writeFileAtomically } from '../engine/hosts/node/atomic-write'
import type { ChooseDirectoryResult, SaveTextFileResult, StoredRunFile } from '../preload/api'
import { IPC } from './channels'
import type { EngineProcess } from './engine-process'
import type { SweepEngines } from './sweep-engines'
import { MAX_READ_BATCH, RUN_FILE_ID, type RunFileStore } from './run-files'
import type { UrlTrust } from './trusted-url'

/*
 * The renderer's few requests to main. Each handler checks that the sender is the app's own page in a
 * top-level frame, and validates its arguments; anything else is refused.
 */

const NoArgs = z.tuple([])
const PortRequestArgs = z.tuple([z.object({ requestId: z.string().min(1).max(100).optional() }).strict()])
const SweepOpenArgs = z.tuple([z.number().int().min(1).max(256)])
const ChosenDirectory = z.string().min(1).max(4096).refine(isAbsolute, 'expected an absolute path')
const RunIdArg = z
  .string()
  .regex(RUN_FILE_ID)
  .refine((id) => !id.includes('..'), 'not a plain id')
/** The record itself is validated by the renderer's versioned schema when read; here only what main relies on. */
const RunSaveArgs = z.tuple([z.looseObject({ id: RunIdArg, version: z.number().int().min(1) })])
const RunRemoveArgs = z.tuple([RunIdArg])
const RunReadArgs = z.tuple([z.array(RunIdArg).min(1).max(MAX_READ_BATCH)])
const MAX_CSV_CHARS = 64 * 1024 * 1024
const SaveCsvArgs = z.tuple([
  z
    .string()
    .min(5)
    .max(200)
    .regex(/^[^/\\:*?"<>|\u0000-\u001f]+\.csv$/, 'a plain file name ending in .csv'),
  z.string().max(MAX_CSV_CHARS)
])

export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent, trust: UrlTrust): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && trust.isAppPage(frame.url)
}

export function registerIpc(engine: EngineProcess, trust: UrlTrust, runs: RunFileStore, sweeps: SweepEngines): void {
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

  // A folder of class folders for the data library: only its path goes back; the page asks the engine to import it.
  ipcMain.handle(IPC.chooseImportDirectory, async (event, ...args: unknown[]): Promise<ChooseDirectoryResult> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    if (!NoArgs.safeParse(args).success) throw new Error('chooseImportDirectory takes no arguments')
    const options: Electron.OpenDialogOptions = {
      title: 'Choose a folder of images (one folder per class), a CIFAR or an IDX folder',
      buttonLabel: 'Import',
      properties: ['openDirectory']
    }
    const parent = BrowserWindow.fromWebContents(event.sender)
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    if (result.canceled || result.filePaths.length === 0) return { canceled: true }
    return { canceled: false, directory: ChosenDirectory.parse(result.filePaths[0]) }
  })

  ipcMain.handle(IPC.runsList, async (event, ...args: unknown[]): Promise<StoredRunFile[]> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    if (!NoArgs.safeParse(args).success) throw new Error('runs.list takes no arguments')
    return runs.list()
  })

  ipcMain.handle(IPC.runsRead, async (event, ...args: unknown[]): Promise<StoredRunFile[]> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    const parsed = RunReadArgs.safeParse(args)
    if (!parsed.success) throw new Error(`runs.read expects 1 to ${MAX_READ_BATCH} run ids`)
    return runs.read(parsed.data[0])
  })

  ipcMain.handle(IPC.runsSave, async (event, ...args: unknown[]): Promise<void> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    const parsed = RunSaveArgs.safeParse(args)
    if (!parsed.success) throw new Error(`runs.save: ${parsed.error.issues[0]?.message ?? 'invalid record'}`)
    const record = parsed.data[0]
    await runs.save(record.id, record)
  })

  ipcMain.handle(IPC.runsRemove, async (event, ...args: unknown[]): Promise<void> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    const parsed = RunRemoveArgs.safeParse(args)
    if (!parsed.success) throw new Error('runs.remove expects a run id')
    await runs.remove(parsed.data[0])
  })

  ipcMain.handle(IPC.saveCsv, async (event, ...args: unknown[]): Promise<SaveTextFileResult> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    const parsed = SaveCsvArgs.safeParse(args)
    if (!parsed.success) throw new Error(`saveCsvFile: ${parsed.error.issues[0]?.message ?? 'invalid arguments'}`)
    const [suggestedName, content] = parsed.data
    const options: Electron.SaveDialogOptions = {
      title: 'Export CSV',
      defaultPath: suggestedName,
      filters: [{ name: 'CSV', extensions: ['csv'] }]
    }
    const parent = BrowserWindow.fromWebContents(event.sender)
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
    if (result.canceled || !result.filePath) return { canceled: true }
    const path = ChosenDirectory.parse(result.filePath)
    // Atomic like every other file: exporting over an older CSV never leaves half of one.
    await writeFileAtomically(path, content)
    return { canceled: false, path }
  })

  ipcMain.handle(IPC.sweepEnginesOpen, async (event, ...args: unknown[]): Promise<number> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    const parsed = SweepOpenArgs.safeParse(args)
    if (!parsed.success) throw new Error('sweepEngines.open expects a whole number of engines from 1')
    return sweeps.open(event.sender, parsed.data[0])
  })

  ipcMain.handle(IPC.sweepEnginesClose, async (event, ...args: unknown[]): Promise<void> => {
    if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
    if (!NoArgs.safeParse(args).success) throw new Error('sweepEngines.close takes no arguments')
    sweeps.close(event.sender.id)
  })

  ipcMain.on(IPC.engineRequestPort, (event, ...args: unknown[]) => {
    if (!isTrustedSender(event, trust)) return
    const parsed = PortRequestArgs.safeParse(args)
    if (!parsed.success) return
    engine.connect(event.sender, parsed.data[0].requestId)
  })
}
