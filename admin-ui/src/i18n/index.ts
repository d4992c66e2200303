import polyglotI18nProvider from 'ra-i18n-polyglot'
import englishMessages from 'ra-language-english'
import italianMessages from 'ra-language-italian'
import type { StringMap, TranslationMessages } from 'react-admin'
import { en } from './en.ts'
import { it, raItalian } from './it.ts'

/** Locales the console speaks; Italian is the default. */
export type ConsoleLocale = 'it' | 'en'

const mergeInto = (target: StringMap, source: StringMap): StringMap => {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key]
    target[key] =
      typeof value === 'object' && typeof current === 'object' ? mergeInto({ ...current }, value) : value
  }
  return target
}

/**
 * Later layers win. react-admin's English strings come first so that a key
 * missing from every Italian layer still reads as words, never as a raw key.
 */
const layered = (...layers: StringMap[]): TranslationMessages =>
  layers.reduce<StringMap>((acc, layer) => mergeInto(acc, layer), {
    ...englishMessages,
  }) as TranslationMessages

const messages: Record<ConsoleLocale, TranslationMessages> = {
  it: layered(italianMessages, raItalian, it),
  en: layered(en),
}

/** Polyglot i18n provider: Italian by default, English selectable from the app bar. */
export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'en' ? messages.en : messages.it),
  'it',
  [
    { locale: 'it', name: it.app.language },
    { locale: 'en', name: en.app.language },
  ],
  { allowMissing: true },
)

/** BCP 47 tag for dates and numbers in the current console locale. */
export const intlLocale = (locale: string): string => (locale === 'en' ? 'en-GB' : 'it-IT')
