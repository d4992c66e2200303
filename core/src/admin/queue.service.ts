import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { QueueView } from '../reference/reference.schemas.ts'
import {
  changedKeys,
  checkExists,
  checkVersion,
  nonBlank,
  notFound,
  requireRole,
  unique,
} from './admin.common.ts'
import type { CreateQueueBody, UpdateQueueBody } from './admin.schemas.ts'

const COLUMNS = ['id', 'code', 'name', 'officeId', 'active', 'version'] as const
/** Supervisors organise the work of their teams, so they manage queues too. */
const QUEUE_EDITORS: readonly Role[] = ['admin', 'supervisor']

export type QueueService = ReturnType<typeof createQueueService>

/** Work queues: administrators and supervisors create, change and deactivate them. */
export function createQueueService(db: Database) {
  async function load(trx: Executor, id: number, lock = false): Promise<QueueView> {
    let q = trx.selectFrom('queues').select(COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('queue', id)
    return row
  }

  return {
    get: (_actor: Actor, id: number): Promise<QueueView> => load(db, id),

    async create(actor: Actor, input: CreateQueueBody): Promise<QueueView> {
      requireRole(actor, QUEUE_EDITORS, 'create queues')
      const name = nonBlank('name', input.name)
      return db.transaction().execute(async (trx) => {
        await checkExists(trx, 'offices', 'officeId', [input.officeId])
        const after = await unique(
          () =>
            trx
              .insertInto('queues')
              .values({
                code: input.code,
                name,
                officeId: input.officeId ?? null,
                active: input.active ?? true,
              })
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          'queues_code_key',
          'queue_code_taken',
          { code: input.code },
        )
        await recordAudit(trx, actor, {
          action: 'queue.create',
          entityType: 'queue',
          entityId: after.id,
          after,
        })
        return after
      })
    },

    async update(actor: Actor, id: number, input: UpdateQueueBody): Promise<QueueView> {
      requireRole(actor, QUEUE_EDITORS, 'change queues')
      const { version, ...rest } = input
      const fields = { ...rest, name: nonBlank('name', rest.name) }
      return db.transaction().execute(async (trx) => {
        const before = await load(trx, id, true)
        checkVersion('queue', before, version, () => before)
        const changed = changedKeys(before, fields)
        if (!changed.length) return before
        if (changed.includes('officeId')) await checkExists(trx, 'offices', 'officeId', [fields.officeId])
        const after = await unique(
          () =>
            trx
              .updateTable('queues')
              .set({
                // Kysely leaves undefined fields out of the SET list.
                ...fields,
                version: before.version + 1,
                updatedAt: sql`now()`,
              })
              .where('id', '=', id)
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          'queues_code_key',
          'queue_code_taken',
          { code: fields.code ?? before.code },
        )
        await recordAudit(trx, actor, {
          action: 'queue.update',
          entityType: 'queue',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },
  }
}
