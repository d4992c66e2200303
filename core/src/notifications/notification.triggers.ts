import type { Executor } from '../db/db.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import type { NotificationTrigger } from './notification.schemas.ts'

/** Statuses from which reaching in_progress means the case was taken in charge (not resumed after the citizen answered). */
const NOT_YET_TAKEN = ['new', 'open', 'assigned']

/** The notification a timeline event owes the citizen, if any. */
export function triggerOf(kind: string, data: Record<string, unknown>): NotificationTrigger | null {
  if (kind === 'created') return 'received'
  if (kind === 'reopened') return 'reopened'
  if (kind !== 'status_changed') return null
  switch (data.to) {
    case 'in_progress':
      return NOT_YET_TAKEN.includes(String(data.from)) ? 'taken_in_charge' : null
    case 'waiting_citizen':
      return 'waiting_citizen'
    case 'resolved':
      return 'resolved'
    case 'closed':
      return 'closed'
    default:
      return null
  }
}

/**
 * Called by insertEvent for every timeline event, in its transaction: an event the
 * citizen must hear about becomes a pending notification. The first pending one
 * of a burst starts the case's digest timer (notification.schedule), so a burst of
 * changes within NOTIFICATION_DIGEST_SECONDS goes out as one message.
 */
export async function recordNotifiable(
  trx: Executor,
  event: { id: number; caseId: number; kind: string; data: Record<string, unknown> },
): Promise<void> {
  const trigger = triggerOf(event.kind, event.data)
  if (!trigger) return
  const kase = await trx
    .selectFrom('cases')
    .select(['contactId'])
    .where('id', '=', event.caseId)
    .executeTakeFirst()
  // Nobody to tell: a case without a contact (the status page still shows it).
  if (!kase?.contactId) return
  const open = await trx
    .selectFrom('notificationPending')
    .select('id')
    .where('caseId', '=', event.caseId)
    .where('digestedAt', 'is', null)
    .limit(1)
    .executeTakeFirst()
  const comment = typeof event.data.comment === 'string' ? event.data.comment : undefined
  await trx
    .insertInto('notificationPending')
    .values({
      caseId: event.caseId,
      eventId: event.id,
      trigger,
      data: JSON.stringify({ ...(comment ? { comment } : {}), from: event.data.from, to: event.data.to }),
    })
    .onConflict((oc) => oc.column('eventId').doNothing())
    .execute()
  if (!open) await enqueue(trx, 'notification.schedule', { caseId: event.caseId })
}
