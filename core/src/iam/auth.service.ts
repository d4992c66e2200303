import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role, StaffUserView } from './iam.schemas.ts'
import { decoyPasswordHash, verifyPassword } from './password.ts'

export interface AuthOptions {
  sessionTtlHours: number
  loginMaxFailures: number
  loginWindowMinutes: number
}

export interface LoginResult {
  token: string
  expiresAt: Date
  user: StaffUserView
}

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest()

// A session's last_seen_at is refreshed at most this often, not on every request.
const TOUCH_EVERY_MS = 5 * 60_000

export type AuthService = ReturnType<typeof createAuthService>

/** Staff login with throttling of failed attempts, and cookie sessions stored by hash. */
export function createAuthService(db: Database, opts: AuthOptions) {
  const officeIds = sql<
    number[]
  >`coalesce((select array_agg(so.office_id order by so.office_id) from staff_offices so where so.staff_user_id = u.id), '{}')`

  const toView = (
    row: Omit<StaffUserView, 'role' | 'language'> & { role: string; language: string },
  ): StaffUserView => ({
    ...row,
    role: row.role as Role,
    language: row.language as 'it' | 'en',
  })

  async function loadUser(id: number): Promise<StaffUserView | null> {
    const row = await db
      .selectFrom('staffUsers as u')
      .select(['u.id', 'u.email', 'u.fullName', 'u.role', 'u.language', officeIds.as('officeIds')])
      .where('u.id', '=', id)
      .executeTakeFirst()
    return row ? toView(row) : null
  }

  return {
    async login(email: string, password: string, meta: { ip?: string; userAgent?: string } = {}) {
      const normalised = email.trim().toLowerCase()
      const { failures } = await db
        .selectFrom('loginFailures')
        .select((eb) => eb.fn.countAll<number>().as('failures'))
        .where('email', '=', normalised)
        .where('failedAt', '>', sql<Date>`now() - make_interval(mins => ${opts.loginWindowMinutes})`)
        .executeTakeFirstOrThrow()
      if (failures >= opts.loginMaxFailures) {
        throw new DomainError(
          'rate_limited',
          'too_many_attempts',
          `too many failed logins for ${normalised}`,
          {
            params: { minutes: opts.loginWindowMinutes },
          },
        )
      }
      const user = await db
        .selectFrom('staffUsers')
        .select(['id', 'passwordHash', 'active'])
        .where('email', '=', normalised)
        .executeTakeFirst()
      const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password)
      if (!user || !ok) {
        await db
          .insertInto('loginFailures')
          .values({ email: normalised, ip: meta.ip ?? null })
          .execute()
        throw new DomainError('unauthenticated', 'invalid_credentials', 'wrong email or password')
      }
      if (!user.active) throw new DomainError('forbidden', 'account_disabled', 'account disabled')
      await db.deleteFrom('loginFailures').where('email', '=', normalised).execute()

      const token = randomBytes(32).toString('base64url')
      const expiresAt = new Date(Date.now() + opts.sessionTtlHours * 3600_000)
      await db
        .insertInto('staffSessions')
        .values({
          tokenHash: tokenHash(token),
          staffUserId: user.id,
          expiresAt,
          ip: meta.ip ?? null,
          userAgent: meta.userAgent?.slice(0, 500) ?? null,
        })
        .execute()
      const view = await loadUser(user.id)
      if (!view) throw new DomainError('not_found', 'not_found', 'user vanished during login')
      return { token, expiresAt, user: view } satisfies LoginResult
    },

    /** The actor behind a session token, or null when the session is unknown, expired or its user disabled. */
    async authenticate(token: string): Promise<{ actor: Actor; user: StaffUserView } | null> {
      if (!token || token.length > 100) return null
      const hash = tokenHash(token)
      const row = await db
        .selectFrom('staffSessions as s')
        .innerJoin('staffUsers as u', 'u.id', 's.staffUserId')
        .select([
          's.lastSeenAt',
          'u.id',
          'u.email',
          'u.fullName',
          'u.role',
          'u.language',
          officeIds.as('officeIds'),
        ])
        .where('s.tokenHash', '=', hash)
        .where('s.expiresAt', '>', sql<Date>`now()`)
        .where('u.active', '=', true)
        .executeTakeFirst()
      if (!row) return null
      if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db
          .updateTable('staffSessions')
          .set({ lastSeenAt: sql`now()` })
          .where('tokenHash', '=', hash)
          .execute()
      }
      const { lastSeenAt: _, ...fields } = row
      const user = toView(fields)
      return {
        user,
        actor: { id: user.id, role: user.role, officeIds: user.officeIds, language: user.language },
      }
    },

    async logout(token: string): Promise<void> {
      await db.deleteFrom('staffSessions').where('tokenHash', '=', tokenHash(token)).execute()
    },

    /** Removes expired sessions and old login failures; run periodically by the workers. */
    async purgeExpired(): Promise<void> {
      await db.deleteFrom('staffSessions').where('expiresAt', '<', sql<Date>`now()`).execute()
      await db
        .deleteFrom('loginFailures')
        .where('failedAt', '<', sql<Date>`now() - make_interval(mins => ${opts.loginWindowMinutes})`)
        .execute()
    },
  }
}
