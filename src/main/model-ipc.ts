import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { basename, extname, isAbsolute } from 'node:path'
import { z } from 'zod'
import type { OpenModelFileResult, SaveTextFileResult, StoredModelFile } from '../preload/api'
import { writeFileAtomically } from '../engine/hosts/node/atomic-write'
import { readRegularFile } from '../engine/hosts/node/read-regular-file'
import { IPC } from './channels'
import { isTrustedSender } from './ipc'
import { MAX_MODEL_FILE_BYTES, MODEL_FILE_ID, type ModelFileStore } from './model-files'
import type { UrlTrust } from './trusted-url'

/*
 * The model library's requests from the renderer. As in ipc.ts: each handler checks that the sender is the
 * app's own top-level page and validates its arguments. The model bytes themselves are validated by the
 * renderer with the engine's reader before they are saved; here only what main relies on is checked.
 */

const NoArgs = z.tuple([])
const ModelIdArg = z.string().regex(MODEL_FILE_ID, 'not a valid model id')
const EntryArg = z.looseObject({ id: ModelIdArg, version: z.number().int().min(1) })
const BytesArg = z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength <= MAX_MODEL_FILE_BYTES, 'expected the model bytes')
const ExportName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\:*?"<>|\u0000-\u001f]+\.(safetensors|onnx|zip)$/, 'a plain file name ending in .safetensors, .onnx or .zip')
const FILTER_NAMES: Record<string, string> = { onnx: 'ONNX', zip: 'PyTorch project (.zip)' }
const ChosenPath = z.string().min(1).max(4096).refine(isAbsolute, 'expected an absolute path')

function guard(event: IpcMainInvokeEvent, trust: UrlTrust): void {
  if (!isTrustedSender(event, trust)) throw new Error('refused: not sent by the Gradient Lab page')
}

function parse<T>(schema: z.ZodType<T>, args: unknown[], what: string): T {
  const parsed = schema.safeParse(args)
  if (!parsed.success) throw new Error(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid arguments'}`)
  return parsed.data
}

export function registerModelIpc(trust: UrlTrust, models: ModelFileStore): void {
  ipcMain.handle(IPC.modelsList, async (event, ...args: unknown[]): Promise<StoredModelFile[]> => {
    guard(event, trust)
    parse(NoArgs, args, 'models.list')
    return models.list()
  })

  ipcMain.handle(IPC.modelsRead, async (event, ...args: unknown[]): Promise<Uint8Array> => {
    guard(event, trust)
    const [id] = parse(z.tuple([ModelIdArg]), args, 'models.read')
    return models.read(id)
  })

  ipcMain.handle(IPC.modelsSave, async (event, ...args: unknown[]): Promise<void> => {
    guard(event, trust)
    const [entry, bytes] = parse(z.tuple([EntryArg, BytesArg]), args, 'models.save')
    await models.save(entry.id, entry, bytes)
  })

  ipcMain.handle(IPC.modelsSaveEntry, async (event, ...args: unknown[]): Promise<void> => {
    guard(event, trust)
    const [entry] = parse(z.tuple([EntryArg]), args, 'models.saveEntry')
    await models.saveEntry(entry.id, entry)
  })

  ipcMain.handle(IPC.modelsRemove, async (event, ...args: unknown[]): Promise<void> => {
    guard(event, trust)
    const [id] = parse(z.tuple([ModelIdArg]), args, 'models.remove')
    await models.remove(id)
  })

  ipcMain.handle(IPC.modelsOpenFile, async (event, ...args: unknown[]): Promise<OpenModelFileResult> => {
    guard(event, trust)
    parse(NoArgs, args, 'models.openModelFile')
    const options: Electron.OpenDialogOptions = {
      title: 'Import a model',
      buttonLabel: 'Import',
      properties: ['openFile'],
      filters: [{ name: 'safetensors', extensions: ['safetensors'] }]
    }
    const parent = BrowserWindow.fromWebContents(event.sender)
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    if (result.canceled || result.filePaths.length === 0) return { canceled: true }
    const path = ChosenPath.parse(result.filePaths[0])
    // A regular file only (a FIFO or a device picked in the dialog would hang or never end), at most the cap.
    return { canceled: false, name: basename(path, extname(path)), bytes: await readRegularFile(path, MAX_MODEL_FILE_BYTES) }
  })

  ipcMain.handle(IPC.modelsSaveFile, async (event, ...args: unknown[]): Promise<SaveTextFileResult> => {
    guard(event, trust)
    const [suggestedName, bytes] = parse(z.tuple([ExportName, BytesArg]), args, 'models.saveModelFile')
    const extension = suggestedName.slice(suggestedName.lastIndexOf('.') + 1)
    const options: Electron.SaveDialogOptions = {
      title: 'Export model',
      defaultPath: suggestedName,
      filters: [{ name: FILTER_NAMES[extension] ?? 'safetensors', extensions: [extension] }]
    }
    const parent = BrowserWindow.fromWebContents(event.sender)
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
    if (result.canceled || !result.filePath) return { canceled: true }
    const path = ChosenPath.parse(result.filePath)
    // Atomic as well: exporting over an older export never leaves half a file.
    await writeFileAtomically(path, bytes)
    return { canceled: false, path }
  })
}
