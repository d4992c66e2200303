import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { requireRole } from '../../admin/admin.common.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import type { Database } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Actor } from '../../iam/iam.schemas.ts'
import type { CreateOpen311KeyBody, Open311KeyCreated, Open311KeyView } from './open311.schemas.ts'
import './open311.messages.ts'

/** Keys are 256 random bits: a fast hash finds them and says nothing about them. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex')

const COLUMNS = [
  'id',
  'name',
  'keyHint',
  'createdBy',
  'createdAt',
  'lastUsedAt',
  'revokedAt',
  'revokedBy',
] as const
const iso = (d: Date | null) => (d ? d.toISOString() : null)
const view = (r: {
  id: number
  name: string
  keyHint: string
  createdBy: number | null
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
  revokedBy: number | null
}): Open311KeyView => ({
  id: r.id,
  name: r.name,
  hint: r.keyHint,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: iso(r.lastUsedAt),
  revokedAt: iso(r.revokedAt),
  revokedBy: r.revokedBy,
})

const ADMINS = ['admin'] as const
// last_used_at is refreshed at most this often, not on every request.
const TOUCH_EVERY_MS = 5 * 60_000

export type Open311KeyService = ReturnType<typeof createOpen311KeyService>

/**
 * The api_keys of the apps that post to Open311: admins create one per app (shown
 * once, kept as SHA-256), list and revoke them; every change is audited, keys never are.
 */
export function createOpen311KeyService(db: Database) {
  return {
    async list(actor: Actor): Promise<Open311KeyView[]> {
      requireRole(actor, ADMINS, 'read Open311 keys')
      return (await db.selectFrom('open311ApiKeys').select(COLUMNS).orderBy('id').execute()).map(view)
    },

    async create(actor: Actor | null, input: CreateOpen311KeyBody): Promise<Open311KeyCreated> {
      // A null actor is the seed: the demo key of a fresh installation.
      if (actor) requireRole(actor, ADMINS, 'create Open311 keys')
      const name = input.name.trim()
      if (!name)
        throw new DomainError('invalid', 'admin_field_blank', 'name is blank', { params: { field: 'name' } })
      const apiKey = randomBytes(32).toString('base64url')
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('open311ApiKeys')
          .values({
            name,
            keyHash: hashApiKey(apiKey),
            keyHint: apiKey.slice(-4),
            createdBy: actor?.id ?? null,
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
        const after = view(row)
        await recordAudit(trx, actor, {
          action: 'georeport_key.create',
          entityType: 'georeport_key',
          entityId: row.id,
          after,
        })
        return { ...after, apiKey }
      })
    },

    /** Revokes a key at once (the app gets 403 from then on); revoking twice changes nothing. */
    async revoke(actor: Actor, id: number): Promise<Open311KeyView> {
      requireRole(actor, ADMINS, 'revoke Open311 keys')
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('open311ApiKeys')
          .select(COLUMNS)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        if (!before)
          throw new DomainError('not_found', 'open311_key_not_found', `Open311 key ${id} not found`, {
            params: { id },
          })
        if (before.revokedAt) return view(before)
        const row = await trx
          .updateTable('open311ApiKeys')
          .set({ revokedAt: new Date(), revokedBy: actor.id })
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
        await recordAudit(trx, actor, {
          action: 'georeport_key.revoke',
          entityType: 'georeport_key',
          entityId: id,
          before: view(before),
          after: view(row),
        })
        return view(row)
      })
    },

    /** The id of a live key, or null. */
    async authenticate(apiKey: string): Promise<number | null> {
      if (!apiKey || apiKey.length > 200) return null
      const row = await db
        .selectFrom('open311ApiKeys')
        .select(['id', 'lastUsedAt'])
        .where('keyHash', '=', hashApiKey(apiKey))
        .where('revokedAt', 'is', null)
        .executeTakeFirst()
      if (!row) return null
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS)
        await db
          .updateTable('open311ApiKeys')
          .set({ lastUsedAt: sql`now()` })
          .where('id', '=', row.id)
          .execute()
      return row.id
    },
  }
}
