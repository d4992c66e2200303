import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AUDIT_SORTS, AuditEntryView, AuditFilter, type Deps } from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

/** The audit log, newest first by default: administrators only. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'Query the append-only audit log (admin)',
        description: `Filter keys: ${Object.keys(AuditFilter.properties).join(', ')}.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(AuditEntryView), 400: { $ref: 'ErrorBody' }, 403: { $ref: 'ErrorBody' } },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<AuditFilter, (typeof AUDIT_SORTS)[number]>(req.query, {
        filter: AuditFilter,
        sorts: AUDIT_SORTS,
        defaultSort: 'id',
        lang: languageOf(req),
      })
      return sendList(reply, 'audit-log', query.offset, await deps.services.audit.list(actorOf(req), query))
    },
  )
}
