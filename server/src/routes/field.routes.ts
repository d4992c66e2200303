import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  type Actor,
  AttachmentView,
  CaseView,
  type Deps,
  DomainError,
  FieldReportBody,
  FieldReportCreated,
  FieldTokenBody,
  FieldTokenCreated,
  MAX_FILES_PER_UPLOAD,
  WorkOrderList,
  WorkOrderUpdateBody,
} from '@filo/core'
import Type from 'typebox'
import { languageOf } from '../http/errors.ts'
import { createRateLimiter } from '../http/rate-limit.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const Err = { $ref: 'ErrorBody' } as const
const UploadHeaders = Type.Object({ 'content-type': Type.String({ pattern: '^multipart/form-data' }) })
const BEARER = [{ fieldToken: [] }]
/** Sign-in attempts per address and minute (the per-account throttling is the staff login's). */
export const FIELD_TOKENS_PER_MINUTE = 20

declare module 'fastify' {
  interface FastifyRequest {
    fieldTokenId?: number
  }
}

/**
 * The field workers' app under /api/v1/field: sign in for a bearer token (POST
 * /field/tokens), then, with `Authorization: Bearer <token>`, report a problem with
 * GPS (and photos), list my work orders, start them, add notes and photos, close them.
 */
export const fieldRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { field, attachments } = deps.services
  const limiter = createRateLimiter(deps.redis, `${deps.config.queuePrefix}:field`)

  app.post(
    '/field/tokens',
    {
      schema: {
        tags: ['field'],
        summary: 'Sign the field app in: a bearer token for a field worker, shown once, valid 30 days',
        security: [],
        body: FieldTokenBody,
        response: { 201: FieldTokenCreated, 400: Err, 401: Err, 403: Err, 429: Err },
      },
    },
    async (req, reply) => {
      if (await limiter.exceeded('token', req.ip, FIELD_TOKENS_PER_MINUTE, 60))
        throw new DomainError('rate_limited', 'too_many_attempts', 'too many sign-ins', {
          params: { minutes: 1 },
        })
      return reply.status(201).send(await field.createToken(req.body, { ip: req.ip }))
    },
  )

  // Everything else needs the app's bearer token.
  await app.register(async (plain) => {
    const authed = plain.withTypeProvider<TypeBoxTypeProvider>()
    authed.addHook('onRequest', async (req) => {
      const auth = req.headers.authorization
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : ''
      const found = token ? await field.authenticate(token) : null
      if (!found) throw new DomainError('unauthenticated', 'field_token_invalid', 'no valid field token')
      req.actor = { ...found.actor, ip: req.ip, requestId: req.id }
      req.fieldTokenId = found.tokenId
    })
    const actor = (req: { actor: Actor | null }) => {
      if (!req.actor) throw new DomainError('unauthenticated', 'field_token_invalid', 'no valid field token')
      return req.actor
    }

    authed.delete(
      '/field/tokens/current',
      {
        schema: {
          tags: ['field'],
          summary: 'Sign the app out: this token stops working at once',
          security: BEARER,
          response: { 204: Type.Null(), 401: Err },
        },
      },
      async (req, reply) => {
        await field.revokeToken(actor(req), req.fieldTokenId ?? 0)
        return reply.status(204).send(null)
      },
    )

    authed.post(
      '/field/reports',
      {
        schema: {
          tags: ['field'],
          summary:
            'Report a problem found in the street: a case on the field channel (photos next, on /field/cases/:id/photos)',
          description:
            'Idempotent on clientReportId: sending the same report again answers 200 with the first case.',
          security: BEARER,
          body: FieldReportBody,
          response: { 200: FieldReportCreated, 201: FieldReportCreated, 400: Err, 401: Err, 403: Err },
        },
      },
      async (req, reply) => {
        const created = await field.report(actor(req), req.body, languageOf(req))
        return reply.status(created.created ? 201 : 200).send(created)
      },
    )

    authed.get(
      '/field/work-orders',
      {
        schema: {
          tags: ['field'],
          summary: 'My work orders: cases assigned to me and not yet resolved, most urgent first',
          security: BEARER,
          response: { 200: WorkOrderList, 401: Err },
        },
      },
      async (req) => field.workOrders(actor(req)),
    )

    authed.get(
      '/field/cases/:id',
      {
        schema: {
          tags: ['field'],
          summary: 'One of my reports or work orders',
          security: BEARER,
          params: IdParams,
          response: { 200: CaseView, 401: Err, 404: Err },
        },
      },
      async (req) => deps.services.cases.get(actor(req), req.params.id),
    )

    authed.post(
      '/field/work-orders/:id',
      {
        schema: {
          tags: ['field'],
          summary: 'Start (in_progress) or close (resolved) a work order, with a note; or just add a note',
          security: BEARER,
          params: IdParams,
          body: WorkOrderUpdateBody,
          response: { 200: CaseView, 400: Err, 401: Err, 403: Err, 404: Err, 409: Err },
        },
      },
      async (req) => field.updateWorkOrder(actor(req), req.params.id, req.body),
    )

    authed.post(
      '/field/cases/:id/photos',
      {
        schema: {
          tags: ['field'],
          summary: 'Add photos to one of my reports or work orders (multipart/form-data)',
          consumes: ['multipart/form-data'],
          security: BEARER,
          params: IdParams,
          headers: UploadHeaders,
          response: { 201: Type.Array(AttachmentView), 400: Err, 401: Err, 404: Err, 413: Err, 415: Err },
        },
      },
      async (req, reply) => {
        const maxBytes = deps.config.attachmentMaxBytes
        const files = req.files({
          limits: { fileSize: maxBytes + 1, files: MAX_FILES_PER_UPLOAD + 1 },
          throwFileSizeLimit: false,
        })
        return reply.status(201).send(await attachments.upload(actor(req), req.params.id, files))
      },
    )
  })
}
