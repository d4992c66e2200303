import { type Actor, DomainError, type Role, type StaffUserView } from '@filo/core'
import type { FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member; null on public routes. */
    actor: Actor | null
    staffUser: StaffUserView | null
  }
}

export const SESSION_COOKIE = 'filo_session'

export function sessionToken(req: FastifyRequest): string | undefined {
  const cookie = req.cookies[SESSION_COOKIE]
  if (cookie) return cookie
  const auth = req.headers.authorization
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
}

/** The signed-in actor; routes behind the session hook can rely on it. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new DomainError('unauthenticated', 'unauthenticated', 'no session')
  return req.actor
}

/** A route guard: only these roles may call the route. */
export const requireRole =
  (...roles: Role[]) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!roles.includes(actorOf(req).role))
      throw new DomainError('forbidden', 'forbidden', 'role not allowed')
  }

export function staffUserOf(req: FastifyRequest): StaffUserView {
  if (!req.staffUser) throw new DomainError('unauthenticated', 'unauthenticated', 'no session')
  return req.staffUser
}
