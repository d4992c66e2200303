import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Deps, InboxQuery, StaffNotificationView } from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'

const Err = { $ref: 'ErrorBody' } as const
const tags = ['inbox']

/** The signed-in member of staff's notifications: SLA warnings and breaches, new messages on their cases. */
export const inboxRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { inbox } = deps.services

  app.get(
    '/me/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first, and how many are unread',
        querystring: InboxQuery,
        response: {
          200: Type.Object({ rows: Type.Array(StaffNotificationView), unread: Type.Integer() }),
          400: Err,
        },
      },
    },
    async (req) => inbox.list(actorOf(req), req.query),
  )

  app.post(
    '/me/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my notifications read',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 204: Type.Null(), 404: Err },
      },
    },
    async (req, reply) => {
      await inbox.markRead(actorOf(req), req.params.id)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/me/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 200: Type.Object({ marked: Type.Integer() }) },
      },
    },
    async (req) => ({ marked: await inbox.markAllRead(actorOf(req)) }),
  )
}
