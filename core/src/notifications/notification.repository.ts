import type { Selectable } from 'kysely'
import type { Executor } from '../db/db.ts'
import type { Notifications } from '../db/schema.gen.ts'
import type { NotificationView } from './notification.schemas.ts'

export type NotificationRow = Selectable<Notifications>

export function toNotificationView(row: NotificationRow & { caseNumber: string }): NotificationView {
  return {
    id: row.id,
    caseId: row.caseId,
    caseNumber: row.caseNumber,
    eventId: row.eventId,
    channel: row.channel as NotificationView['channel'],
    triggers: row.triggers,
    language: row.language,
    recipient: row.recipient,
    subject: row.subject,
    state: row.state as NotificationView['state'],
    attempts: row.attempts,
    lastError: row.lastError,
    providerId: row.providerId,
    ioStatus: row.ioStatus as NotificationView['ioStatus'],
    choice: (row.choice ?? {}) as Record<string, unknown>,
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function findNotification(db: Executor, id: number) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('cases as c', 'c.id', 'n.caseId')
    .selectAll('n')
    .select('c.number as caseNumber')
    .where('n.id', '=', id)
    .executeTakeFirst()
}

/** The IO profile answer still fresh enough to trust, if any. */
export async function cachedIoProfile(db: Executor, fiscalCode: string, maxAgeSeconds: number) {
  return db
    .selectFrom('ioProfiles')
    .select(['httpStatus', 'senderAllowed', 'checkedAt'])
    .where('fiscalCode', '=', fiscalCode)
    .where('checkedAt', '>', new Date(Date.now() - maxAgeSeconds * 1000))
    .executeTakeFirst()
}

export async function storeIoProfile(
  db: Executor,
  fiscalCode: string,
  httpStatus: number,
  senderAllowed: boolean,
): Promise<void> {
  await db
    .insertInto('ioProfiles')
    .values({ fiscalCode, httpStatus, senderAllowed, checkedAt: new Date() })
    .onConflict((oc) =>
      oc.column('fiscalCode').doUpdateSet({ httpStatus, senderAllowed, checkedAt: new Date() }),
    )
    .execute()
}
