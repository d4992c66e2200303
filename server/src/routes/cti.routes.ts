import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CtiAnswer, CtiEvent, type Deps, DomainError } from '@filo/core'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'

/** A CTI event is a handful of short fields: anything bigger is refused before it is read. */
export const CTI_BODY_LIMIT = 16 * 1024
/** Requests per minute from one address (a busy PBX sends about three per call). */
export const CTI_REQUESTS_PER_MINUTE = 1200
/** Requests with a bad token from one address within CTI_FAILURE_WINDOW_S before it is throttled. */
export const CTI_MAX_FAILURES = 20
const CTI_FAILURE_WINDOW_S = 600

const Err = { $ref: 'ErrorBody' } as const
const Params = Type.Object({
  token: Type.String({ maxLength: 200, description: 'The PBX token an admin created' }),
})

declare module 'fastify' {
  interface FastifyRequest {
    ctiTokenId?: number
  }
}

/**
 * A form body as Zammad's PBX scripts send it: `user[]=A&user[]=B` (and a key sent
 * twice) becomes an array under `user`; every other key a string.
 */
export function parseCtiForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const isList = rawKey.endsWith('[]')
    const key = isList ? rawKey.slice(0, -2) : rawKey
    if (!key) continue
    const current = out[key]
    if (current === undefined) out[key] = isList ? [value] : value
    else out[key] = [...(Array.isArray(current) ? current : [current]), value]
  }
  return out
}

/**
 * The CTI webhook of Zammad's generic CTI API, for the PBX: public (the token in the
 * path is the credential), rate-limited per address, with a stricter limit on bad
 * tokens, and size-limited. JSON, form-encoded and multipart form bodies.
 */
export const ctiWebhookRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { calls } = deps.services
  const redis = deps.redis
  const prefix = `${deps.config.queuePrefix}:cti`

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: CTI_BODY_LIMIT },
    (_req, body, done) => done(null, parseCtiForm(String(body))),
  )

  /** Redis counters shared by every API process; when Redis does not answer at once the PBX is let through. */
  const bump = async (key: string, ttlSeconds: number): Promise<number> => {
    const count = redis
      .multi()
      .incr(key)
      .expire(key, ttlSeconds, 'NX')
      .exec()
      .then((r) => Number(r?.[0]?.[1] ?? 0))
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(0), 500).unref())
    return Promise.race([count, timeout]).catch(() => 0)
  }
  const peek = async (key: string): Promise<number> => {
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(0), 500).unref())
    return Promise.race([redis.get(key).then(Number), timeout]).catch(() => 0)
  }
  const limited = (minutes: number) =>
    new DomainError('rate_limited', 'cti_rate_limited', 'too many CTI requests', { params: { minutes } })

  const ipKey = (req: FastifyRequest) => createHash('sha256').update(req.ip).digest('hex').slice(0, 24)

  app.post(
    '/cti/:token',
    {
      bodyLimit: CTI_BODY_LIMIT,
      schema: {
        tags: ['telephony'],
        summary: "CTI webhook for the PBX (Zammad's generic CTI API): newCall, answer, hangup",
        description:
          'Public: the token in the path authenticates the PBX. Body JSON, application/x-www-form-urlencoded (user[]=A&user[]=B) or multipart/form-data. Answers {} or, for a caller on the block list, {"action":"reject","reason":"busy"}. Any bad token is 401 cti_token_invalid.',
        security: [],
        params: Params,
        body: CtiEvent,
        response: { 200: CtiAnswer, 400: Err, 401: Err, 413: Err, 415: Err, 429: Err },
      },
      onRequest: async (req) => {
        const who = ipKey(req)
        if ((await peek(`${prefix}:fail:${who}`)) >= CTI_MAX_FAILURES)
          throw limited(CTI_FAILURE_WINDOW_S / 60)
        const minute = Math.floor(Date.now() / 60_000)
        if ((await bump(`${prefix}:rate:${who}:${minute}`, 120)) > CTI_REQUESTS_PER_MINUTE) throw limited(1)
      },
      preValidation: [
        async (req) => {
          try {
            req.ctiTokenId = await calls.authenticate((req.params as { token: string }).token)
          } catch (err) {
            await bump(`${prefix}:fail:${ipKey(req)}`, CTI_FAILURE_WINDOW_S)
            throw err
          }
        },
        async (req) => {
          if (!req.isMultipart()) return
          // Zammad's examples post with curl --form: the fields of a multipart body, no files.
          const fields: string[] = []
          for await (const part of req.parts({
            limits: { fields: 60, fieldSize: 1000, files: 0, parts: 60, fieldNameSize: 100 },
          })) {
            if (part.type === 'field')
              fields.push(`${encodeURIComponent(part.fieldname)}=${encodeURIComponent(String(part.value))}`)
          }
          // Validated against CtiEvent right after this hook, like any other body.
          req.body = parseCtiForm(fields.join('&')) as unknown as CtiEvent
        },
      ],
    },
    async (req) => {
      if (req.ctiTokenId === undefined)
        throw new DomainError('unauthenticated', 'cti_token_invalid', 'no token')
      return calls.handleEvent(req.ctiTokenId, req.body)
    },
  )
}
