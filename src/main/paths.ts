import { join } from 'node:path'
import { app } from 'electron'
import { resolveBundledDataDir } from '../engine/hosts/node/bundled-data-dir'

/*
 * Where things are at run time. electron-vite puts main in out/main, the preload in out/preload and the
 * renderer in out/renderer, and main is CommonJS, so __dirname is out/main (inside app.asar when packaged).
 */

export const preloadPath = (): string => join(__dirname, '../preload/index.js')
export const rendererIndexFile = (): string => join(__dirname, '../renderer/index.html')
/** The engine's utility-process entry (electron.vite.config.ts main input `engineHost`). */
export const engineHostPath = (): string => join(__dirname, 'engineHost.js')

/** The electron-vite dev server, only in `electron-vite dev` (never in a packaged app). */
export function devServerUrl(): string | undefined {
  return !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : undefined
}

/** resources/mnist in the repository while developing; <resources>/mnist when packaged. */
export function bundledDataDir(): string {
  return resolveBundledDataDir({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath })
}

/** Saved runs: one JSON file per run in the app's user-data folder (kept across updates and restarts). */
export function runsDir(): string {
  return join(app.getPath('userData'), 'runs')
}

/** The model library: `<id>.safetensors` + `<id>.json` per model in the app's user-data folder. */
export function modelsDir(): string {
  return join(app.getPath('userData'), 'models')
}

/**
 * The lab's home, shared with the CLI (src/engine/hosts/node/lab-home.ts): GRADIENT_LAB_HOME when set,
 * else userData. The engine keeps its data library in `<home>/datasets`.
 */
export function labHomeDir(): string {
  return process.env.GRADIENT_LAB_HOME || app.getPath('userData')
}

/**
 * WebP's decoder for imports: <resources>/webp_dec.wasm in a package (electron-builder.yml extraResources,
 * no node_modules are packed); undefined in development, where the engine finds it in node_modules.
 */
export function webpWasmFile(): string | undefined {
  return app.isPackaged ? join(process.resourcesPath, 'webp_dec.wasm') : undefined
}
