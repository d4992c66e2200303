import type { Redis } from 'ioredis'
import { sql } from 'kysely'
import type { AssignmentService } from '../assignment/assignment.service.ts'
import type { Database } from '../db/db.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { RealtimeBus } from './realtime.ts'

/**
 * Which staff members have the console open, across every API process: each live
 * websocket is a member of its user's sorted set in Redis, scored by when its
 * process last vouched for it. A process that dies stops vouching, so its
 * connections go stale and count for nothing. A user whose last connection is gone
 * (past a grace period, for a page reload) goes offline — which gives back the
 * cases they had not started.
 */
export const CONNECTION_STALE_MS = 45_000

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>

export function createConnectionRegistry(redis: Redis, prefix: string, staleMs = CONNECTION_STALE_MS) {
  const connsKey = (userId: number) => `${prefix}:ws:conns:${userId}`
  const usersKey = `${prefix}:ws:users`

  return {
    async register(userId: number, connectionId: string): Promise<void> {
      await redis
        .multi()
        .zadd(connsKey(userId), Date.now(), connectionId)
        .sadd(usersKey, String(userId))
        .exec()
    },

    /** The process vouches again for its live connections. */
    async touch(connections: readonly { userId: number; connectionId: string }[]): Promise<void> {
      if (connections.length === 0) return
      const now = Date.now()
      const multi = redis.multi()
      for (const c of connections) multi.zadd(connsKey(c.userId), now, c.connectionId)
      await multi.exec()
    },

    async unregister(userId: number, connectionId: string): Promise<void> {
      await redis.zrem(connsKey(userId), connectionId)
    },

    /** Live connections of a user, forgetting the stale ones. */
    async live(userId: number): Promise<number> {
      await redis.zremrangebyscore(connsKey(userId), '-inf', Date.now() - staleMs)
      return redis.zcard(connsKey(userId))
    },

    /** Users who had the console open at some point and may still be marked present. */
    async knownUsers(): Promise<number[]> {
      return (await redis.smembers(usersKey)).map(Number).filter(Number.isInteger)
    },

    async forget(userId: number): Promise<void> {
      await redis.srem(usersKey, String(userId))
    },
  }
}

/** The actor of a staff member by id (for acting on their behalf: their presence). */
async function actorById(db: Database, userId: number): Promise<Actor | null> {
  const row = await db
    .selectFrom('staffUsers as u')
    .select([
      'u.id',
      'u.role',
      'u.language',
      sql<
        number[]
      >`coalesce((select array_agg(so.office_id) from staff_offices so where so.staff_user_id = u.id), '{}')`.as(
        'officeIds',
      ),
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst()
  return row
    ? { id: row.id, role: row.role as Role, language: row.language as 'it' | 'en', officeIds: row.officeIds }
    : null
}

export interface PresenceDeps {
  db: Database
  realtime: RealtimeBus
  services: { assignment: AssignmentService }
}

/** Tells every console that a staff member's presence changed. */
export async function announcePresence(
  deps: Pick<PresenceDeps, 'realtime'>,
  userId: number,
  state: string,
  cause: 'user' | 'disconnected',
): Promise<void> {
  await deps.realtime.publish({ type: 'presence', data: { userId, state, cause } })
}

/**
 * Puts a user offline if none of their connections is live any more; returns
 * whether it did. Called after a socket closes (past the grace period) and by the
 * workers' sweep for processes that died with their sockets.
 */
export async function offlineIfDisconnected(
  deps: PresenceDeps,
  registry: ConnectionRegistry,
  userId: number,
): Promise<boolean> {
  if ((await registry.live(userId)) > 0) return false
  await registry.forget(userId)
  const actor = await actorById(deps.db, userId)
  if (!actor) return false
  const current = await deps.services.assignment.getPresence(actor)
  if (current.state === 'offline') return false
  await deps.services.assignment.setPresence(actor, 'offline')
  await announcePresence(deps, userId, 'offline', 'disconnected')
  return true
}
