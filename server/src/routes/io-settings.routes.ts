import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Deps, IoCheckBody, IoCheckView, IoSettingsView } from '@filo/core'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'

const Err = { $ref: 'ErrorBody' } as const
const tags = ['notifications']

/**
 * How citizens are notified, for admins: the IO and email settings of the deployment
 * (read only: they live in its environment, IO's key shown by its last 4 characters),
 * recent delivery figures, and a live check of IO for a fiscal code.
 */
export const ioSettingsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { ioSettings } = deps.services
  const admins = requireRole('admin')

  app.get(
    '/io-settings',
    {
      preValidation: admins,
      schema: {
        tags,
        summary:
          "IO and email notification settings, without IO's key, and deliveries of the last 24 h and 7 days (admin)",
        response: { 200: IoSettingsView, 401: Err, 403: Err },
      },
    },
    async (req) => ioSettings.settings(actorOf(req)),
  )

  app.post(
    '/io-settings/check',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Ask IO now whether the service may write to a fiscal code (admin; audited)',
        description:
          "200 when IO answered about the citizen (outcome: sender_allowed, sender_not_allowed, no_profile, forbidden); 503 when IO is not configured, refuses the service's key, is unreachable or fails.",
        body: IoCheckBody,
        response: { 200: IoCheckView, 400: Err, 401: Err, 403: Err, 503: Err },
      },
    },
    async (req) => ioSettings.check(actorOf(req), req.body.fiscalCode, languageOf(req)),
  )
}
