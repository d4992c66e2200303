import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'
import type { RealtimeHub } from './hub.ts'

const Err = { $ref: 'ErrorBody' } as const

/**
 * GET /api/v1/ws: the console's live connection (a websocket, authenticated by the
 * staff session cookie like every other staff route).
 */
export const realtimeRoutes: FastifyPluginAsyncTypebox<{ hub: RealtimeHub }> = async (app, { hub }) => {
  app.get(
    '/ws',
    {
      websocket: true,
      schema: {
        tags: ['realtime'],
        summary: 'Live events over a websocket (upgrade with the staff session cookie)',
        description: [
          'Server → client, JSON: `welcome` {seq}, `event` {event: {seq, type, at, case?, userIds?, queueId?, data}},',
          '`reload` (you were away too long: reload, then reconnect), `subscribed` {queues}, `pong`, `error` {code}.',
          'Client → server: `subscribe` / `unsubscribe` {queues: [id]} (queue channels), `view` / `unview` {caseId}',
          '("who is viewing this case"), `ping`. Reconnect with `?since=<last seq>` to be sent what you missed.',
          'Event types: case.created, case.updated, case.assigned, message.received, sla.warning, sla.breach,',
          'notification, presence, case.viewers, call.*, wallboard. You receive only events about cases you may see.',
        ].join(' '),
        querystring: Type.Object(
          {
            since: Type.Optional(
              Type.String({ pattern: '^\\d{1,16}-\\d{1,10}$', description: 'last seq received' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          101: Type.Null({ description: 'Switching to the websocket protocol' }),
          400: Err,
          401: Err,
        },
      },
    },
    (socket, req) => {
      void hub.connect(socket, actorOf(req), req.staffUser?.fullName ?? '', req.query.since)
    },
  )
}
