import { type ExpressionBuilder, sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import type { DB } from '../db/schema.gen.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import type { QueueView } from '../reference/reference.schemas.ts'
import type { AssignmentStrategy } from '../routing/rule.schemas.ts'
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

/** Supervisors organise the work of their teams, so they manage queues too. */
const QUEUE_EDITORS: readonly Role[] = ['admin', 'supervisor']

/** The columns a queue is read with (QueueView), its members' ids included, ascending. */
export const queueColumns = () =>
  [
    'id',
    'code',
    'name',
    'officeId',
    'active',
    'version',
    'releaseOnOffline',
    sql<AssignmentStrategy>`assignment_strategy`.as('assignmentStrategy'),
    (eb: ExpressionBuilder<DB, 'queues'>) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom('queueMembers as m')
            .select(sql<number[]>`array_agg(m.user_id order by m.user_id)`.as('ids'))
            .whereRef('m.queueId', '=', 'queues.id'),
          sql<number[]>`'{}'::bigint[]`,
        )
        .as('memberIds'),
  ] as const

/** Refuses member ids that are not staff users, naming them. */
async function checkMembers(trx: Executor, memberIds: readonly number[]): Promise<void> {
  if (!memberIds.length) return
  const found = await trx.selectFrom('staffUsers').select('id').where('id', 'in', memberIds).execute()
  const missing = memberIds.filter((id) => !found.some((f) => f.id === id))
  if (missing.length) {
    throw new DomainError('invalid', 'unknown_reference', `memberIds ${missing.join(', ')} not found`, {
      params: { field: 'memberIds', id: missing.join(', ') },
    })
  }
}

/** Makes the members exactly `memberIds`; those who stay keep their round-robin history. */
async function setMembers(trx: Executor, queueId: number, memberIds: readonly number[]): Promise<void> {
  let removal = trx.deleteFrom('queueMembers').where('queueId', '=', queueId)
  if (memberIds.length) removal = removal.where('userId', 'not in', memberIds)
  await removal.execute()
  if (!memberIds.length) return
  await trx
    .insertInto('queueMembers')
    .values(memberIds.map((userId) => ({ queueId, userId })))
    .onConflict((oc) => oc.columns(['queueId', 'userId']).doNothing())
    .execute()
}

const sortedIds = (ids: readonly number[] | undefined) => ids && [...ids].sort((a, b) => a - b)

export type QueueService = ReturnType<typeof createQueueService>

/**
 * Work queues: administrators and supervisors create, change and deactivate them,
 * and say how their cases are assigned and to whom (the members).
 */
export function createQueueService(db: Database) {
  async function load(trx: Executor, id: number, lock = false): Promise<QueueView> {
    let q = trx.selectFrom('queues').select(queueColumns()).where('id', '=', id)
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
      const memberIds = sortedIds(input.memberIds) ?? []
      return db.transaction().execute(async (trx) => {
        await checkExists(trx, 'offices', 'officeId', [input.officeId])
        await checkMembers(trx, memberIds)
        const { id } = await unique(
          () =>
            trx
              .insertInto('queues')
              .values({
                code: input.code,
                name,
                officeId: input.officeId ?? null,
                active: input.active ?? true,
                assignmentStrategy: input.assignmentStrategy ?? 'manual',
                releaseOnOffline: input.releaseOnOffline ?? true,
              })
              .returning('id')
              .executeTakeFirstOrThrow(),
          'queues_code_key',
          'queue_code_taken',
          { code: input.code },
        )
        await setMembers(trx, id, memberIds)
        const after = await load(trx, id)
        await recordAudit(trx, actor, { action: 'queue.create', entityType: 'queue', entityId: id, after })
        return after
      })
    },

    /**
     * Changes a queue. A change that may let waiting cases reach someone (the
     * strategy, the members, reactivation) dispatches the queue.
     */
    async update(actor: Actor, id: number, input: UpdateQueueBody): Promise<QueueView> {
      requireRole(actor, QUEUE_EDITORS, 'change queues')
      const { version, memberIds: members, ...rest } = input
      const fields = { ...rest, name: nonBlank('name', rest.name) }
      const memberIds = sortedIds(members)
      return db.transaction().execute(async (trx) => {
        const before = await load(trx, id, true)
        checkVersion('queue', before, version, () => before)
        const changed = changedKeys(before, { ...fields, memberIds })
        if (!changed.length) return before
        if (changed.includes('officeId')) await checkExists(trx, 'offices', 'officeId', [fields.officeId])
        if (memberIds && changed.includes('memberIds')) {
          await checkMembers(trx, memberIds)
          await setMembers(trx, id, memberIds)
        }
        await unique(
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
              .execute(),
          'queues_code_key',
          'queue_code_taken',
          { code: fields.code ?? before.code },
        )
        const after = await load(trx, id)
        await recordAudit(trx, actor, {
          action: 'queue.update',
          entityType: 'queue',
          entityId: id,
          before,
          after,
        })
        const mayAssign = changed.some(
          (k) => k === 'assignmentStrategy' || k === 'memberIds' || k === 'active',
        )
        if (after.active && mayAssign) await enqueue(trx, 'queue.dispatch', { queueId: id })
        return after
      })
    },
  }
}
