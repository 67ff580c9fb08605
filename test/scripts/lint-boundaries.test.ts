/**
 * The walls between the house's rooms (eslint.config.mjs): small files that break each one, linted as if
 * they stood in that room, must fail with the wall's rule, and their allowed neighbours must pass. A rule
 * that vanished from the config, or a pattern that stopped matching, fails here.
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from './import-graph'

const eslint = new ESLint({ cwd: ROOT })

/** The rules a fixture breaks, linted at `filePath` (the file need not exist). */
async function broken(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  const fatal = result.messages.find((m) => m.fatal)
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`)
  return result.messages.map((m) => m.ruleId ?? '?')
}

const RENDERER = 'src/renderer/src/lib/boundary-fixture.ts'
const ENGINE = 'src/engine/model/boundary-fixture.ts'

describe('the walls between the rooms', () => {
  it('the renderer may not import a layer, a kernel or the session, statically or on demand', async () => {
    expect(await broken(RENDERER, "import { buildNetwork } from '@engine/model/build'\nexport const b = buildNetwork\n")).toEqual(['no-restricted-imports'])
    expect(await broken(RENDERER, "export { kernelsFor } from '@engine/kernels/backend'\n")).toEqual(['no-restricted-imports'])
    expect(await broken(RENDERER, "import { x } from '../../../engine/session/session'\nexport const y = x\n")).toEqual(['no-restricted-imports'])
    expect(await broken(RENDERER, "export const load = () => import('@engine/model/build')\n")).toEqual(['no-restricted-syntax'])
    expect(await broken(RENDERER, "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n")).toEqual(['no-restricted-imports'])
  })

  it('the renderer may import the protocol, the settings, the pure plan and data types', async () => {
    const allowed = [
      "import { PROTOCOL_VERSION } from '@engine/protocol'",
      "import { RunConfigSchema } from '@engine/config/run-config'",
      "import { planLayers } from '@engine/model/layer-plan'",
      "import type { AugmentOptions } from '@engine/data/augment'",
      "export const later = () => import('@engine/visual/optimizer-paths')",
      'export const all = [PROTOCOL_VERSION, RunConfigSchema, planLayers] as const',
      'export type A = AugmentOptions'
    ]
    expect(await broken(RENDERER, allowed.join('\n') + '\n')).toEqual([])
    // A value import of a data module is not a type.
    expect(await broken(RENDERER, "import { augmentBatch } from '@engine/data/augment'\nexport const a = augmentBatch\n")).toEqual(['no-restricted-imports'])
  })

  it('the engine may import neither Electron, nor Node (outside hosts/node), nor the UI, nor use the DOM', async () => {
    expect(await broken(ENGINE, "import { app } from 'electron'\nexport const a = app\n")).toEqual(['no-restricted-imports'])
    expect(await broken(ENGINE, "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).toEqual(['no-restricted-imports'])
    expect(await broken(ENGINE, "import { join } from 'path'\nexport const j = join\n")).toEqual(['no-restricted-imports'])
    expect(await broken(ENGINE, "import { ref } from 'vue'\nexport const r = ref\n")).toEqual(['no-restricted-imports'])
    expect(await broken(ENGINE, 'export const title = () => document.title\n')).toEqual(['no-restricted-globals'])
    expect(await broken(ENGINE, 'export const size = () => window.innerWidth\n')).toEqual(['no-restricted-globals'])
    expect(await broken('src/engine/hosts/node/boundary-fixture.ts', "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).toEqual([])
  })

  it('the preload requires only electron; the main process does not import the renderer', async () => {
    expect(await broken('src/preload/boundary-fixture.ts', "import { join } from 'node:path'\nexport const j = join\n")).toEqual(['no-restricted-imports'])
    expect(
      await broken(
        'src/preload/boundary-fixture.ts',
        "import { ipcRenderer } from 'electron'\nimport type { GradientLabApi } from './api'\nexport const i: [typeof ipcRenderer, GradientLabApi?] = [ipcRenderer]\n"
      )
    ).toEqual([])
    expect(await broken('src/main/boundary-fixture.ts', "import { i18n } from '../renderer/src/i18n'\nexport const i = i18n\n")).toEqual([
      'no-restricted-imports'
    ])
  })
})
