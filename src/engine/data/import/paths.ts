/*
 * Path rules shared by the layouts: what is ignored, how names compare. Names are compared in Unicode NFC
 * so a folder copied from macOS (which stores names decomposed) sorts and labels as it does elsewhere.
 */

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'bmp'] as const

/** A path's segments, NFC-normalised, without empty or "." segments. */
export const segmentsOf = (path: string): string[] =>
  path
    .normalize('NFC')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')

/** Hidden files and folders (".DS_Store", "._x.png", ".git/"), and the "__MACOSX" folder of zip files made on a Mac. */
export const isIgnored = (segments: readonly string[]): boolean => segments.some((s) => s.startsWith('.') || s === '__MACOSX')

export function hasImageExtension(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.')
  return dot > 0 && (IMAGE_EXTENSIONS as readonly string[]).includes(fileName.slice(dot + 1).toLowerCase())
}

/** Code-point order (not UTF-16 unit order, which puts some characters beyond U+FFFF before U+E000…U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]()
  const right = b[Symbol.iterator]()
  for (;;) {
    const x = left.next()
    const y = right.next()
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0)
    if (difference !== 0) return difference
  }
}

/** Names one per line (a classes.txt or CIFAR's label files): UTF-8, an optional BOM, blank lines dropped. */
export function readNameList(bytes: Uint8Array, fileLabel: string): string[] | string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return `${fileLabel}: not UTF-8 text`
  }
  const names = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim().normalize('NFC'))
    .filter((line) => line !== '')
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) return `${fileLabel}: names the class "${name}" twice`
    seen.add(name)
  }
  return names
}
