import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  asList,
  CASE_SORTS,
  CaseEventFilter,
  CaseEventView,
  CaseFilter,
  CaseLinkView,
  CaseView,
  CreateCaseBody,
  type Deps,
  LinkBody,
  MergeBody,
  NoteBody,
  SimilarCaseView,
  StatusChangeBody,
  UpdateCaseBody,
} from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const IdParams = Type.Object({ id: Id })
const Err = { $ref: 'ErrorBody' } as const
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) })

/** The version from an If-Match header ("3", 3 or W/"3"); the body's `version` wins when both are sent. */
export function versionFrom(body: { version?: number }, ifMatch: string | undefined): number | undefined {
  if (body.version !== undefined) return body.version
  const match = ifMatch?.match(/^(?:W\/)?"?(\d{1,9})"?$/)
  return match?.[1] ? Number(match[1]) : undefined
}

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

  app.patch(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'Change fields of a case (optimistic concurrency: body.version or If-Match)',
        description: 'A stale version answers 409 with the current case in error.details.current.',
        params: IdParams,
        headers: IfMatch,
        body: UpdateCaseBody,
        response: { 200: CaseView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await cases.update(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      return reply.header('etag', `"${view.version}"`).send(view)
    },
  )

  app.post(
    '/cases/:id/status',
    {
      schema: {
        tags: ['cases'],
        summary: 'Move a case along its state machine',
        description:
          'new → open → assigned → in_progress ⇄ waiting_citizen / waiting_third_party → resolved → closed; resolved/closed → open. ' +
          'An illegal move answers 409 illegal_transition, a move the role may not make 403 transition_not_allowed.',
        params: IdParams,
        headers: IfMatch,
        body: StatusChangeBody,
        response: { 200: CaseView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req) =>
      cases.changeStatus(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      }),
  )

  app.post(
    '/cases/:id/notes',
    {
      schema: {
        tags: ['cases'],
        summary: 'Add an internal note (never shown to the citizen); @handle mentions a colleague',
        params: IdParams,
        body: NoteBody,
        response: { 201: CaseEventView, 400: Err, 404: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.addNote(actorOf(req), req.params.id, req.body)),
  )

  app.get(
    '/cases/:id/links',
    {
      schema: {
        tags: ['cases'],
        summary: 'Links of a case: duplicates, parent and children, related cases',
        params: IdParams,
        response: { 200: Type.Array(CaseLinkView), 404: Err },
      },
    },
    async (req) => cases.links(actorOf(req), req.params.id),
  )

  app.get(
    '/cases/:id/similar',
    {
      schema: {
        tags: ['cases'],
        summary: 'Possible duplicates of a case: same contact, nearby, similar subject; likeliest first',
        description:
          'At most 10 cases the caller may see, not merged or closed (resolved ones for 30 days), created from 60 days before the case on, not already linked to it as duplicates. A reason is the same contact, points within 150 m, or at least half of their distinct subject words in common.',
        params: IdParams,
        response: { 200: Type.Array(SimilarCaseView), 404: Err },
      },
    },
    async (req) => cases.similar(actorOf(req), req.params.id),
  )

  app.post(
    '/cases/:id/links',
    {
      schema: {
        tags: ['cases'],
        summary: 'Link a case to another (duplicate, child, parent, related); answers all its links',
        params: IdParams,
        body: LinkBody,
        response: { 201: Type.Array(CaseLinkView), 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.addLink(actorOf(req), req.params.id, req.body)),
  )

  app.delete(
    '/cases/:id/links/:linkId',
    {
      schema: {
        tags: ['cases'],
        summary: 'Remove a link',
        params: Type.Object({ id: Id, linkId: Id }),
        response: { 204: Type.Null(), 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      await cases.removeLink(actorOf(req), req.params.id, req.params.linkId)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/cases/:id/merge',
    {
      schema: {
        tags: ['cases'],
        summary: 'Merge this case (a duplicate) into another; answers the surviving case',
        description:
          'The duplicate’s timeline moves to the target; the duplicate is closed and points to the target (mergedIntoId).',
        params: IdParams,
        headers: IfMatch,
        body: MergeBody,
        response: { 200: CaseView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req) =>
      cases.merge(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      }),
  )
}
