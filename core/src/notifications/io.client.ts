import { IO_MESSAGE_STATUSES, type IoMessageStatus } from './notification.schemas.ts'
import { ioContentValid } from './notification.templates.ts'

/** FiscalCode in the IO Services API v1 (parameters.FiscalCode). */
export const IO_FISCAL_CODE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/

/**
 * An answer from IO that is not a success. `retryable` for 429 (with the wait IO
 * asked for in Retry-After) and 5xx or a network failure; any other 4xx is final.
 */
export class IoError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message)
    this.name = 'IoError'
  }
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500
  }
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

export interface IoProfile {
  senderAllowed: boolean
  /** IO's PreferredLanguage values (it_IT, en_GB…), when the citizen set any. */
  preferredLanguages: string[]
}

export interface IoClientOptions {
  baseUrl: string
  apiKey: string
  timeoutMs?: number
  fetch?: typeof fetch
}

/**
 * A client of the IO Services API v1 (pagopa/io-functions-services, openapi/index.yaml):
 * getProfileByPOST, submitMessageforUserWithFiscalCodeInBody and getMessage, the
 * subscription key in `Ocp-Apim-Subscription-Key`. Content that IO would refuse
 * is refused here, before anything leaves.
 */
export class IoClient {
  private readonly timeoutMs: number
  private readonly fetcher: typeof fetch

  constructor(private readonly opts: IoClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 15_000
    this.fetcher = opts.fetch ?? fetch
  }

  get enabled(): boolean {
    return this.opts.apiKey.length > 0
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let res: Response
    try {
      res = await this.fetcher(`${this.opts.baseUrl}${path}`, {
        method,
        headers: {
          'Ocp-Apim-Subscription-Key': this.opts.apiKey,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (err) {
      throw new IoError(0, `IO unreachable: ${(err as Error).message}`)
    }
    const text = await res.text()
    let json: unknown = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = null
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, json }
    const problem = json as { title?: string; detail?: string } | null
    const detail = [problem?.title, problem?.detail].filter(Boolean).join(': ') || text.slice(0, 300)
    throw new IoError(
      res.status,
      `IO answered ${res.status}${detail ? ` (${detail})` : ''}`,
      res.status === 429 ? parseRetryAfter(res.headers.get('retry-after')) : null,
    )
  }

  private checkFiscalCode(fiscalCode: string): void {
    if (!IO_FISCAL_CODE.test(fiscalCode))
      throw new IoError(400, `not a fiscal code IO accepts: ${fiscalCode}`)
  }

  /** POST /profiles with the fiscal code in the body: whether the service may write to this citizen. */
  async getProfile(fiscalCode: string): Promise<IoProfile> {
    this.checkFiscalCode(fiscalCode)
    const { json } = await this.call('POST', '/profiles', { fiscal_code: fiscalCode })
    const profile = json as { sender_allowed?: unknown; preferred_languages?: unknown } | null
    const languages = Array.isArray(profile?.preferred_languages) ? profile.preferred_languages : []
    return {
      senderAllowed: profile?.sender_allowed === true,
      preferredLanguages: languages.filter((l): l is string => typeof l === 'string'),
    }
  }

  /** POST /messages: returns IO's message id. */
  async submitMessage(fiscalCode: string, content: { subject: string; markdown: string }): Promise<string> {
    this.checkFiscalCode(fiscalCode)
    if (!ioContentValid(content.subject, content.markdown)) {
      throw new IoError(
        400,
        'message content outside IO limits (subject 10–120, markdown 80–10000): not sent',
      )
    }
    const { json } = await this.call('POST', '/messages', {
      fiscal_code: fiscalCode,
      content: { subject: content.subject, markdown: content.markdown },
    })
    const id = (json as { id?: unknown } | null)?.id
    if (typeof id !== 'string' || !id) throw new IoError(502, 'IO accepted the message without an id')
    return id
  }

  /** GET /messages/{fiscal_code}/{id}: the message's processing status. */
  async getMessageStatus(fiscalCode: string, id: string): Promise<IoMessageStatus | null> {
    this.checkFiscalCode(fiscalCode)
    const { json } = await this.call(
      'GET',
      `/messages/${encodeURIComponent(fiscalCode)}/${encodeURIComponent(id)}`,
    )
    const status = (json as { status?: unknown } | null)?.status
    return (IO_MESSAGE_STATUSES as readonly unknown[]).includes(status) ? (status as IoMessageStatus) : null
  }
}
