import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CALENDAR_SORTS,
  CalendarFilter,
  CalendarPreview,
  CalendarPreviewQuery,
  CalendarView,
  CreateCalendarBody,
  CreateSlaPolicyBody,
  type Deps,
  SLA_POLICY_SORTS,
  SlaPolicyFilter,
  SlaPolicyView,
  UpdateCalendarBody,
  UpdateSlaPolicyBody,
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
 * SLA policies (targets per category × priority, escalation) and the business
 * calendars they count on. Admins write; supervisors read. Audited by the service.
 */
export const slaRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { sla } = deps.services
  const readers = requireRole('admin', 'supervisor')
  const writers = requireRole('admin')

  app.get(
    '/sla-policies',
    {
      preValidation: readers,
      schema: {
        tags: ['sla'],
        summary: 'List SLA policies (admin, supervisor)',
        description: `Sort by one of ${SLA_POLICY_SORTS.join(', ')}. Filter keys: id (one or several), active, categoryId, priority, q (name).`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(SlaPolicyView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<SlaPolicyFilter, (typeof SLA_POLICY_SORTS)[number]>(req.query, {
        filter: SlaPolicyFilter,
        sorts: SLA_POLICY_SORTS,
        defaultSort: 'name',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'sla-policies', query.offset, await sla.listPolicies(actorOf(req), query))
    },
  )

  app.get(
    '/sla-policies/:id',
    {
      preValidation: readers,
      schema: {
        tags: ['sla'],
        summary: 'One SLA policy (admin, supervisor)',
        params: IdParams,
        response: { 200: SlaPolicyView, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.getPolicy(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.post(
    '/sla-policies',
    {
      preValidation: writers,
      schema: {
        tags: ['sla'],
        summary: 'Create an SLA policy (admin)',
        description:
          'Targets are business minutes of the calendar. One active policy per (category, priority); null means any. Applies to cases routed from now on.',
        body: CreateSlaPolicyBody,
        response: { 201: SlaPolicyView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.createPolicy(actorOf(req), req.body)
      reply.status(201).header('etag', `"${view.version}"`)
      return view
    },
  )

  app.patch(
    '/sla-policies/:id',
    {
      preValidation: writers,
      schema: {
        tags: ['sla'],
        summary: 'Change an SLA policy (admin; optimistic concurrency: body.version or If-Match)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateSlaPolicyBody,
        response: { 200: SlaPolicyView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.updatePolicy(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.get(
    '/business-calendars',
    {
      preValidation: readers,
      schema: {
        tags: ['sla'],
        summary: 'List business calendars (admin, supervisor)',
        description: `Sort by one of ${CALENDAR_SORTS.join(', ')}. Filter keys: id (one or several), q (name).`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(CalendarView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<CalendarFilter, (typeof CALENDAR_SORTS)[number]>(req.query, {
        filter: CalendarFilter,
        sorts: CALENDAR_SORTS,
        defaultSort: 'name',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'business-calendars', query.offset, await sla.listCalendars(actorOf(req), query))
    },
  )

  app.get(
    '/business-calendars/:id',
    {
      preValidation: readers,
      schema: {
        tags: ['sla'],
        summary: 'One business calendar (admin, supervisor)',
        params: IdParams,
        response: { 200: CalendarView, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.getCalendar(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.get(
    '/business-calendars/:id/preview',
    {
      preValidation: readers,
      schema: {
        tags: ['sla'],
        summary: 'Closures of a year (national and local) and a sample deadline on the calendar',
        params: IdParams,
        querystring: CalendarPreviewQuery,
        response: { 200: CalendarPreview, 400: Err, 403: Err, 404: Err },
      },
    },
    async (req) => sla.previewCalendar(actorOf(req), req.params.id, req.query),
  )

  app.post(
    '/business-calendars',
    {
      preValidation: writers,
      schema: {
        tags: ['sla'],
        summary: 'Create a business calendar (admin)',
        description:
          "Opening hours per weekday (split shifts allowed), a time zone (default Europe/Rome) and local closures; Italy's national holidays always apply.",
        body: CreateCalendarBody,
        response: { 201: CalendarView, 400: Err, 403: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.createCalendar(actorOf(req), req.body)
      reply.status(201).header('etag', `"${view.version}"`)
      return view
    },
  )

  app.patch(
    '/business-calendars/:id',
    {
      preValidation: writers,
      schema: {
        tags: ['sla'],
        summary: 'Change a business calendar (admin; optimistic concurrency: body.version or If-Match)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateCalendarBody,
        response: { 200: CalendarView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await sla.updateCalendar(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )
}
