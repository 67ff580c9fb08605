/**
 * The engine's numeric code may not call Math.exp, log, pow, tanh, sin or cos (eslint.config.mjs,
 * portableMath): their last bit differs between V8 versions, so core/portable-math.ts computes them.
 * A fixture that calls them fails; the portable module itself and Math.sqrt pass.
 */
import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') })

async function broken(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  const fatal = result.messages.find((m) => m.fatal)
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`)
  return result.messages.map((m) => m.ruleId ?? '?')
}

describe('no platform transcendental functions in the engine', () => {
  it('Math.exp, log, pow, tanh, sin and cos are refused in src/engine', async () => {
    for (const f of ['exp', 'log', 'pow', 'tanh', 'sin', 'cos']) {
      const args = f === 'pow' ? 'x, 2' : 'x'
      expect(await broken('src/engine/layers/portable-fixture.ts', `export const f = (x: number): number => Math.${f}(${args})\n`), f).toEqual([
        'no-restricted-properties'
      ])
    }
  })

  it('core/portable-math.ts may use them, Math.sqrt is exact everywhere, and code outside the engine is not concerned', async () => {
    expect(await broken('src/engine/core/portable-math.ts', 'export const f = (x: number): number => Math.exp(x)\n')).toEqual([])
    expect(await broken('src/engine/layers/portable-fixture.ts', 'export const f = (x: number): number => Math.sqrt(x)\n')).toEqual([])
    expect(await broken('src/renderer/src/lib/portable-fixture.ts', 'export const f = (x: number): number => Math.exp(x)\n')).toEqual([])
  })
})
