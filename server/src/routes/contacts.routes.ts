import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CaseView,
  CONTACT_HISTORY_SORTS,
  CONTACT_SORTS,
  ContactFilter,
  ContactHistoryFilter,
  ContactView,
  CreateContactBody,
  type Deps,
  DomainError,
  DuplicateView,
  MergeContactBody,
  UpdateContactBody,
} from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const Err = { $ref: 'ErrorBody' } as const
const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 40, description: 'The version read, as an ETag: "3"' })),
})

/** The version in an If-Match header ("3", W/"3" or 3); a malformed one is a 400, not a silent skip. */
function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim())
  if (!match) throw new DomainError('invalid', 'contact_version_required', `bad If-Match ${header}`)
  return Number(match[1])
}

/**
 * Contacts (CRM): list (simple-rest dialect), read, create, update with
 * optimistic concurrency, a contact's case history, duplicate suggestions and
 * merge. A merged contact answers 404 with code contact_merged and
 * details.mergedIntoId.
 */
export const contactRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { contacts } = deps.services

  app.get(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'List live contacts (every page read is audited)',
        description: `Sort by one of ${CONTACT_SORTS.join(', ')}. Filter keys: ${Object.keys(ContactFilter.properties).join(', ')}.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(ContactView), 400: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<ContactFilter, (typeof CONTACT_SORTS)[number]>(req.query, {
        filter: ContactFilter,
        sorts: CONTACT_SORTS,
        defaultSort: 'updatedAt',
        lang: languageOf(req),
      })
      return sendList(reply, 'contacts', query.offset, await contacts.list(actorOf(req), query))
    },
  )

  app.get(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'One contact (the read is audited)',
        description: 'A merged contact answers 404 with code contact_merged and details.mergedIntoId.',
        params: IdParams,
        response: { 200: ContactView, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await contacts.get(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.post(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Create a person or an organisation',
        body: CreateContactBody,
        response: { 201: ContactView, 400: Err, 409: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await contacts.create(actorOf(req), req.body)),
  )

  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Change a contact',
        description:
          'Needs the version read, in the body or as If-Match. A stale version answers 409 contact_version_conflict with the current contact in error.details.current.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateContactBody,
        response: { 200: ContactView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const version = req.body.version ?? versionFromIfMatch(req.headers['if-match'])
      const view = await contacts.update(actorOf(req), req.params.id, req.body, version)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.get(
    '/contacts/:id/history',
    {
      schema: {
        tags: ['contacts'],
        summary: "A contact's cases across every channel, newest first (simple-rest dialect)",
        description: `Only the cases the caller may see. Sort by one of ${CONTACT_HISTORY_SORTS.join(', ')}; filter by channel, status.`,
        params: IdParams,
        querystring: ListQuerystring,
        response: { 200: Type.Array(CaseView), 400: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<ContactHistoryFilter, (typeof CONTACT_HISTORY_SORTS)[number]>(req.query, {
        filter: ContactHistoryFilter,
        sorts: CONTACT_HISTORY_SORTS,
        defaultSort: 'createdAt',
        lang: languageOf(req),
      })
      return sendList(
        reply,
        'cases',
        query.offset,
        await contacts.history(actorOf(req), req.params.id, query),
      )
    },
  )

  app.get(
    '/contacts/:id/duplicates',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Contacts that may be the same as this one, each with its reasons',
        params: IdParams,
        response: { 200: Type.Array(DuplicateView), 404: Err },
      },
    },
    async (req) => contacts.duplicates(actorOf(req), req.params.id),
  )

  app.post(
    '/contacts/:id/merge',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Merge a duplicate into this contact',
        description:
          "Moves the duplicate's cases, addresses, consents and memberships here; the duplicate then answers 404 contact_merged.",
        params: IdParams,
        body: MergeContactBody,
        response: { 200: ContactView, 400: Err, 403: Err, 404: Err },
      },
    },
    async (req) => contacts.merge(actorOf(req), req.params.id, req.body.duplicateId),
  )
}
