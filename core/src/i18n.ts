import type { MessageParams } from './errors.ts'

/** Languages a person can read Filo's messages in. Italian comes first. */
export const LANGUAGES = ['it', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

type Catalog = Record<string, string>

/**
 * Messages a person reads (API errors shown by the console, public pages).
 * Keys are DomainError codes; `{name}` is replaced by the error's params.
 */
const catalogs: Record<Language, Catalog> = {
  it: {
    invalid_request: 'Richiesta non valida: {detail}',
    not_found: 'Risorsa non trovata.',
    route_not_found: 'Indirizzo non trovato: {method} {url}.',
    internal: 'Errore interno del server. Riprova tra poco.',
    unavailable: 'Servizio momentaneamente non disponibile. Riprova tra poco.',
    payload_too_large: 'La richiesta è troppo grande.',
    unsupported_media_type: 'Formato della richiesta non supportato.',
    unauthenticated: 'Accesso richiesto: effettua il login.',
    forbidden: 'Non hai i permessi per questa operazione.',
    invalid_credentials: 'Email o password non corretti.',
    too_many_attempts: 'Troppi tentativi di accesso non riusciti. Riprova tra {minutes} minuti.',
    account_disabled: 'Questo account è disattivato.',
    case_not_found: 'La segnalazione {id} non esiste o non è visibile per te.',
    invalid_sort: 'Non si può ordinare per «{field}». Campi ammessi: {allowed}.',
    invalid_range:
      'Intervallo non valido: indica [inizio, fine] con 0 ≤ inizio ≤ fine e al massimo {max} righe.',
    invalid_filter: 'Filtro non valido: {detail}',
    invalid_json_param: 'Il parametro «{param}» deve essere JSON valido.',
    unknown_reference: '{field} {id} non esiste.',
    coordinates_pair: 'Latitudine e longitudine vanno indicate insieme.',
    subject_blank: "L'oggetto della segnalazione non può essere vuoto.",
  },
  en: {
    invalid_request: 'Invalid request: {detail}',
    not_found: 'Not found.',
    route_not_found: 'No such address: {method} {url}.',
    internal: 'Internal server error. Please try again shortly.',
    unavailable: 'Service temporarily unavailable. Please try again shortly.',
    payload_too_large: 'The request is too large.',
    unsupported_media_type: 'Unsupported request format.',
    unauthenticated: 'Please log in.',
    forbidden: 'You are not allowed to do this.',
    invalid_credentials: 'Wrong email or password.',
    too_many_attempts: 'Too many failed login attempts. Try again in {minutes} minutes.',
    account_disabled: 'This account is disabled.',
    case_not_found: 'Case {id} does not exist or is not visible to you.',
    invalid_sort: 'Cannot sort by "{field}". Allowed fields: {allowed}.',
    invalid_range: 'Invalid range: give [start, end] with 0 ≤ start ≤ end and at most {max} rows.',
    invalid_filter: 'Invalid filter: {detail}',
    invalid_json_param: 'The "{param}" parameter must be valid JSON.',
    unknown_reference: '{field} {id} does not exist.',
    coordinates_pair: 'Latitude and longitude go together.',
    subject_blank: 'The subject of the case cannot be blank.',
  },
}

/** Translates a message code; unknown codes fall back to `fallback`. */
export function translate(
  lang: Language,
  code: string,
  params: MessageParams = {},
  fallback?: string,
): string {
  const template = catalogs[lang][code] ?? catalogs.it[code] ?? fallback ?? code
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  )
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
