import { type Expression, type SqlBool, sql } from 'kysely'
import { enqueueDispatchForAgent } from '../assignment/assignment.service.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import { hashPassword } from '../iam/password.ts'
import { asList, COUNT_CAP, type ListQuery, type ListResult } from '../list.ts'
import {
  changedKeys,
  checkExists,
  checkVersion,
  lockNamed,
  nonBlank,
  notFound,
  requireRole,
  unique,
} from './admin.common.ts'
import {
  type CreateUserBody,
  PASSWORD_MIN_LENGTH,
  type UpdateUserBody,
  type USER_SORTS,
  type UserFilter,
  type UserView,
} from './admin.schemas.ts'

const officeIdsOf = sql<
  number[]
>`coalesce((select array_agg(so.office_id order by so.office_id) from staff_offices so where so.staff_user_id = u.id), '{}')`

const COLUMNS = [
  'u.id',
  'u.email',
  'u.fullName',
  'u.role',
  'u.language',
  'u.skills',
  'u.capacity',
  'u.active',
  'u.extension',
  'u.version',
  'u.createdAt',
  'u.updatedAt',
] as const

interface UserRow {
  id: number
  email: string
  fullName: string
  role: string
  language: string
  skills: string[]
  capacity: number
  active: boolean
  extension: string | null
  version: number
  createdAt: Date
  updatedAt: Date
  officeIds: number[]
}

/** Everything an administrator sees about a user (never the password hash). */
function adminView(row: UserRow): Required<UserView> {
  return {
    id: row.id,
    fullName: row.fullName,
    role: row.role as Role,
    officeIds: row.officeIds,
    active: row.active,
    email: row.email,
    language: row.language as 'it' | 'en',
    skills: row.skills,
    capacity: row.capacity,
    extension: row.extension,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** What colleagues see of each other: enough to name and pick someone. */
function publicView(row: UserRow): UserView {
  return {
    id: row.id,
    fullName: row.fullName,
    role: row.role as Role,
    officeIds: row.officeIds,
    active: row.active,
  }
}

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
const normaliseEmail = (email: string) => email.trim().toLowerCase()

function checkPassword(password: string | undefined): void {
  // The route's schema says the same; this holds for callers that are not the API.
  if (password !== undefined && password.length < PASSWORD_MIN_LENGTH) {
    throw new DomainError('invalid', 'user_password_short', 'password too short', {
      params: { min: PASSWORD_MIN_LENGTH },
    })
  }
}

function checkOffices(role: Role, officeIds: readonly number[]): void {
  // An office_staff without offices would see no case at all: almost certainly a mistake.
  if (role === 'office_staff' && officeIds.length === 0) {
    throw new DomainError('invalid', 'user_office_required', 'office_staff need an office')
  }
}

/** Two staff members cannot answer on one extension: the unique index says so, as 409 user_extension_taken. */
const uniqueExtension = <T>(extension: string | null | undefined, run: () => Promise<T>): Promise<T> =>
  unique(run, 'staff_users_extension_key', 'user_extension_taken', { extension: extension ?? '' })

export type StaffService = ReturnType<typeof createStaffService>

/**
 * Staff accounts: administrators create and change them; everyone signed in may
 * list colleagues, seeing names, roles and offices only.
 */
export function createStaffService(db: Database) {
  const select = (trx: Executor) =>
    trx.selectFrom('staffUsers as u').select([...COLUMNS, officeIdsOf.as('officeIds')])

  async function load(trx: Executor, id: number, lock = false): Promise<UserRow> {
    let q = select(trx).where('u.id', '=', id)
    if (lock) q = q.forUpdate('u')
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('user', id)
    return row
  }

  async function setOffices(trx: Executor, userId: number, officeIds: readonly number[]): Promise<void> {
    await trx.deleteFrom('staffOffices').where('staffUserId', '=', userId).execute()
    if (officeIds.length) {
      await trx
        .insertInto('staffOffices')
        .values(officeIds.map((officeId) => ({ staffUserId: userId, officeId })))
        .execute()
    }
  }

  return {
    async list(
      actor: Actor,
      query: ListQuery<UserFilter, (typeof USER_SORTS)[number]>,
    ): Promise<ListResult<UserView>> {
      const isAdmin = actor.role === 'admin'
      // Sorting by a field one cannot see would still reveal its order.
      if (!isAdmin && query.sort === 'email') requireRole(actor, ['admin'], 'sort users by email')
      const f = query.filter
      const base = db.selectFrom('staffUsers as u').where((eb) => {
        const parts: Expression<SqlBool>[] = []
        if (f.id !== undefined) parts.push(eb('u.id', 'in', asList(f.id)))
        if (f.role !== undefined) parts.push(eb('u.role', 'in', asList(f.role)))
        if (f.active !== undefined) parts.push(eb('u.active', '=', f.active))
        if (f.officeId !== undefined) {
          parts.push(
            eb.exists(
              eb
                .selectFrom('staffOffices as so')
                .select('so.officeId')
                .whereRef('so.staffUserId', '=', 'u.id')
                .where('so.officeId', '=', f.officeId),
            ),
          )
        }
        if (f.q?.trim()) {
          const pattern = escapeLike(f.q.trim())
          parts.push(
            isAdmin
              ? eb.or([eb('u.fullName', 'ilike', pattern), eb('u.email', 'ilike', pattern)])
              : eb('u.fullName', 'ilike', pattern),
          )
        }
        return eb.and(parts)
      })
      const [rows, count] = await Promise.all([
        base
          .select([...COLUMNS, officeIdsOf.as('officeIds')])
          .orderBy(`u.${query.sort}`, query.order)
          .orderBy('u.id')
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(isAdmin ? adminView : publicView), total: count.n, exact: count.n <= COUNT_CAP }
    },

    async get(actor: Actor, id: number): Promise<UserView> {
      const row = await load(db, id)
      return actor.role === 'admin' ? adminView(row) : publicView(row)
    },

    async create(actor: Actor, input: CreateUserBody): Promise<UserView> {
      requireRole(actor, ['admin'], 'create users')
      const email = normaliseEmail(input.email)
      const fullName = nonBlank('fullName', input.fullName)
      const officeIds = [...new Set(input.officeIds ?? [])]
      checkOffices(input.role, officeIds)
      checkPassword(input.password)
      // Hashing takes a while on purpose: do it before the transaction so no lock waits on it.
      const passwordHash = await hashPassword(input.password)
      return db.transaction().execute(async (trx) => {
        await checkExists(trx, 'offices', 'officeIds', officeIds)
        const { id } = await uniqueExtension(input.extension, () =>
          unique(
            () =>
              trx
                .insertInto('staffUsers')
                .values({
                  email,
                  fullName,
                  role: input.role,
                  language: input.language ?? 'it',
                  passwordHash,
                  active: input.active ?? true,
                  skills: [...new Set(input.skills ?? [])],
                  capacity: input.capacity ?? 10,
                  extension: input.extension ?? null,
                })
                .returning('id')
                .executeTakeFirstOrThrow(),
            'staff_users_email_key',
            'user_email_taken',
            { email },
          ),
        )
        await setOffices(trx, id, officeIds)
        const after = adminView(await load(trx, id))
        await recordAudit(trx, actor, {
          action: 'user.create',
          entityType: 'staff_user',
          entityId: id,
          after,
        })
        return after
      })
    },

    /**
     * Changes a user if nobody changed them since the version the admin read.
     * Deactivating a user, or setting their password, ends their sessions at once;
     * nothing may leave Filo without an active administrator.
     */
    async update(actor: Actor, id: number, input: UpdateUserBody): Promise<UserView> {
      requireRole(actor, ['admin'], 'change users')
      const { version, password, ...rest } = input
      checkPassword(password)
      const fields = {
        ...rest,
        email: rest.email === undefined ? undefined : normaliseEmail(rest.email),
        fullName: nonBlank('fullName', rest.fullName),
        officeIds:
          rest.officeIds === undefined ? undefined : [...new Set(rest.officeIds)].sort((a, b) => a - b),
        skills: rest.skills === undefined ? undefined : [...new Set(rest.skills)],
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password)
      return db.transaction().execute(async (trx) => {
        // Every demotion or deactivation queues here first, so two admins cannot remove each other at once.
        if (fields.role !== undefined || fields.active !== undefined) await lockNamed(trx, 'admins')
        const row = await load(trx, id, true)
        const before = adminView(row)
        checkVersion('user', row, version, () => before)
        const changed = changedKeys(before, fields)
        if (!changed.length && passwordHash === undefined) return before
        const next = {
          ...before,
          ...Object.fromEntries(changed.map((k) => [k, fields[k as keyof typeof fields]])),
        }
        checkOffices(next.role, next.officeIds)
        if (fields.officeIds) await checkExists(trx, 'offices', 'officeIds', fields.officeIds)
        if (before.role === 'admin' && before.active && (next.role !== 'admin' || !next.active)) {
          const others = await trx
            .selectFrom('staffUsers')
            .select('id')
            .where('role', '=', 'admin')
            .where('active', '=', true)
            .where('id', '<>', id)
            .limit(1)
            .execute()
          if (!others.length)
            throw new DomainError('conflict', 'user_last_admin', `user ${id} is the last active admin`)
        }
        await uniqueExtension(next.extension, () =>
          unique(
            () =>
              trx
                .updateTable('staffUsers')
                .set({
                  email: next.email,
                  fullName: next.fullName,
                  role: next.role,
                  language: next.language,
                  skills: next.skills,
                  capacity: next.capacity,
                  active: next.active,
                  extension: next.extension ?? null,
                  ...(passwordHash === undefined ? {} : { passwordHash }),
                  version: row.version + 1,
                  updatedAt: sql`now()`,
                })
                .where('id', '=', id)
                .execute(),
            'staff_users_email_key',
            'user_email_taken',
            { email: next.email },
          ),
        )
        if (changed.includes('officeIds')) await setOffices(trx, id, next.officeIds)
        const loggedOut = (before.active && !next.active) || (passwordHash !== undefined && id !== actor.id)
        if (loggedOut) await trx.deleteFrom('staffSessions').where('staffUserId', '=', id).execute()
        // More room, other skills or back at work: their queues may now have cases for them.
        if (next.active && changed.some((k) => k === 'capacity' || k === 'skills' || k === 'active'))
          await enqueueDispatchForAgent(trx, id)
        const after = adminView(await load(trx, id))
        await recordAudit(trx, actor, {
          action: 'user.update',
          entityType: 'staff_user',
          entityId: id,
          before,
          // The hash never enters the log; that the password changed does.
          after: passwordHash === undefined ? after : { ...after, passwordChanged: true },
        })
        return after
      })
    },
  }
}
