import { afterEach, describe, expect, it } from 'vitest'
import en from '@renderer/locales/en.json'
import ja from '@renderer/locales/ja.json'
import { LOCALE_STORAGE_KEY, applyLocale, createAppI18n, initialLocale } from '@renderer/i18n'
import presetsJa from '@renderer/locales/presets.ja.json'
import { translatePresetText } from '@renderer/composables/preset-text'
import { PRESETS } from '@engine/presets'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('i18n', () => {
  afterEach(() => localStorage.clear())

  it('has the same keys in English and Japanese', () => {
    expect(keys(ja).sort()).toEqual(keys(en).sort())
  })

  it('starts in Japanese for a Japanese system and in English otherwise', () => {
    expect(initialLocale('ja-JP')).toBe('ja')
    expect(initialLocale('ja')).toBe('ja')
    expect(initialLocale('en-US')).toBe('en')
    expect(initialLocale('de')).toBe('en')
  })

  it('remembers the chosen language over the system one', () => {
    const i18n = createAppI18n('en')
    applyLocale(i18n, 'ja')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('ja')
    expect(document.documentElement.lang).toBe('ja')
    expect(initialLocale('en-US')).toBe('ja')
    expect(i18n.global.t('controls.start')).toBe('開始')
  })

  it('compiles every message in both languages (no stray syntax characters)', () => {
    const i18n = createAppI18n('en')
    for (const locale of ['en', 'ja'] as const) {
      i18n.global.locale.value = locale
      for (const key of keys(en)) {
        const text = i18n.global.t(key, {
          n: 1,
          iter: 1,
          total: 2,
          rate: 3,
          time: 't',
          m: 1,
          s: 2,
          name: 'x',
          files: 'f',
          reason: 'r',
          field: 'f',
          message: 'm',
          std: 0.01,
          hidden: '[1]',
          activation: 'a',
          init: 'i',
          train: 1,
          test: 2,
          engine: 1,
          app: 1,
          ratio: 0.5,
          mode: 'm',
          kind: 'L2',
          lambda: 0.1,
          preset: 'p',
          min: 1,
          max: 2,
          value: 3,
          count: 4,
          label: 'l',
          acc: '0.9',
          done: 1,
          pct: '5%',
          lo: 0,
          hi: 1,
          peak: '5%'
        })
        expect(text, `${locale}:${key}`).not.toBe(key)
        expect(text).not.toContain('{')
      }
    }
  })

  it("shows the engine's preset texts in Japanese where translated, in English otherwise", () => {
    expect(translatePresetText('sigmoid + Xavier', 'ja')).toBe('シグモイド + Xavier')
    expect(translatePresetText('sigmoid + Xavier', 'en')).toBe('sigmoid + Xavier')
    expect(translatePresetText('A preset added later', 'ja')).toBe('A preset added later')
    for (const [english, japanese] of Object.entries(presetsJa.texts)) {
      expect(japanese.trim(), english).not.toBe('')
      expect(japanese, english).not.toBe(english)
    }
    // Every lesson of the MLP course has its gallery in Japanese (a sample: the ids are stable, the texts may move on).
    const sigmoid = PRESETS.find((p) => p.id === 'vg-sigmoid-gauss')
    if (sigmoid) expect(translatePresetText(sigmoid.title, 'ja')).toContain('シグモイド')
  })
})
