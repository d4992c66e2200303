import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { OfficeView } from '../reference/reference.schemas.ts'
import { changedKeys, checkVersion, nonBlank, notFound, requireRole, unique } from './admin.common.ts'
import type { CreateOfficeBody, UpdateOfficeBody } from './admin.schemas.ts'

const COLUMNS = ['id', 'code', 'name', 'email', 'phone', 'active', 'version'] as const

export type OfficeService = ReturnType<typeof createOfficeService>

/** Offices of the Comune: administrators create, rename and deactivate them (never delete: cases refer to them). */
export function createOfficeService(db: Database) {
  async function load(trx: Executor, id: number, lock = false): Promise<OfficeView> {
    let q = trx.selectFrom('offices').select(COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('office', id)
    return row
  }

  return {
    get: (_actor: Actor, id: number): Promise<OfficeView> => load(db, id),

    async create(actor: Actor, input: CreateOfficeBody): Promise<OfficeView> {
      requireRole(actor, ['admin'], 'create offices')
      const name = nonBlank('name', input.name)
      return db.transaction().execute(async (trx) => {
        const after = await unique(
          () =>
            trx
              .insertInto('offices')
              .values({
                code: input.code,
                name,
                email: input.email?.toLowerCase() ?? null,
                phone: input.phone ?? null,
                active: input.active ?? true,
              })
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          'offices_code_key',
          'office_code_taken',
          { code: input.code },
        )
        await recordAudit(trx, actor, {
          action: 'office.create',
          entityType: 'office',
          entityId: after.id,
          after,
        })
        return after
      })
    },

    async update(actor: Actor, id: number, input: UpdateOfficeBody): Promise<OfficeView> {
      requireRole(actor, ['admin'], 'change offices')
      const { version, ...rest } = input
      const fields = {
        ...rest,
        name: nonBlank('name', rest.name),
        email: rest.email?.toLowerCase() ?? rest.email,
      }
      return db.transaction().execute(async (trx) => {
        const before = await load(trx, id, true)
        checkVersion('office', before, version, () => before)
        const changed = changedKeys(before, fields)
        if (!changed.length) return before
        const after = await unique(
          () =>
            trx
              .updateTable('offices')
              .set({
                // Kysely leaves undefined fields out of the SET list.
                ...fields,
                version: before.version + 1,
                updatedAt: sql`now()`,
              })
              .where('id', '=', id)
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          'offices_code_key',
          'office_code_taken',
          { code: fields.code ?? before.code },
        )
        await recordAudit(trx, actor, {
          action: 'office.update',
          entityType: 'office',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },
  }
}
