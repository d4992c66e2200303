import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AgentQuery, AgentView, announcePresence, type Deps, PresenceBody, PresenceView } from '@filo/core'
import Type from 'typebox'
import { actorOf, requireRole } from '../http/auth.ts'

const Err = { $ref: 'ErrorBody' } as const

/**
 * Presence: each signed-in user says whether they can take cases (only available
 * agents are assigned any); supervisors and admins see every agent's presence and load.
 */
export const presenceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { assignment } = deps.services

  app.get(
    '/me/presence',
    {
      schema: {
        tags: ['presence'],
        summary: 'Your presence (offline until you set it)',
        response: { 200: PresenceView, 401: Err },
      },
    },
    async (req) => assignment.getPresence(actorOf(req)),
  )

  app.put(
    '/me/presence',
    {
      schema: {
        tags: ['presence'],
        summary: 'Set your presence: available, busy, away or offline',
        description:
          'Only available agents are assigned cases. Going offline gives back the cases you have not started (status assigned) to their queues, where the queue says so; becoming available lets your queues assign you what waits.',
        body: PresenceBody,
        response: { 200: PresenceView, 400: Err, 401: Err },
      },
    },
    async (req) => {
      const actor = actorOf(req)
      const view = await assignment.setPresence(actor, req.body.state)
      await announcePresence(deps, actor.id, view.state, 'user')
      return view
    },
  )

  app.get(
    '/agents',
    {
      preValidation: requireRole('admin', 'supervisor'),
      schema: {
        tags: ['presence'],
        summary: 'Agents with their presence, load, capacity and queues (admin, supervisor)',
        description:
          'Active staff who belong to a queue or have set a presence, by name. Load counts cases assigned, in progress or waiting.',
        querystring: AgentQuery,
        response: { 200: Type.Array(AgentView), 400: Err, 401: Err, 403: Err },
      },
    },
    async (req) => assignment.listAgents(actorOf(req), req.query),
  )
}
