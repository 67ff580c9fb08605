import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../src/engine/presets'

describe('Japanese preset texts', () => {
  it('translate every title, summary, description and quirk of every preset', () => {
    const texts = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../src/renderer/src/locales/presets.ja.json'), 'utf8')).texts as Record<
      string,
      string
    >
    const missing = PRESETS.flatMap((p) =>
      [p.title, p.summary, p.description, ...p.quirks].filter((t) => !(t in texts)).map((t) => `${p.id}: ${t.slice(0, 60)}`)
    )
    expect(missing).toEqual([])
  })

  it('quote the same figures as the English (every decimal number, e.g. a measured accuracy)', () => {
    const texts = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../src/renderer/src/locales/presets.ja.json'), 'utf8')).texts as Record<
      string,
      string
    >
    const figures = (text: string) => (text.match(/\d+\.\d+/g) ?? []).sort()
    const differing = PRESETS.flatMap((p) =>
      [p.title, p.summary, p.description, ...p.quirks]
        .filter((t) => t in texts && JSON.stringify(figures(t)) !== JSON.stringify(figures(texts[t])))
        .map((t) => `${p.id}: ${figures(t).join(' ')} ≠ ${figures(texts[t]).join(' ')}`)
    )
    expect(differing).toEqual([])
  })
})
