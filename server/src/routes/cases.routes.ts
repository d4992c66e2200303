import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  asList,
  CASE_SORTS,
  CaseEventFilter,
  CaseEventView,
  CaseFilter,
  CaseView,
  CreateCaseBody,
  type Deps,
} from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const Err = { $ref: 'ErrorBody' } as const

/** Cases: list (simple-rest dialect), read, create; and their timeline. */
export const caseRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { cases } = deps.services

  app.get(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'List the cases the caller may see',
        description: `Sort by one of ${CASE_SORTS.join(', ')}. Filter keys: ${Object.keys(CaseFilter.properties).join(', ')}.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(CaseView), 400: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<CaseFilter, (typeof CASE_SORTS)[number]>(req.query, {
        filter: CaseFilter,
        sorts: CASE_SORTS,
        defaultSort: 'createdAt',
        lang: languageOf(req),
      })
      return sendList(reply, 'cases', query.offset, await cases.list(actorOf(req), query))
    },
  )

  app.get(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case',
        params: IdParams,
        response: { 200: CaseView, 404: Err },
      },
    },
    async (req) => cases.get(actorOf(req), req.params.id),
  )

  app.post(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open a case',
        description: 'Writes the case, its first timeline event and an outbox row in one transaction.',
        body: CreateCaseBody,
        response: { 201: CaseView, 400: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.create(actorOf(req), req.body)),
  )

  app.get(
    '/cases/:id/events',
    {
      schema: {
        tags: ['cases'],
        summary: 'The timeline of a case, oldest first',
        params: IdParams,
        response: { 200: Type.Array(CaseEventView), 404: Err },
      },
    },
    async (req) => cases.events(actorOf(req), req.params.id),
  )

  // The same timeline as a react-admin resource, for ReferenceManyField (filter {"caseId": …}).
  app.get(
    '/case-events',
    {
      schema: {
        tags: ['cases'],
        summary: 'Timeline events of one case (simple-rest dialect; filter.caseId is required)',
        querystring: ListQuerystring,
        response: { 200: Type.Array(CaseEventView), 400: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<CaseEventFilter, 'id'>(req.query, {
        filter: CaseEventFilter,
        sorts: ['id'],
        defaultSort: 'id',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      const ids = query.filter.id === undefined ? undefined : asList(query.filter.id)
      const all = await cases.events(actorOf(req), query.filter.caseId, ids)
      const ordered = query.order === 'asc' ? all : [...all].reverse()
      const rows = ordered.slice(query.offset, query.offset + query.limit)
      return sendList(reply, 'case-events', query.offset, { rows, total: all.length, exact: true })
    },
  )
}
