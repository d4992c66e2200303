/**
 * Domain errors carry a kind (what went wrong, mapped by the server to an HTTP
 * status and by the workers to retry-or-give-up) and a stable code that clients
 * and translations key on. Domain code never throws HTTP errors.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  /** The input is bigger than Filo accepts (an upload over its size limit). */
  | 'too_large'
  /** The input is of a kind Filo does not accept (an upload of a file type not allowed). */
  | 'unsupported_media'

export type MessageParams = Record<string, string | number>

export class DomainError extends Error {
  readonly kind: DomainErrorKind
  readonly code: string
  readonly params: MessageParams
  readonly details: unknown

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    opts: { params?: MessageParams; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause })
    this.name = 'DomainError'
    this.kind = kind
    this.code = code
    this.params = opts.params ?? {}
    this.details = opts.details
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError

/** Errors that retrying will never fix: a worker gives up on them at once. */
export const isPermanent = (err: unknown): boolean =>
  isDomainError(err) &&
  ['invalid', 'not_found', 'forbidden', 'too_large', 'unsupported_media'].includes(err.kind)
