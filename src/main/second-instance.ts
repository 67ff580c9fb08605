/** The window behaviour of a second launch, without Electron imports so it is unit-tested. */
export interface WindowLike {
  isMinimized(): boolean
  restore(): void
  focus(): void
}

/**
 * A second `npm start` or a second click on the app icon: show the window that exists, or open one when
 * none does (macOS keeps the app running after its last window is closed).
 */
export function showExistingOrOpen(windows: readonly WindowLike[], openWindow: () => void, ready: boolean): void {
  const win = windows[0]
  if (!win) {
    if (ready) openWindow()
    return
  }
  if (win.isMinimized()) win.restore()
  win.focus()
}
