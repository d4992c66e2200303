import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CreateOpen311KeyBody, type Deps, Open311KeyCreated, Open311KeyView } from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const Err = { $ref: 'ErrorBody' } as const

/** The api_keys of Open311 apps, for administrators (the service checks the role). */
export const open311KeyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const keys = deps.services.open311Keys

  app.get(
    '/open311-keys',
    {
      schema: {
        tags: ['open311'],
        summary: 'Open311 api_keys of the registered apps, without the keys (admin)',
        response: { 200: Type.Array(Open311KeyView), 401: Err, 403: Err },
      },
    },
    async (req) => keys.list(actorOf(req)),
  )

  app.post(
    '/open311-keys',
    {
      schema: {
        tags: ['open311'],
        summary: 'Register an Open311 app: its api_key is in this answer only (admin)',
        body: CreateOpen311KeyBody,
        response: { 201: Open311KeyCreated, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await keys.create(actorOf(req), req.body)),
  )

  app.delete(
    '/open311-keys/:id',
    {
      schema: {
        tags: ['open311'],
        summary: 'Revoke an Open311 api_key: the app gets 403 from now on; the key stays listed (admin)',
        params: IdParams,
        response: { 200: Open311KeyView, 401: Err, 403: Err, 404: Err },
      },
    },
    async (req) => keys.revoke(actorOf(req), req.params.id),
  )
}
