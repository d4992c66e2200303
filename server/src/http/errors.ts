import { type DomainErrorKind, isDomainError, type Language, pickLanguage, translate } from '@filo/core'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { describeErrors, summarise } from './validation.ts'

/** The one error body every route answers with. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody' },
)

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  too_large: 413,
  unsupported_media: 415,
}

/** The reader's language: Accept-Language (the console sends its own locale), else the user's, else Italian. */
export const languageOf = (req: FastifyRequest): Language => {
  const header = req.headers['accept-language']
  return header ? pickLanguage(header) : (req.actor?.language ?? 'it')
}

/**
 * Domain errors that list several problems (`details: [{ path, code, params }]`) get
 * each one's message in the reader's language too, so a form can show it by its field.
 */
function withMessages(details: unknown, lang: Language): unknown {
  if (!Array.isArray(details)) return details
  return details.map((d: unknown) => {
    if (typeof d !== 'object' || d === null || !('code' in d) || typeof d.code !== 'string') return d
    if ('message' in d) return d
    const params = 'params' in d && typeof d.params === 'object' && d.params !== null ? d.params : {}
    return { ...d, message: translate(lang, d.code, params as Record<string, string | number>) }
  })
}

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply
    .status(status)
    .send({ error: details === undefined ? { code, message } : { code, message, details } })
}

/**
 * Domain errors become their status with a translated message; validation errors
 * a 400 naming each field; anything else a 500 that hides its internals (the
 * full error goes to the log with the request id).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = languageOf(req)
    if (isDomainError(err)) {
      if (err.kind === 'rate_limited')
        reply.header('retry-after', String(Number(err.params.minutes ?? 1) * 60))
      const message = translate(lang, err.code, err.params, err.message)
      return send(reply, STATUS[err.kind], err.code, message, withMessages(err.details, lang))
    }
    if (err.validation) {
      const problems = describeErrors(
        err.validation as Parameters<typeof describeErrors>[0],
        lang,
        `/${err.validationContext ?? 'body'}`,
      )
      return send(
        reply,
        400,
        'invalid_request',
        translate(lang, 'invalid_request', { detail: summarise(problems) }),
        problems,
      )
    }
    const status = err.statusCode ?? 500
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, 413, 'payload_too_large', translate(lang, 'payload_too_large'))
    }
    if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, 415, 'unsupported_media_type', translate(lang, 'unsupported_media_type'))
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON and other client mistakes Fastify detects itself.
      return send(
        reply,
        status,
        'invalid_request',
        translate(lang, 'invalid_request', { detail: err.message }),
      )
    }
    req.log.error({ err }, 'unhandled error')
    return send(reply, 500, 'internal', translate(lang, 'internal'))
  })

  app.setNotFoundHandler((req, reply) => {
    const lang = languageOf(req)
    return send(
      reply,
      404,
      'route_not_found',
      translate(lang, 'route_not_found', { method: req.method, url: req.url.split('?')[0] ?? '' }),
    )
  })
}
