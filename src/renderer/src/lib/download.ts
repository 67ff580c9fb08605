/**
 * Hands a CSV file to the student. In Electron: the system save dialog, through the preload (main checks
 * the name and writes the file). In a browser: a download from a Blob link.
 */
export type SaveResult = { saved: true; where?: string } | { saved: false }

export async function saveCsv(fileName: string, content: string, bridge = globalThis.window?.gradientLab): Promise<SaveResult> {
  if (bridge?.saveCsvFile) {
    const result = await bridge.saveCsvFile(fileName, content)
    return result.canceled ? { saved: false } : { saved: true, where: result.path }
  }
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }))
  try {
    const link = document.createElement('a')
    link.href = url
    link.download = fileName
    link.style.display = 'none'
    document.body.append(link)
    link.click()
    link.remove()
  } finally {
    // Revoked after the click has been handled; the download keeps its own reference.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return { saved: true }
}

/** `gradient-lab-results-2026-11-27-1530.csv`: sortable, and no characters any file system refuses. */
export function csvFileName(kind: string, date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`
  return `gradient-lab-${kind}-${stamp}.csv`
}
