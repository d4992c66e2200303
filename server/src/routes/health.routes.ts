import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '@filo/core'
import Type from 'typebox'

const Health = Type.Object({ status: Type.String() })
const Ready = Type.Object({
  status: Type.Enum(['ready', 'not_ready']),
  postgres: Type.Boolean(),
  redis: Type.Boolean(),
})

/** /healthz: the process answers. /readyz: it can reach PostgreSQL and Redis, 503 otherwise. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: Health } }, logLevel: 'warn' }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: Ready, 503: Ready } }, logLevel: 'warn' },
    async (_req, reply) => {
      const { postgres, redis } = await deps.checkReady()
      const ready = postgres && redis
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', postgres, redis })
    },
  )
}
