import { useI18n } from 'vue-i18n'
import presetsJa from '@renderer/locales/presets.ja.json'

/**
 * The engine describes its presets in English (titles, one-line summaries, descriptions, quirks). In
 * Japanese they are shown from locales/presets.ja.json, matched on the exact English text: a text the
 * engine changes or adds is shown in English until it is translated, never with a stale translation.
 */
const JA: Record<string, string> = presetsJa.texts

export function translatePresetText(text: string, locale: string): string {
  return locale === 'ja' ? (JA[text] ?? text) : text
}

export function usePresetText() {
  const { locale } = useI18n()
  return (text: string): string => translatePresetText(text, locale.value)
}
