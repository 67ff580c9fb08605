import { join } from 'node:path'
import { APP_DATA_FOLDER_NAME } from '../engine/hosts/node/lab-home'

/*
 * Where the app keeps the student's runs, models and settings. Electron names the userData folder after
 * package.json's productName ("Gradient Lab"), but every earlier build had no productName and used its
 * name, `gradient-lab`. Pinning the folder to that name keeps everyone's data where it is (nothing to
 * migrate, nothing to lose), and it is the folder the CLI computes from the same constant (lab-home.ts).
 */

export interface PathsApp {
  getPath(name: 'appData' | 'userData'): string
  setPath(name: 'userData', path: string): void
}

/** `<appData>/gradient-lab`: the app's userData folder, whatever its product name. */
export function pinnedUserDataDir(appDataDir: string): string {
  return join(appDataDir, APP_DATA_FOLDER_NAME)
}

/**
 * Sets userData before anything reads it: call it first in main, before the single-instance lock (its lock
 * file lives there) and before the app is ready (Chromium's profile lives there too).
 */
export function pinUserData(app: PathsApp): string {
  const dir = pinnedUserDataDir(app.getPath('appData'))
  app.setPath('userData', dir)
  return dir
}
