import { sql } from 'kysely'
import Type, { type Static } from 'typebox'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { defineMessages } from '../i18n.ts'
import type { Actor } from '../iam/iam.schemas.ts'

/**
 * The staff inbox: what a member of staff is told about — an SLA warning or breach
 * on a case they supervise or hold, a new message on a case assigned to them. The
 * console lists them; the realtime layer pushes them as they arrive.
 */

defineMessages({
  it: { inbox_not_found: 'La notifica {id} non esiste.' },
  en: { inbox_not_found: 'Notification {id} does not exist.' },
})

export const STAFF_NOTIFICATION_KINDS = ['sla_warning', 'sla_breach', 'message_received'] as const
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number]

export const StaffNotificationView = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(STAFF_NOTIFICATION_KINDS),
  caseId: Type.Union([Type.Integer(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  caseSubject: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type StaffNotificationView = Static<typeof StaffNotificationView>

export const InboxQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only the unread ones' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'older than this notification id' })),
  },
  { additionalProperties: false },
)
export type InboxQuery = Static<typeof InboxQuery>

export interface NewStaffNotification {
  kind: StaffNotificationKind
  caseId: number | null
  data: Record<string, unknown>
  /** The same key for the same user is written once: the job that writes it may run twice. */
  dedupeKey: string
}

/** Tells each of `userIds` about something, once per dedupe key; returns how many were new. */
export async function notifyStaff(
  trx: Executor,
  userIds: readonly number[],
  n: NewStaffNotification,
): Promise<number> {
  const unique = [...new Set(userIds)]
  if (unique.length === 0) return 0
  const rows = await trx
    .insertInto('staffNotifications')
    .values(
      unique.map((userId) => ({
        userId,
        kind: n.kind,
        caseId: n.caseId,
        data: JSON.stringify(n.data),
        dedupeKey: n.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
    .returning('id')
    .execute()
  return rows.length
}

/** Active supervisors: who hears about SLA trouble. */
export async function supervisorIds(trx: Executor): Promise<number[]> {
  const rows = await trx
    .selectFrom('staffUsers')
    .select('id')
    .where('role', '=', 'supervisor')
    .where('active', '=', true)
    .execute()
  return rows.map((r) => r.id)
}

export type InboxService = ReturnType<typeof createInboxService>

export function createInboxService(db: Database) {
  return {
    /** The actor's notifications, newest first, with the number of unread ones. */
    async list(actor: Actor, query: InboxQuery): Promise<{ rows: StaffNotificationView[]; unread: number }> {
      let q = db
        .selectFrom('staffNotifications as n')
        .leftJoin('cases as c', 'c.id', 'n.caseId')
        .select([
          'n.id',
          'n.kind',
          'n.caseId',
          'c.number as caseNumber',
          'c.subject as caseSubject',
          'n.data',
          'n.createdAt',
          'n.readAt',
        ])
        .where('n.userId', '=', actor.id)
      if (query.unread) q = q.where('n.readAt', 'is', null)
      if (query.before) q = q.where('n.id', '<', query.before)
      const [rows, unread] = await Promise.all([
        q
          .orderBy('n.id', 'desc')
          .limit(query.limit ?? 50)
          .execute(),
        db
          .selectFrom('staffNotifications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('userId', '=', actor.id)
          .where('readAt', 'is', null)
          .executeTakeFirstOrThrow(),
      ])
      return {
        rows: rows.map((r) => ({
          ...r,
          kind: r.kind as StaffNotificationKind,
          data: r.data as Record<string, unknown>,
          createdAt: r.createdAt.toISOString(),
          readAt: r.readAt?.toISOString() ?? null,
        })),
        unread: Number(unread.n),
      }
    },

    /** Marks one of the actor's notifications read (again is harmless). */
    async markRead(actor: Actor, id: number): Promise<void> {
      const row = await db
        .updateTable('staffNotifications')
        .set({ readAt: sql`coalesce(read_at, now())` })
        .where('id', '=', id)
        .where('userId', '=', actor.id)
        .returning('id')
        .executeTakeFirst()
      if (!row)
        throw new DomainError('not_found', 'inbox_not_found', `notification ${id} not found`, {
          params: { id },
        })
    },

    /** Marks all the actor's notifications read; returns how many were unread. */
    async markAllRead(actor: Actor): Promise<number> {
      const rows = await db
        .updateTable('staffNotifications')
        .set({ readAt: sql`now()` })
        .where('userId', '=', actor.id)
        .where('readAt', 'is', null)
        .returning('id')
        .execute()
      return rows.length
    },
  }
}

/** Tells the assignee of a case, if any, that a message arrived on it (once per message). */
export async function notifyAssigneeOfMessage(
  trx: Executor,
  caseId: number,
  messageId: number,
): Promise<void> {
  const found = await trx
    .selectFrom('caseMessages as m')
    .innerJoin('cases as c', 'c.id', 'm.caseId')
    .select(['c.assigneeId', 'm.channel', 'm.subject'])
    .where('m.id', '=', messageId)
    .executeTakeFirst()
  if (!found?.assigneeId) return
  await notifyStaff(trx, [found.assigneeId], {
    kind: 'message_received',
    caseId,
    data: { messageId, channel: found.channel, subject: found.subject },
    dedupeKey: `message:${messageId}`,
  })
}
