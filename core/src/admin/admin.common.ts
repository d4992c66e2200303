import { sql } from 'kysely'
import type { Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'

/** The resources administered here; each has its own not-found, version-conflict and code-taken messages. */
export type AdminEntity = 'user' | 'office' | 'category' | 'queue' | 'sla_policy' | 'sla_calendar'

/** Refuses the actor unless their role is one of `roles`: enforced here, whatever the route guards. */
export function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!roles.includes(actor.role))
    throw new DomainError('forbidden', 'forbidden', `${actor.role} may not ${what}`)
}

/** 404 with the resource's own message code (user_not_found, office_not_found…). */
export const notFound = (entity: AdminEntity, id: number): DomainError =>
  new DomainError('not_found', `${entity}_not_found`, `${entity} ${id} not found`, { params: { id } })

/**
 * The version the editor read must be the current one; otherwise 409 with the
 * current state in details.current, so the console can show what changed.
 */
export function checkVersion(
  entity: AdminEntity,
  row: { id: number; version: number },
  version: number | undefined,
  current: () => unknown,
): void {
  if (version === undefined) {
    throw new DomainError(
      'invalid',
      'admin_version_required',
      'send the version you read (body.version or If-Match)',
    )
  }
  if (row.version !== version) {
    throw new DomainError(
      'conflict',
      `${entity}_version_conflict`,
      `${entity} ${row.id} is at version ${row.version}, not ${version}`,
      { params: { version: row.version }, details: { current: current() } },
    )
  }
}

/**
 * Runs an insert or update whose unique constraint is the check (no read-then-write
 * race): a violation of `constraint` becomes 409 `code`.
 */
export async function unique<T>(
  run: () => Promise<T>,
  constraint: string,
  code: string,
  params: Record<string, string>,
): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const e = err as { code?: string; constraint?: string }
    if (e.code === '23505' && e.constraint === constraint) {
      throw new DomainError('conflict', code, `${constraint} violated`, { params })
    }
    throw err
  }
}

/** Refuses references to rows that do not exist, naming the field. */
export async function checkExists(
  trx: Executor,
  table: 'offices' | 'categories',
  field: string,
  ids: readonly (number | null | undefined)[],
): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is number => id != null))]
  if (!wanted.length) return
  const found = await trx.selectFrom(table).select('id').where('id', 'in', wanted).execute()
  const missing = wanted.filter((id) => !found.some((f) => f.id === id))
  if (missing.length) {
    throw new DomainError('invalid', 'unknown_reference', `${field} ${missing.join(', ')} not found`, {
      params: { field, id: missing.join(', ') },
    })
  }
}

/** A transaction-scoped lock on a named piece of the organisation (serialises checks that span rows). */
export async function lockNamed(trx: Executor, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`filo.admin.${name}`}))`.execute(trx)
}

/** The fields of `next` whose value differs from `before`'s (compared as JSON). */
export function changedKeys<T extends object>(before: T, next: Partial<T>): (keyof T)[] {
  return (Object.keys(next) as (keyof T)[]).filter(
    (k) => next[k] !== undefined && JSON.stringify(next[k]) !== JSON.stringify(before[k]),
  )
}

/** Trims a name and refuses one that is only spaces. */
export function nonBlank(field: string, value: string): string
export function nonBlank(field: string, value: string | undefined): string | undefined
export function nonBlank(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (!trimmed)
    throw new DomainError('invalid', 'admin_field_blank', `${field} is blank`, { params: { field } })
  return trimmed
}
