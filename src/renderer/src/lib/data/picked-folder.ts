/*
 * A folder picked with <input type="file" webkitdirectory> in the browser version: its files as the
 * engine's import takes them (path relative to the chosen folder, the bytes read here).
 */

export interface FolderFile {
  readonly name: string
  readonly webkitRelativePath: string
  arrayBuffer(): Promise<ArrayBuffer>
}

/** "leaves/oak/1.png" → "oak/1.png": the picked folder itself is not part of the layout. */
export function pathInFolder(file: FolderFile): string {
  const relative = file.webkitRelativePath || file.name
  const slash = relative.indexOf('/')
  return slash >= 0 ? relative.slice(slash + 1) : relative
}

/** The picked folder's name, a good default for the set's name. */
export function folderName(files: readonly FolderFile[]): string {
  const first = files[0]?.webkitRelativePath ?? ''
  const slash = first.indexOf('/')
  return slash > 0 ? first.slice(0, slash) : ''
}

/** Reads every file (the engine decides which are images and names the rest in its skip list). */
export async function readFolderFiles(files: readonly FolderFile[]): Promise<Array<{ path: string; bytes: Uint8Array }>> {
  return Promise.all(files.map(async (file) => ({ path: pathInFolder(file), bytes: new Uint8Array(await file.arrayBuffer()) })))
}
