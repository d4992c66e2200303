import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyMultipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import fastifyWebsocket from '@fastify/websocket'
import { type Deps, DomainError, type Logger } from '@filo/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { sessionToken } from './http/auth.ts'
import { ErrorBody, registerErrorHandling } from './http/errors.ts'
import { ajvOptions } from './http/validation.ts'
import { open311Routes } from './public/open311.routes.ts'
import { statusPageRoutes } from './public/status-page.routes.ts'
import { webFormRoutes } from './public/web-form.routes.ts'
import { RealtimeHub } from './realtime/hub.ts'
import { realtimeRoutes } from './realtime/ws.routes.ts'
import { adminRoutes } from './routes/admin.routes.ts'
import { attachmentRoutes } from './routes/attachments.routes.ts'
import { auditRoutes } from './routes/audit.routes.ts'
import { authRoutes, meRoutes } from './routes/auth.routes.ts'
import { callRoutes } from './routes/calls.routes.ts'
import { cannedReplyRoutes } from './routes/canned-replies.routes.ts'
import { caseRoutes } from './routes/cases.routes.ts'
import { contactRoutes } from './routes/contacts.routes.ts'
import { ctiWebhookRoutes } from './routes/cti.routes.ts'
import { fieldRoutes } from './routes/field.routes.ts'
import { healthRoutes } from './routes/health.routes.ts'
import { inboxRoutes } from './routes/inbox.routes.ts'
import { ioSettingsRoutes } from './routes/io-settings.routes.ts'
import { mailboxRoutes, replyRoutes } from './routes/mailboxes.routes.ts'
import { notificationRoutes } from './routes/notifications.routes.ts'
import { open311KeyRoutes } from './routes/open311-keys.routes.ts'
import { presenceRoutes } from './routes/presence.routes.ts'
import { referenceRoutes } from './routes/reference.routes.ts'
import { routingRoutes } from './routes/routing.routes.ts'
import { slaRoutes } from './routes/sla.routes.ts'
import { statsRoutes } from './routes/stats.routes.ts'

export interface AppOptions {
  logger?: Logger | false
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/

/**
 * The API: /api/v1 (JSON, session cookie), /api/docs (OpenAPI), /healthz and
 * /readyz, and the console's build at /admin. Routes are thin: validate, call a
 * core service, reply.
 */
export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<FastifyInstance> {
  // Typed as Fastify's own logger interface so route plugins see the default instance type.
  const loggerInstance: FastifyBaseLogger | undefined = opts.logger || undefined
  const app = Fastify({
    loggerInstance,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: ajvOptions },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('actor', null)
  app.decorateRequest('staffUser', null)
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  registerErrorHandling(app)
  app.addSchema(ErrorBody)

  await app.register(fastifyCookie)
  // Console messages are small; anything bigger is a mistake or an attack.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } })
  const hub = new RealtimeHub(deps, (opts.logger || app.log) as Logger)
  await hub.start()
  app.addHook('onClose', async () => hub.stop())
  // Conservative bounds for every multipart request; the upload route sets the file limits.
  await app.register(fastifyMultipart, {
    limits: { fieldNameSize: 100, fieldSize: 1024, fields: 10, headerPairs: 100, parts: 30 },
  })
  await app.register(fastifySwagger, {
    // Multipart uploads are checked file by file by their service, not by a body schema;
    // the document still says what to send.
    transform: ({ schema, url }) => {
      const consumes = (schema as { consumes?: string[] } | undefined)?.consumes
      if (!schema || !consumes?.includes('multipart/form-data')) return { schema, url }
      const files = {
        type: 'array',
        items: { type: 'string', format: 'binary' },
        description: 'One or more files',
      }
      return {
        schema: { ...schema, body: { type: 'object', properties: { file: files }, required: ['file'] } },
        url,
      }
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Filo API',
        description: "The Comune di Prato's contact centre, ticketing and CRM backoffice.",
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'filo_session' },
          // The field app's token from POST /api/v1/field/tokens.
          fieldToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }],
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  await app.register(healthRoutes, { deps })
  // Public channels, outside the staff session: the web form at /segnala and Open311 at /open311/v2.
  await app.register(webFormRoutes, { deps })
  await app.register(open311Routes, { deps, prefix: '/open311' })
  // The citizen's status page: public, outside the staff session; the token is the key.
  await app.register(statusPageRoutes, { deps })

  await app.register(
    async (api) => {
      await api.register(authRoutes, { deps })
      // The PBX's webhook: its token is its credential.
      await api.register(ctiWebhookRoutes, { deps })
      // The field app: its own bearer tokens, not the staff session.
      await api.register(fieldRoutes, { deps })
      // Everything else under /api/v1 needs a staff session: one hook for the whole prefix.
      await api.register(async (staff) => {
        staff.addHook('onRequest', async (req) => {
          const token = sessionToken(req)
          const session = token ? await deps.services.auth.authenticate(token) : null
          if (!session) throw new DomainError('unauthenticated', 'unauthenticated', 'no valid session')
          req.actor = { ...session.actor, ip: req.ip, requestId: req.id }
          req.staffUser = session.user
        })
        await staff.register(meRoutes)
        await staff.register(realtimeRoutes, { hub })
        await staff.register(caseRoutes, { deps })
        await staff.register(contactRoutes, { deps })
        await staff.register(attachmentRoutes, { deps })
        await staff.register(referenceRoutes, { deps })
        await staff.register(adminRoutes, { deps })
        await staff.register(routingRoutes, { deps })
        await staff.register(slaRoutes, { deps })
        await staff.register(inboxRoutes, { deps })
        await staff.register(mailboxRoutes, { deps })
        await staff.register(replyRoutes, { deps })
        await staff.register(presenceRoutes, { deps })
        await staff.register(callRoutes, { deps })
        await staff.register(auditRoutes, { deps })
        await staff.register(open311KeyRoutes, { deps })
        await staff.register(notificationRoutes, { deps })
        await staff.register(ioSettingsRoutes, { deps })
        await staff.register(statsRoutes, { deps })
        await staff.register(cannedReplyRoutes, { deps })
      })
    },
    { prefix: '/api/v1' },
  )

  await registerConsole(app, deps.config.adminUiDist)
  return app
}

/** Serves the console's production build at /admin (one URL for the whole product). */
async function registerConsole(app: FastifyInstance, dist: string): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/admin/'))
  if (!existsSync(path.join(dist, 'index.html'))) {
    app.get('/admin/*', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'La console non è ancora stata compilata: esegui `pnpm build` (or `pnpm start`, which builds it).',
        ),
    )
    return
  }
  await app.register(fastifyStatic, { root: dist, prefix: '/admin/', index: ['index.html'], wildcard: false })
  // Client-side routes of the console fall back to its index.html.
  app.get('/admin/*', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html', dist))
}
