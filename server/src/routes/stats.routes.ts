import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BacklogStats,
  BulkReassignBody,
  BulkReassignResult,
  type Deps,
  FirstContactStats,
  SlaStats,
  StatsRangeQuery,
  translate,
  VolumeQuery,
  VolumeStats,
} from '@filo/core'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'

const Err = { $ref: 'ErrorBody' } as const

/**
 * The supervisors' dashboard (volumes, SLA compliance, backlog age, first-contact
 * resolution over at most a year) and their bulk reassignment. Supervisors and
 * admins; the core services check the role too.
 */
export const statsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { stats, bulkCases } = deps.services
  const supervisors = requireRole('admin', 'supervisor')

  app.get(
    '/stats/volumes',
    {
      preValidation: supervisors,
      schema: {
        tags: ['stats'],
        summary: 'Cases opened per period by channel, category or office (admin, supervisor)',
        description:
          'from/to are days in Europe/Rome, both included (default: the last twelve weeks), at most 366 days; bucket day, week (ISO, from Monday) or month.',
        querystring: VolumeQuery,
        response: { 200: VolumeStats, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req) => stats.volumes(actorOf(req), req.query, languageOf(req)),
  )

  app.get(
    '/stats/sla',
    {
      preValidation: supervisors,
      schema: {
        tags: ['stats'],
        summary: 'SLA compliance of the deadlines that fell due in the range, per period and office',
        description:
          'Resolution against resolution_due_at, first response against first_response_due_at: met (done by the deadline), breached (done later, or overdue), pending (not due yet; in neither share).',
        querystring: StatsRangeQuery,
        response: { 200: SlaStats, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req) => stats.sla(actorOf(req), req.query, languageOf(req)),
  )

  app.get(
    '/stats/backlog',
    {
      preValidation: supervisors,
      schema: {
        tags: ['stats'],
        summary: 'Open cases now by age: under a day, 1–3, 3–7, 7–14, 14–30 days, older',
        response: { 200: BacklogStats, 401: Err, 403: Err },
      },
    },
    async (req) => stats.backlog(actorOf(req)),
  )

  app.get(
    '/stats/first-contact',
    {
      preValidation: supervisors,
      schema: {
        tags: ['stats'],
        summary: 'First-contact resolution of the call centre per period',
        description:
          'Eligible: cases opened in the range by a call-centre operator. Resolved at first contact: the same operator resolved it within windowMinutes of opening it, nobody else acted on it before, and it was never reopened.',
        querystring: StatsRangeQuery,
        response: { 200: FirstContactStats, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req) => stats.firstContact(actorOf(req), req.query),
  )

  app.post(
    '/cases/bulk-reassign',
    {
      preValidation: supervisors,
      schema: {
        tags: ['cases'],
        summary: 'Assign several cases to an agent, or move them to a queue (admin, supervisor)',
        description:
          'Each case carries the version read and is changed in its own transaction: the answer says for each whether it was updated, unchanged, or refused (conflict with the current version, not_found, forbidden, invalid) with the reason. Moving to a queue clears the assignee so the queue assigns it.',
        body: BulkReassignBody,
        response: { 200: BulkReassignResult, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req) => {
      const lang = languageOf(req)
      const result = await bulkCases.reassign(actorOf(req), req.body)
      return {
        ...result,
        results: result.results.map(({ params, ...r }) => ({
          ...r,
          message: r.code ? translate(lang, r.code, params) : null,
        })),
      }
    },
  )
}
