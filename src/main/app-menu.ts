import type { MenuItemConstructorOptions } from 'electron'

/*
 * The application menu. While developing, Electron's default menu stays (its View menu opens DevTools). A
 * packaged build has no DevTools and no menu that offers them: none at all on Windows and Linux (the window
 * has nothing to put there), and on macOS, where the menu bar belongs to the app, only the app, Edit (copy
 * and paste in the forms) and Window menus. Pure, so the choice is unit-tested.
 */

/** `undefined`: keep Electron's default menu; `null`: no menu; otherwise the menu to build. */
export function applicationMenuTemplate(platform: NodeJS.Platform, isPackaged: boolean): MenuItemConstructorOptions[] | null | undefined {
  if (!isPackaged) return undefined
  if (platform !== 'darwin') return null
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]
}

/** DevTools only in an unpackaged app (webPreferences.devTools). */
export const devToolsAllowed = (isPackaged: boolean): boolean => !isPackaged
