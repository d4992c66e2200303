import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Database } from '../src/db/db.ts'
import type { Actor, Role } from '../src/iam/iam.schemas.ts'
import { hashPassword } from '../src/iam/password.ts'

/** Small factories for tests: real rows in the test file's own database. */
const suffix = () => randomBytes(3).toString('hex')

export async function createOffice(db: Database, name = `Ufficio ${suffix()}`) {
  return db
    .insertInto('offices')
    .values({ code: `off-${suffix()}`, name })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
}

export const TEST_PASSWORD = 'una-password-di-prova'
let passwordHash: Promise<string> | null = null

export async function createUser(
  db: Database,
  role: Role,
  opts: { officeIds?: number[]; email?: string; active?: boolean; language?: 'it' | 'en' } = {},
): Promise<Actor & { email: string }> {
  passwordHash ??= hashPassword(TEST_PASSWORD)
  const email = opts.email ?? `${role}-${suffix()}@test.filo`
  const user = await db
    .insertInto('staffUsers')
    .values({
      email,
      fullName: `Test ${role}`,
      role,
      passwordHash: await passwordHash,
      active: opts.active ?? true,
      language: opts.language ?? 'it',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const officeIds = opts.officeIds ?? []
  if (officeIds.length) {
    await db
      .insertInto('staffOffices')
      .values(officeIds.map((officeId) => ({ staffUserId: user.id, officeId })))
      .execute()
  }
  return { id: user.id, role, officeIds, language: opts.language ?? 'it', email }
}

/** Deletes every Redis key under `prefix`: a Redis that lost everything, as far as one test file can see. */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    cursor = next
    if (keys.length) await redis.del(...keys)
  } while (cursor !== '0')
}

/** Polls `probe` until it gives something truthy, for at most `ms`: workers act asynchronously. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
