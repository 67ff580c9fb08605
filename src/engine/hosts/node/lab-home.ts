import { homedir } from 'node:os'
import { join } from 'node:path'

/*
 * The lab's home folder, shared by the desktop app and the CLI: the data library (`datasets/`) lives
 * there, so a set imported on the command line is in the app and the reverse. GRADIENT_LAB_HOME sets it
 * for both; otherwise it is the folder Electron uses as the app's userData (its appData folder + the
 * app's name), computed here without Electron so the CLI finds the same place.
 */

/**
 * The app's userData folder name. The app pins userData to it (src/main/user-data.ts), so it does not follow
 * package.json's productName ("Gradient Lab"): it is the folder every earlier build used.
 */
export const APP_DATA_FOLDER_NAME = 'gradient-lab'

export interface HomeEnvironment {
  env: Record<string, string | undefined>
  platform: NodeJS.Platform
  home: string
}

const currentEnvironment = (): HomeEnvironment => ({ env: process.env, platform: process.platform, home: homedir() })

/** Electron's `app.getPath('appData')` for a platform. */
export function appDataDir({ env, platform, home }: HomeEnvironment = currentEnvironment()): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || join(home, '.config')
}

/** GRADIENT_LAB_HOME if set, else the app's userData folder. */
export function labHome(environment: HomeEnvironment = currentEnvironment()): string {
  const fromEnv = environment.env.GRADIENT_LAB_HOME
  if (fromEnv) return fromEnv
  return join(appDataDir(environment), APP_DATA_FOLDER_NAME)
}

/** The data library: one folder per imported set. */
export const datasetsDir = (home: string = labHome()): string => join(home, 'datasets')
