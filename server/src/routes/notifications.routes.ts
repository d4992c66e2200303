import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CategorySettingView,
  type Deps,
  NOTIFICATION_SORTS,
  NotificationFilter,
  NotificationView,
  PreviewBody,
  PreviewView,
  TemplateView,
  UpdateCategorySettingBody,
  UpdateTemplateBody,
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
const tags = ['notifications']

/**
 * Citizen notifications, for admins: which changes each category notifies, the
 * templates (Italian and English, Markdown for IO, HTML and text for email) with
 * a preview, and the notifications that failed after their last attempt, with a
 * retry. Permissions and audit are in the core service.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { notifications } = deps.services
  const admins = requireRole('admin')

  app.get(
    '/notifications',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Citizen notifications and their delivery state (admin)',
        description: `Sort by one of ${NOTIFICATION_SORTS.join(', ')}. Filter keys: state (failed, uncertain… — what needs an admin), caseId, channel.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(NotificationView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<NotificationFilter, (typeof NOTIFICATION_SORTS)[number]>(req.query, {
        filter: NotificationFilter,
        sorts: NOTIFICATION_SORTS,
        defaultSort: 'updatedAt',
        defaultOrder: 'desc',
        lang: languageOf(req),
      })
      return sendList(reply, 'notifications', query.offset, await notifications.list(actorOf(req), query))
    },
  )

  app.post(
    '/notifications/:id/retry',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Send a failed or uncertain notification again (admin)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why, for the audit log' })) },
          { additionalProperties: false },
        ),
        response: { 200: NotificationView, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req) => notifications.retry(actorOf(req), req.params.id, req.body.reason),
  )

  app.get(
    '/notification-templates',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Notification templates, per trigger and language (admin)',
        description:
          'Variables: {{name}}, {{number}}, {{subject}}, {{status}}, {{statusUrl}}, {{answer}}, {{comment}}, {{message}}, {{steps}} (digest).',
        response: { 200: Type.Array(TemplateView), 403: Err },
      },
    },
    async (req) => notifications.templates(actorOf(req)),
  )

  app.put(
    '/notification-templates/:id',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Edit a notification template (admin; send the version you read)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateTemplateBody,
        response: { 200: TemplateView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const version = versionFrom(req.body, req.headers['if-match'])
      const view = await notifications.updateTemplate(actorOf(req), req.params.id, {
        ...req.body,
        ...(version === undefined ? {} : { version }),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.post(
    '/notification-templates/preview',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: "Render a template (stored or being edited) with a case's or sample values (admin)",
        description:
          'The IO part is fitted to IO limits (subject 10–120, markdown 80–10000); `adjusted` says how.',
        body: PreviewBody,
        response: { 200: PreviewView, 400: Err, 403: Err, 404: Err },
      },
    },
    async (req) => notifications.preview(actorOf(req), req.body),
  )

  app.get(
    '/notification-settings',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Which changes notify the citizen, per category (admin)',
        response: { 200: Type.Array(CategorySettingView), 403: Err },
      },
    },
    async (req) => notifications.categorySettings(actorOf(req)),
  )

  app.put(
    '/notification-settings/:id',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Set which changes of a category notify the citizen (admin)',
        params: IdParams,
        body: UpdateCategorySettingBody,
        response: { 200: CategorySettingView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req) => notifications.updateCategorySetting(actorOf(req), req.params.id, req.body),
  )
}
