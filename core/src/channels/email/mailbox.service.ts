import { sql } from 'kysely'
import { requireRole } from '../../admin/admin.common.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import type { Database } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Actor, Role } from '../../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../../list.ts'
import { asList } from '../../list.ts'
import { encryptSecret } from './mail.crypto.ts'
import './mail.messages.ts'
import { findMailbox, type MailboxRow, toMailboxView } from './mailbox.repository.ts'
import type {
  CreateMailboxBody,
  MAIL_IMPORT_SORTS,
  MAILBOX_SORTS,
  MailboxFilter,
  MailboxView,
  MailImportFilter,
  MailImportView,
  UpdateMailboxBody,
} from './mailbox.schemas.ts'

const ADMINS: readonly Role[] = ['admin']

const notFound = (id: number) =>
  new DomainError('not_found', 'mailbox_not_found', `mailbox ${id} not found`, { params: { id } })

/** A mailbox that moves imported messages needs a folder to move them to. */
function checkMoveTo(afterImport: string, moveTo: string | null): void {
  if (afterImport === 'move' && !moveTo) {
    throw new DomainError(
      'invalid',
      'mailbox_move_to_required',
      'moveTo is required when afterImport is move',
      {
        details: [{ path: '/moveTo', code: 'mailbox_move_to_required' }],
      },
    )
  }
}

async function uniqueName<T>(run: () => Promise<T>, name: string): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const e = err as { code?: string; constraint?: string }
    if (e.code === '23505' && e.constraint === 'mailboxes_name_key') {
      throw new DomainError('conflict', 'mailbox_name_taken', `a mailbox named ${name} exists`, {
        params: { name },
      })
    }
    throw err
  }
}

export type MailboxService = ReturnType<typeof createMailboxService>

/**
 * Mailboxes (admins only): IMAP to read from, SMTP to reply through. Passwords go
 * in encrypted and never come out; every change is audited, without them.
 */
export function createMailboxService(db: Database, opts: { credentialsKey: string }) {
  const seal = (password: string) => encryptSecret(opts.credentialsKey, password)

  return {
    async list(
      actor: Actor,
      query: ListQuery<MailboxFilter, (typeof MAILBOX_SORTS)[number]>,
    ): Promise<ListResult<MailboxView>> {
      requireRole(actor, ADMINS, 'read mailboxes')
      let q = db.selectFrom('mailboxes')
      if (query.filter.enabled !== undefined) q = q.where('enabled', '=', query.filter.enabled)
      if (query.filter.isPec !== undefined) q = q.where('isPec', '=', query.filter.isPec)
      const [rows, count] = await Promise.all([
        q
          .selectAll()
          .orderBy(query.sort, query.order)
          .orderBy('id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(toMailboxView), total: Number(count.n), exact: true }
    },

    async get(actor: Actor, id: number): Promise<MailboxView> {
      requireRole(actor, ADMINS, 'read mailboxes')
      const row = await findMailbox(db, id)
      if (!row) throw notFound(id)
      return toMailboxView(row)
    },

    /**
     * What the polls did with a mailbox's messages, newest first by default: where
     * each went, or why it was set aside (rate limited, too large, an auto-reply about nothing).
     */
    async imports(
      actor: Actor,
      id: number,
      query: ListQuery<MailImportFilter, (typeof MAIL_IMPORT_SORTS)[number]>,
    ): Promise<ListResult<MailImportView>> {
      requireRole(actor, ADMINS, 'read mailboxes')
      if (!(await findMailbox(db, id))) throw notFound(id)
      let q = db.selectFrom('mailImports').where('mailboxId', '=', id)
      if (query.filter.outcome !== undefined) q = q.where('outcome', 'in', asList(query.filter.outcome))
      if (query.filter.sender) q = q.where('sender', '=', query.filter.sender.toLowerCase())
      const [rows, count] = await Promise.all([
        q
          .select(['uidValidity', 'uid', 'messageId', 'outcome', 'caseId', 'sender', 'note', 'importedAt'])
          .orderBy(query.sort, query.order)
          .orderBy('uid', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return {
        rows: rows.map((r) => ({ ...r, importedAt: r.importedAt.toISOString() })),
        total: Number(count.n),
        exact: true,
      }
    },

    async create(actor: Actor, input: CreateMailboxBody): Promise<MailboxView> {
      requireRole(actor, ADMINS, 'create mailboxes')
      const afterImport = input.afterImport ?? 'flag'
      const moveTo = input.moveTo ?? null
      checkMoveTo(afterImport, moveTo)
      return db.transaction().execute(async (trx) => {
        const row = await uniqueName(
          () =>
            trx
              .insertInto('mailboxes')
              .values({
                name: input.name.trim(),
                address: input.address.toLowerCase(),
                isPec: input.isPec ?? false,
                enabled: input.enabled ?? true,
                imapHost: input.imap.host,
                imapPort: input.imap.port,
                imapSecurity: input.imap.security,
                imapUser: input.imap.user,
                imapPasswordEnc: seal(input.imap.password),
                folder: input.folder ?? 'INBOX',
                afterImport,
                moveTo,
                smtpHost: input.smtp.host,
                smtpPort: input.smtp.port,
                smtpSecurity: input.smtp.security,
                smtpUser: input.smtp.user ?? null,
                smtpPasswordEnc: input.smtp.password ? seal(input.smtp.password) : null,
                pollIntervalSeconds: input.pollIntervalSeconds ?? 60,
              })
              .returningAll()
              .executeTakeFirstOrThrow(),
          input.name,
        )
        const after = toMailboxView(row)
        await recordAudit(trx, actor, {
          action: 'mailbox.create',
          entityType: 'mailbox',
          entityId: row.id,
          after,
        })
        return after
      })
    },

    async update(actor: Actor, id: number, input: UpdateMailboxBody): Promise<MailboxView> {
      requireRole(actor, ADMINS, 'change mailboxes')
      const { version, imap, smtp, ...fields } = input
      if (version === undefined) {
        throw new DomainError(
          'invalid',
          'admin_version_required',
          'send the version you read (body.version or If-Match)',
        )
      }
      return db.transaction().execute(async (trx) => {
        const current: MailboxRow | undefined = await findMailbox(trx, id, true)
        if (!current) throw notFound(id)
        const before = toMailboxView(current)
        if (current.version !== version) {
          throw new DomainError(
            'conflict',
            'mailbox_version_conflict',
            `mailbox ${id} is at version ${current.version}`,
            {
              params: { version: current.version },
              details: { current: before },
            },
          )
        }
        const afterImport = fields.afterImport ?? current.afterImport
        const moveTo = fields.moveTo === undefined ? current.moveTo : fields.moveTo
        checkMoveTo(afterImport, moveTo)
        const imapChanged = imap && Object.values(imap).some((v) => v !== undefined)
        const row = await uniqueName(
          () =>
            trx
              .updateTable('mailboxes')
              .set({
                ...(fields.name !== undefined ? { name: fields.name.trim() } : {}),
                ...(fields.address !== undefined ? { address: fields.address.toLowerCase() } : {}),
                ...(fields.isPec !== undefined ? { isPec: fields.isPec } : {}),
                ...(fields.enabled !== undefined ? { enabled: fields.enabled } : {}),
                ...(fields.folder !== undefined ? { folder: fields.folder } : {}),
                ...(fields.pollIntervalSeconds !== undefined
                  ? { pollIntervalSeconds: fields.pollIntervalSeconds }
                  : {}),
                afterImport,
                moveTo,
                ...(imap?.host !== undefined ? { imapHost: imap.host } : {}),
                ...(imap?.port !== undefined ? { imapPort: imap.port } : {}),
                ...(imap?.security !== undefined ? { imapSecurity: imap.security } : {}),
                ...(imap?.user !== undefined ? { imapUser: imap.user } : {}),
                ...(imap?.password !== undefined ? { imapPasswordEnc: seal(imap.password) } : {}),
                ...(smtp?.host !== undefined ? { smtpHost: smtp.host } : {}),
                ...(smtp?.port !== undefined ? { smtpPort: smtp.port } : {}),
                ...(smtp?.security !== undefined ? { smtpSecurity: smtp.security } : {}),
                ...(smtp?.user !== undefined ? { smtpUser: smtp.user } : {}),
                ...(smtp?.password !== undefined
                  ? { smtpPasswordEnc: smtp.password ? seal(smtp.password) : null }
                  : {}),
                // New credentials or a new server deserve a poll now, not after the old backoff.
                ...(imapChanged || fields.folder !== undefined || fields.enabled === true
                  ? { nextPollAt: null, consecutiveFailures: 0 }
                  : {}),
                version: current.version + 1,
                updatedAt: sql`now()`,
              })
              .where('id', '=', id)
              .returningAll()
              .executeTakeFirstOrThrow(),
          fields.name ?? current.name,
        )
        const after = toMailboxView(row)
        await recordAudit(trx, actor, {
          action: 'mailbox.update',
          entityType: 'mailbox',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },
  }
}
