import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../src/engine/presets'

describe('Japanese preset texts', () => {
  it('translate every title, summary, description and quirk of every preset', () => {
    const texts = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../src/renderer/src/locales/presets.ja.json'), 'utf8')).texts as Record<string, string>
    const missing = PRESETS.flatMap((p) => [p.title, p.summary, p.description, ...p.quirks].filter((t) => !(t in texts)).map((t) => `${p.id}: ${t.slice(0, 60)}`))
    expect(missing).toEqual([])
  })
})
