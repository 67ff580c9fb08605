import { existsSync } from 'node:fs'
import { join } from 'node:path'

/*
 * Where the bundled MNIST files live, for a given install layout. Pure apart from an existence check,
 * so it is testable without Electron; src/main/paths.ts feeds it the values from `app`.
 *
 * Development (`electron-vite preview`, `electron .`): <app path>/resources/mnist, the repository copy.
 * Packaged: the files are shipped next to the asar as an extra resource, i.e. electron-builder
 *   extraResources: [{ from: 'resources/mnist', to: 'mnist' }]   →  <resourcesPath>/mnist
 * Two other common packaging layouts are accepted as fallbacks (resources copied as a folder, or the
 * folder unpacked from the asar).
 */

export interface InstallLayout {
  isPackaged: boolean
  /** `app.getAppPath()`: the project root in development, `<resources>/app.asar` when packaged. */
  appPath: string
  /** `process.resourcesPath` */
  resourcesPath: string
}

export function bundledDataDirCandidates(layout: InstallLayout): string[] {
  if (!layout.isPackaged) return [join(layout.appPath, 'resources', 'mnist')]
  return [
    join(layout.resourcesPath, 'mnist'),
    join(layout.resourcesPath, 'resources', 'mnist'),
    join(layout.resourcesPath, 'app.asar.unpacked', 'resources', 'mnist')
  ]
}

/**
 * The first candidate that exists, else the first candidate (the engine then reports DATASET_MISSING_FILE
 * naming that path, which is the most useful thing to show).
 */
export function resolveBundledDataDir(layout: InstallLayout, exists: (path: string) => boolean = existsSync): string {
  const candidates = bundledDataDirCandidates(layout)
  return candidates.find((dir) => exists(dir)) ?? candidates[0]
}
