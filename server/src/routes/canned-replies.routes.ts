import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CANNED_REPLY_SORTS,
  CannedReplyFilter,
  CannedReplyView,
  CreateCannedReplyBody,
  type Deps,
  RenderCannedReplyBody,
  RenderedCannedReply,
  UpdateCannedReplyBody,
} from '@filo/core'
import Type from 'typebox'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'
import { versionFrom } from './cases.routes.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const IdParams = Type.Object({ id: Id })
const Err = { $ref: 'ErrorBody' } as const
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) })

/**
 * Canned replies: supervisors and admins write them, staff who answer citizens read
 * them and fill them in for a case. Permissions and audit are the core service's.
 */
export const cannedReplyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { cannedReplies } = deps.services
  const readers = requireRole('admin', 'supervisor', 'operator', 'office_staff')
  const writers = requireRole('admin', 'supervisor')

  app.get(
    '/canned-replies',
    {
      preValidation: readers,
      schema: {
        tags: ['canned replies'],
        summary: 'List canned replies (staff who answer citizens)',
        description: `Sort by one of ${CANNED_REPLY_SORTS.join(', ')}. Filter keys: id, q (title or text), language, active, categoryId (that category's and the general ones).`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(CannedReplyView), 400: Err, 401: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<CannedReplyFilter, (typeof CANNED_REPLY_SORTS)[number]>(req.query, {
        filter: CannedReplyFilter,
        sorts: CANNED_REPLY_SORTS,
        defaultSort: 'title',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'canned-replies', query.offset, await cannedReplies.list(actorOf(req), query))
    },
  )

  app.get(
    '/canned-replies/:id',
    {
      preValidation: readers,
      schema: {
        tags: ['canned replies'],
        summary: 'One canned reply',
        params: IdParams,
        response: { 200: CannedReplyView, 401: Err, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await cannedReplies.get(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.post(
    '/canned-replies',
    {
      preValidation: writers,
      schema: {
        tags: ['canned replies'],
        summary: 'Create a canned reply (admin, supervisor)',
        description:
          'The text may use {{numero}}, {{oggetto}}, {{nome}}, {{link_stato}}, {{stato}}, {{categoria}}, {{ufficio}}, {{operatore}}, {{data_apertura}}; any other variable is refused.',
        body: CreateCannedReplyBody,
        response: { 201: CannedReplyView, 400: Err, 401: Err, 403: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await cannedReplies.create(actorOf(req), req.body)
      reply.status(201).header('etag', `"${view.version}"`)
      return view
    },
  )

  app.patch(
    '/canned-replies/:id',
    {
      preValidation: writers,
      schema: {
        tags: ['canned replies'],
        summary: 'Change a canned reply (admin, supervisor; body.version or If-Match)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateCannedReplyBody,
        response: { 200: CannedReplyView, 400: Err, 401: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await cannedReplies.update(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.delete(
    '/canned-replies/:id',
    {
      preValidation: writers,
      schema: {
        tags: ['canned replies'],
        summary: 'Delete a canned reply (admin, supervisor)',
        params: IdParams,
        response: { 200: Type.Object({ id: Id }), 401: Err, 403: Err, 404: Err },
      },
    },
    async (req) => {
      await cannedReplies.remove(actorOf(req), req.params.id)
      // react-admin's delete expects the deleted record (at least its id) back.
      return { id: req.params.id }
    },
  )

  app.post(
    '/canned-replies/:id/render',
    {
      preValidation: readers,
      schema: {
        tags: ['canned replies'],
        summary: 'A canned reply filled in for a case the caller may see',
        params: IdParams,
        body: RenderCannedReplyBody,
        response: { 200: RenderedCannedReply, 400: Err, 401: Err, 403: Err, 404: Err },
      },
    },
    async (req) => cannedReplies.render(actorOf(req), req.params.id, req.body),
  )
}
