import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Deps, LoginBody, StaffUserView } from '@filo/core'
import Type from 'typebox'
import { SESSION_COOKIE, sessionToken, staffUserOf } from '../http/auth.ts'

const UserBody = Type.Object({ user: StaffUserView })

/** Login, logout: a session cookie (httpOnly, SameSite=Lax) over the staff accounts. */
export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { auth } = deps.services

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: LoginBody,
        response: {
          200: UserBody,
          400: { $ref: 'ErrorBody' },
          401: { $ref: 'ErrorBody' },
          429: { $ref: 'ErrorBody' },
        },
      },
    },
    async (req, reply) => {
      const result = await auth.login(req.body.email, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      })
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        expires: result.expiresAt,
      })
      return { user: result.user }
    },
  )

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session', response: { 204: Type.Null() } } },
    async (req, reply) => {
      const token = sessionToken(req)
      if (token) await auth.logout(token)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )
}

/** Routes that need a session (registered behind the session hook). */
export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: UserBody, 401: { $ref: 'ErrorBody' } },
      },
    },
    async (req) => ({ user: staffUserOf(req) }),
  )
}
