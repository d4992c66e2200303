import { fetchUtils, HttpError } from 'react-admin'
import { i18nProvider } from './i18n/index.ts'

/** The API's error body: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown }
}

const isApiErrorBody = (body: unknown): body is ApiErrorBody => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false
  const { error } = body
  return (
    typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
  )
}

/** The server's own message for a failed response, when it sent one. */
export const apiErrorMessage = (body: unknown): string | undefined =>
  isApiErrorBody(body) ? body.error.message : undefined

/**
 * fetchJson with the session cookie and the console's language, so the API
 * answers errors in the language the operator is reading. A failure is rethrown
 * as an HttpError whose message is the server's `error.message`, which is what
 * react-admin shows in its notification.
 */
export const httpClient = async (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers(options.headers)
  headers.set('Accept', 'application/json')
  headers.set('Accept-Language', i18nProvider.getLocale())
  try {
    return await fetchUtils.fetchJson(url, { ...options, headers, credentials: 'same-origin' })
  } catch (err) {
    if (err instanceof HttpError) {
      const message = apiErrorMessage(err.body)
      if (message) throw new HttpError(message, err.status, err.body)
    }
    throw err
  }
}

/** The server's error code (`case_version_conflict`, …), when it sent one. */
export const apiErrorCode = (body: unknown): string | undefined =>
  isApiErrorBody(body) && 'code' in body.error && typeof body.error.code === 'string'
    ? body.error.code
    : undefined
