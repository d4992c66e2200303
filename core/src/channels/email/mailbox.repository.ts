import type { Selectable } from 'kysely'
import type { Executor } from '../../db/db.ts'
import type { Mailboxes } from '../../db/schema.gen.ts'
import type { MailboxView, MailSecurity } from './mailbox.schemas.ts'

export type MailboxRow = Selectable<Mailboxes>

export async function findMailbox(db: Executor, id: number, lock = false): Promise<MailboxRow | undefined> {
  let q = db.selectFrom('mailboxes').selectAll().where('id', '=', id)
  if (lock) q = q.forUpdate()
  return q.executeTakeFirst()
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toMailboxView(row: MailboxRow): MailboxView {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    isPec: row.isPec,
    enabled: row.enabled,
    imap: {
      host: row.imapHost,
      port: row.imapPort,
      security: row.imapSecurity as MailSecurity,
      user: row.imapUser,
      hasPassword: row.imapPasswordEnc.length > 0,
    },
    folder: row.folder,
    afterImport: row.afterImport as 'flag' | 'move',
    moveTo: row.moveTo,
    smtp: {
      host: row.smtpHost,
      port: row.smtpPort,
      security: row.smtpSecurity as MailSecurity,
      user: row.smtpUser,
      hasPassword: !!row.smtpPasswordEnc,
    },
    pollIntervalSeconds: row.pollIntervalSeconds,
    status: {
      uidValidity: row.uidValidity,
      lastUid: row.lastUid,
      lastPolledAt: iso(row.lastPolledAt),
      lastSuccessAt: iso(row.lastSuccessAt),
      lastError: row.lastError,
      lastErrorAt: iso(row.lastErrorAt),
      consecutiveFailures: row.consecutiveFailures,
      nextPollAt: iso(row.nextPollAt),
    },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The enabled mailboxes and how often each is polled: what the workers schedule. */
export async function listEnabledMailboxes(
  db: Executor,
): Promise<{ id: number; pollIntervalSeconds: number }[]> {
  return db
    .selectFrom('mailboxes')
    .select(['id', 'pollIntervalSeconds'])
    .where('enabled', '=', true)
    .orderBy('id')
    .execute()
}
