import { createI18n } from 'vue-i18n'
import en from './locales/en.json'
import ja from './locales/ja.json'

/**
 * Two languages: Japanese (the course's language and terms) and English. The choice is remembered per
 * machine; the first visit follows the system language.
 */

export const LOCALES = ['en', 'ja'] as const
export type Locale = (typeof LOCALES)[number]

export const LOCALE_STORAGE_KEY = 'gradient-lab.locale'

type MessageSchema = typeof en

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function readStoredLocale(): Locale | null {
  try {
    const stored = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY)
    return isLocale(stored) ? stored : null
  } catch {
    // Storage can be unavailable (privacy settings); the system language is a fine fallback.
    return null
  }
}

export function initialLocale(language = globalThis.navigator?.language ?? ''): Locale {
  return readStoredLocale() ?? (language.toLowerCase().startsWith('ja') ? 'ja' : 'en')
}

export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, ja }
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>

/** Switches the language outside components (startup, tests). */
export function applyLocale(i18n: AppI18n, locale: Locale): void {
  i18n.global.locale.value = locale
  rememberLocale(locale)
}

/** Remembers the language and tells the document (screen readers, font choice, line breaking). */
export function rememberLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Not remembered, but the switch itself still works.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
