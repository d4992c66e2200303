import type { MessageParams } from './errors.ts'

/** Languages a person can read Filo's messages in. Italian comes first. */
export const LANGUAGES = ['it', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

const catalogs: Record<Language, Record<string, string>> = { it: {}, en: {} }

/**
 * Registers a module's messages (each module calls it from its `<module>.messages.ts`):
 * the type demands the same codes in every language. A code registered twice with
 * another text is a bug: it throws.
 */
export function defineMessages<K extends string>(messages: Record<Language, Record<K, string>>): void {
  for (const lang of LANGUAGES) {
    for (const [code, text] of Object.entries<string>(messages[lang])) {
      if (code in catalogs[lang] && catalogs[lang][code] !== text)
        throw new Error(`message ${code} registered twice`)
      catalogs[lang][code] = text
    }
  }
}

// Messages about requests in general (validation, lists, server errors).
defineMessages({
  it: {
    invalid_request: 'Richiesta non valida: {detail}',
    not_found: 'Risorsa non trovata.',
    route_not_found: 'Indirizzo non trovato: {method} {url}.',
    internal: 'Errore interno del server. Riprova tra poco.',
    unavailable: 'Servizio momentaneamente non disponibile. Riprova tra poco.',
    payload_too_large: 'La richiesta è troppo grande.',
    unsupported_media_type: 'Formato della richiesta non supportato.',
    invalid_sort: 'Non si può ordinare per «{field}». Campi ammessi: {allowed}.',
    invalid_range:
      'Intervallo non valido: indica [inizio, fine] con 0 ≤ inizio ≤ fine e al massimo {max} righe.',
    invalid_filter: 'Filtro non valido: {detail}',
    invalid_json_param: 'Il parametro «{param}» deve essere JSON valido.',
    invalid_cursor: 'Il cursore non è valido per questo ordinamento: ricomincia dalla prima pagina.',
    unknown_reference: '{field} {id} non esiste.',
  },
  en: {
    invalid_request: 'Invalid request: {detail}',
    not_found: 'Not found.',
    route_not_found: 'No such address: {method} {url}.',
    internal: 'Internal server error. Please try again shortly.',
    unavailable: 'Service temporarily unavailable. Please try again shortly.',
    payload_too_large: 'The request is too large.',
    unsupported_media_type: 'Unsupported request format.',
    invalid_sort: 'Cannot sort by "{field}". Allowed fields: {allowed}.',
    invalid_range: 'Invalid range: give [start, end] with 0 ≤ start ≤ end and at most {max} rows.',
    invalid_filter: 'Invalid filter: {detail}',
    invalid_json_param: 'The "{param}" parameter must be valid JSON.',
    invalid_cursor: 'The cursor does not fit this sort order: start again from the first page.',
    unknown_reference: '{field} {id} does not exist.',
  },
})

/**
 * Translates a message code; unknown codes fall back to `fallback`. A parameter
 * whose value starts with "@" is itself a message code (a status name, say) and
 * is translated too.
 */
export function translate(
  lang: Language,
  code: string,
  params: MessageParams = {},
  fallback?: string,
): string {
  const template = catalogs[lang][code] ?? catalogs.it[code] ?? fallback ?? code
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'string' && value.startsWith('@')
      ? translate(lang, value.slice(1))
      : String(value)
  })
}

/** Picks the best language from an Accept-Language header; Italian by default. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'it'
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';')
      const q = rest.find((p) => p.trim().startsWith('q='))
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 }
    })
    .filter((r) => Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q)
  for (const r of ranked) if ((LANGUAGES as readonly string[]).includes(r.lang)) return r.lang as Language
  return 'it'
}
