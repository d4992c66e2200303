import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CONTENT_TYPES,
  type Deps,
  type FormPairs,
  isDomainError,
  OPEN311_FORMATS,
  Open311Error,
  type Open311Format,
  type Open311Value,
  pickLanguage,
  render,
} from '@filo/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { createRateLimiter } from '../http/rate-limit.ts'

/** A POST of a service request is a few short fields: anything bigger is refused unread. */
export const OPEN311_BODY_LIMIT = 64 * 1024
/** Per address and minute: reads (apps poll), and new requests. */
export const OPEN311_READS_PER_MINUTE = 600
export const OPEN311_POSTS_PER_MINUTE = 30

const FileParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 200 }) })
const Short = Type.Optional(Type.String({ maxLength: 4000 }))
const Jurisdiction = Type.Object({ jurisdiction_id: Short }, { additionalProperties: true })
const RequestsQuery = Type.Object(
  {
    jurisdiction_id: Short,
    service_request_id: Short,
    service_code: Short,
    start_date: Short,
    end_date: Short,
    status: Short,
  },
  { additionalProperties: true },
)

/** "services.json" → ["services", "json"]; the name may itself hold dots (service codes do). */
function splitFile(file: string): { name: string; format: Open311Format | null } {
  const dot = file.lastIndexOf('.')
  if (dot <= 0) return { name: file, format: null }
  const ext = file.slice(dot + 1).toLowerCase()
  return {
    name: file.slice(0, dot),
    format: (OPEN311_FORMATS as readonly string[]).includes(ext) ? (ext as Open311Format) : null,
  }
}

/** A POST body as ordered pairs, whichever way it came (the spec's form, or JSON from a lenient client). */
function pairsOf(body: unknown): FormPairs {
  if (Array.isArray(body)) return body as FormPairs
  if (!body || typeof body !== 'object') return []
  const pairs: FormPairs = []
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item !== null && item !== undefined && typeof item !== 'object') pairs.push([k, String(item)])
    }
  }
  return pairs
}

/**
 * Open311 GeoReport v2 at /open311/v2: discovery, services, service definitions,
 * requests (POST with an api_key; GET with the spec's filters) and tokens, each in XML
 * or JSON by the file's extension. Every error — ours, Fastify's, a bad URL — is the
 * spec's list of {code, description} in the format asked for (XML when none).
 * Hidden from the OpenAPI document, which describes /api/v1: Open311 is described by its spec.
 */
export const open311Routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { open311 } = deps.services
  const limiter = createRateLimiter(deps.redis, `${deps.config.queuePrefix}:open311`)

  const formatOf = (req: FastifyRequest): Open311Format => {
    const file = (req.params as { file?: string } | undefined)?.file ?? req.url.split('?')[0] ?? ''
    return splitFile(file).format ?? (/\.json(?:\?|$)/i.test(req.url) ? 'json' : 'xml')
  }
  const send = (
    reply: FastifyReply,
    format: Open311Format,
    status: number,
    root: string,
    value: Open311Value,
  ) =>
    reply
      .status(status)
      .type(CONTENT_TYPES[format])
      .send(render(format, root, value))
  const sendErrors = (reply: FastifyReply, format: Open311Format, err: Open311Error) =>
    send(reply, format, err.status, 'errors', err.errors)
  const fail = (status: 400 | 403 | 404 | 413 | 429, description: string) =>
    new Open311Error(status, [{ code: status, description }])

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: OPEN311_BODY_LIMIT },
    (_req, body, done) => done(null, [...new URLSearchParams(String(body))]),
  )

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const format = formatOf(req)
    if (err instanceof Open311Error) return sendErrors(reply, format, err)
    if (isDomainError(err) && err.kind === 'rate_limited') {
      reply.header('retry-after', '60')
      return sendErrors(
        reply,
        format,
        fail(429, 'Too many requests from this address: try again in a minute'),
      )
    }
    if (err.validation) return sendErrors(reply, format, fail(400, `Invalid request: ${err.message}`))
    const status = err.statusCode ?? 500
    if (status === 413) return sendErrors(reply, format, fail(413, 'The request is too large'))
    if (status >= 400 && status < 500)
      return sendErrors(reply, format, fail(400, `Invalid request: ${err.message}`))
    req.log.error({ err }, 'open311 error')
    // "400 - General service error": the spec has no 5xx; the log has the details.
    return send(reply, format, 500, 'errors', [
      { code: 500, description: 'General service error: please try again later' },
    ])
  })
  app.setNotFoundHandler((req, reply) =>
    sendErrors(
      reply,
      formatOf(req),
      fail(404, `No such resource: ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 200)}`),
    ),
  )

  app.addHook('onRequest', async (req) => {
    const posting = req.method === 'POST'
    const limit = posting ? OPEN311_POSTS_PER_MINUTE : OPEN311_READS_PER_MINUTE
    if (await limiter.exceeded(posting ? 'post' : 'read', req.ip, limit, 60))
      throw fail(429, 'Too many requests from this address: try again in a minute')
  })

  const lang = (req: FastifyRequest) => pickLanguage(req.headers['accept-language'])
  const fileOf = (req: FastifyRequest): { name: string; format: Open311Format } => {
    const { name, format } = splitFile((req.params as { file: string }).file)
    if (!format) throw fail(404, 'Unknown format: use .xml or .json')
    return { name, format }
  }

  app.get(
    '/v2/:file',
    { schema: { hide: true, params: FileParams, querystring: RequestsQuery } },
    async (req, reply) => {
      const { name, format } = fileOf(req)
      const q = req.query
      switch (name) {
        case 'discovery':
          return send(reply, format, 200, 'discovery', open311.discovery())
        case 'services':
          return send(
            reply,
            format,
            200,
            'services',
            await open311.services(q.jurisdiction_id || undefined, lang(req)),
          )
        case 'requests':
          return send(reply, format, 200, 'service_requests', await open311.listRequests(q, lang(req)))
        default:
          throw fail(404, `No such resource: ${name.slice(0, 100)}`)
      }
    },
  )

  app.post(
    '/v2/:file',
    { bodyLimit: OPEN311_BODY_LIMIT, schema: { hide: true, params: FileParams } },
    async (req, reply) => {
      const { name, format } = fileOf(req)
      if (name !== 'requests') throw fail(404, `No such resource: ${name.slice(0, 100)}`)
      return send(
        reply,
        format,
        200,
        'service_requests',
        await open311.createRequest(pairsOf(req.body), lang(req)),
      )
    },
  )

  app.get(
    '/v2/services/:file',
    { schema: { hide: true, params: FileParams, querystring: Jurisdiction } },
    async (req, reply) => {
      const { name, format } = fileOf(req)
      return send(
        reply,
        format,
        200,
        'service_definition',
        await open311.definition(name, req.query.jurisdiction_id || undefined, lang(req)),
      )
    },
  )

  app.get(
    '/v2/requests/:file',
    { schema: { hide: true, params: FileParams, querystring: Jurisdiction } },
    async (req, reply) => {
      const { name, format } = fileOf(req)
      return send(
        reply,
        format,
        200,
        'service_requests',
        await open311.getRequest(name, req.query.jurisdiction_id || undefined, lang(req)),
      )
    },
  )

  app.get(
    '/v2/tokens/:file',
    { schema: { hide: true, params: FileParams, querystring: Jurisdiction } },
    async (req, reply) => {
      const { name, format } = fileOf(req)
      return send(
        reply,
        format,
        200,
        'service_requests',
        await open311.token(name, req.query.jurisdiction_id || undefined),
      )
    },
  )
}
