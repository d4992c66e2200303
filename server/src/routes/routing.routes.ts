import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateRoutingRuleBody,
  type Deps,
  ROUTING_RULE_SORTS,
  RoutingRuleFilter,
  RoutingRuleView,
  RoutingSample,
  RoutingTestResult,
  UpdateRoutingRuleBody,
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
const tags = ['routing-rules']

/**
 * Routing rules: ordered by position, first enabled match wins, else the default
 * (the category's office and queue, else triage). Admins write; supervisors read
 * and use the tester. Every write is audited by the core service.
 */
export const routingRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { routing } = deps.services
  const readers = requireRole('admin', 'supervisor')
  const writers = requireRole('admin')

  app.get(
    '/routing-rules',
    {
      preValidation: readers,
      schema: {
        tags,
        summary: 'List routing rules, by position (admin, supervisor)',
        description: `Sort by one of ${ROUTING_RULE_SORTS.join(', ')}. Filter keys: enabled, q (name).`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(RoutingRuleView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<RoutingRuleFilter, (typeof ROUTING_RULE_SORTS)[number]>(req.query, {
        filter: RoutingRuleFilter,
        sorts: ROUTING_RULE_SORTS,
        defaultSort: 'position',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'routing-rules', query.offset, await routing.list(actorOf(req), query))
    },
  )

  app.post(
    '/routing-rules/test',
    {
      preValidation: readers,
      schema: {
        tags,
        summary: 'Rule tester: which enabled rule a sample message fires, and why (admin, supervisor)',
        body: RoutingSample,
        response: { 200: RoutingTestResult, 400: Err, 403: Err },
      },
    },
    async (req) => routing.testRules(actorOf(req), req.body, languageOf(req)),
  )

  app.get(
    '/routing-rules/:id',
    {
      preValidation: readers,
      schema: {
        tags,
        summary: 'One routing rule (admin, supervisor)',
        params: IdParams,
        response: { 200: RoutingRuleView, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await routing.get(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.post(
    '/routing-rules',
    {
      preValidation: writers,
      schema: {
        tags,
        summary: 'Create a routing rule (admin)',
        body: CreateRoutingRuleBody,
        response: { 201: RoutingRuleView, 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const view = await routing.create(actorOf(req), req.body)
      reply.status(201).header('etag', `"${view.version}"`)
      return view
    },
  )

  app.patch(
    '/routing-rules/:id',
    {
      preValidation: writers,
      schema: {
        tags,
        summary: 'Change a routing rule (admin; optimistic concurrency: body.version or If-Match)',
        description:
          'Only the fields sent change; conditions and actions are replaced as a whole. A stale version answers 409 routing_version_conflict with the current rule in error.details.current.',
        params: IdParams,
        headers: IfMatch,
        body: UpdateRoutingRuleBody,
        response: { 200: RoutingRuleView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await routing.update(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )
}
