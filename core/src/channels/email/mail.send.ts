import { sql } from 'kysely'
import nodemailer from 'nodemailer'
import {
  checkReplyAttachments,
  linkReplyAttachments,
  mailAttachments,
  ReplyAttachmentMissingError,
  replyAttachmentSummary,
  replyAttachmentsOf,
} from '../../attachments/reply-attachment.repository.ts'
import { LocalDiskStorage } from '../../attachments/storage.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import { insertEvent, lockCase } from '../../cases/case.repository.ts'
import type { Config } from '../../config.ts'
import type { Database, Executor } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Actor, Role } from '../../iam/iam.schemas.ts'
import { enqueue } from '../../outbox/outbox.repository.ts'
import { decryptSecret } from './mail.crypto.ts'
import './mail.messages.ts'
import { sanitiseEmailHtml } from './mail.parse.ts'
import { imapClient } from './mail.poll.ts'
import { signedMessageId } from './mail.sign.ts'
import { findMailbox, type MailboxRow } from './mailbox.repository.ts'
import type { CreateReplyBody, OUTBOUND_STATES, ReplyView } from './mailbox.schemas.ts'

const REPLIERS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']
const MAX_REFERENCES = 20

const caseNotFound = (id: number) =>
  new DomainError('not_found', 'case_not_found', `case ${id} not found`, { params: { id } })

/** "Re: " once, and the case number once: `Re: Buca in via Roma [PRA-2026-000123]`. */
export function replySubject(base: string, caseNumber: string): string {
  const stripped = base.replace(/^\s*((re|r|aw|fwd?|i)\s*:\s*)+/i, '').trim() || caseNumber
  const withNumber = stripped.includes(caseNumber) ? stripped : `${stripped} [${caseNumber}]`
  return `Re: ${withNumber}`.slice(0, 400)
}

/** The case's latest inbound email: where a reply goes, which mailbox sends it, and what it answers. */
async function lastInboundEmail(db: Executor, caseId: number) {
  return db
    .selectFrom('caseMessages as m')
    .innerJoin('mailHeaders as h', 'h.caseMessageId', 'm.id')
    .select([
      'm.id',
      'm.subject',
      'm.sender',
      'h.mailboxId',
      'h.messageId',
      'h.references',
      'h.certifiedSender',
    ])
    .where('m.caseId', '=', caseId)
    .where('m.direction', '=', 'in')
    .where('h.autoReply', '=', false)
    .orderBy('m.id', 'desc')
    .executeTakeFirst()
}

type OutboundRow = {
  id: number
  caseId: number
  caseMessageId: number
  mailboxId: number
  messageId: string
  toAddress: string
  subject: string
  inReplyTo: string | null
  references: string[]
  state: string
  pecState: string | null
  createdAt: Date
}

const toReplyView = (row: OutboundRow, attachments: ReplyView['attachments']): ReplyView => ({
  id: row.id,
  caseId: row.caseId,
  caseMessageId: row.caseMessageId,
  mailboxId: row.mailboxId,
  messageId: row.messageId,
  to: row.toAddress,
  subject: row.subject,
  inReplyTo: row.inReplyTo,
  references: row.references,
  state: row.state as (typeof OUTBOUND_STATES)[number],
  pecState: row.pecState,
  attachments,
  createdAt: row.createdAt.toISOString(),
})

const OUTBOUND_COLUMNS = [
  'id',
  'caseId',
  'caseMessageId',
  'mailboxId',
  'messageId',
  'toAddress',
  'subject',
  'inReplyTo',
  'references',
  'state',
  'pecState',
  'createdAt',
] as const

export type ReplyService = ReturnType<typeof createReplyService>

/**
 * Replies by email to the citizen of a case. Writing one stores the outbound
 * message on the case, chooses its signed Message-ID, and records the mail.send
 * job in the outbox, all in one transaction; the workers send it.
 */
export function createReplyService(db: Database, config: Pick<Config, 'mailSigningKey'>) {
  return {
    async create(actor: Actor, caseId: number, body: CreateReplyBody): Promise<ReplyView> {
      if (!REPLIERS.includes(actor.role)) {
        throw new DomainError('forbidden', 'reply_forbidden', `${actor.role} may not reply by email`)
      }
      return db.transaction().execute(async (trx) => {
        const kase = await lockCase(trx, actor, caseId)
        if (!kase) throw caseNotFound(caseId)
        const last = await lastInboundEmail(trx, caseId)
        const mailboxId = body.mailboxId ?? last?.mailboxId ?? null
        if (!mailboxId) throw new DomainError('invalid', 'reply_no_mailbox', 'no mailbox to reply from')
        const mailbox: MailboxRow | undefined = await findMailbox(trx, mailboxId)
        if (!mailbox) {
          throw new DomainError('invalid', 'mailbox_not_found', `mailbox ${mailboxId} not found`, {
            params: { id: mailboxId },
          })
        }
        if (!mailbox.enabled) {
          throw new DomainError('invalid', 'reply_mailbox_disabled', `mailbox ${mailboxId} is disabled`, {
            params: { id: mailboxId },
          })
        }
        const lastSender = (last?.sender as { email?: string } | null)?.email
        let to = body.to?.toLowerCase() ?? last?.certifiedSender ?? lastSender ?? null
        if (!to && kase.contactId) {
          const contact = await trx
            .selectFrom('contacts')
            .select('email')
            .where('id', '=', kase.contactId)
            .executeTakeFirst()
          to = contact?.email ?? null
        }
        if (!to) throw new DomainError('invalid', 'reply_no_recipient', 'no recipient address')
        const files = await checkReplyAttachments(trx, caseId, body.attachmentIds)
        const sent = replyAttachmentSummary(files)

        const domain = mailbox.address.split('@')[1] ?? 'filo.invalid'
        const messageId = signedMessageId(config.mailSigningKey, caseId, domain)
        const subject = replySubject(body.subject ?? last?.subject ?? kase.subject, kase.number)
        const inReplyTo = last?.messageId ?? null
        const references = last ? [...last.references, last.messageId].slice(-MAX_REFERENCES) : []
        const html = body.html ? sanitiseEmailHtml(body.html) : null

        const message = await trx
          .insertInto('caseMessages')
          .values({
            caseId,
            direction: 'out',
            channel: mailbox.isPec ? 'pec' : 'email',
            externalId: messageId,
            sender: JSON.stringify({ email: mailbox.address, staffUserId: actor.id }),
            subject: subject.slice(0, 300),
            bodyText: body.text,
            bodyHtml: html,
            attachments: JSON.stringify(
              files.map((f) => ({
                filename: f.filename,
                contentType: f.contentType,
                size: f.size,
                ref: `sha256:${f.sha256}`,
              })),
            ),
            receivedAt: sql`now()`,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('mailHeaders')
          .values({ caseMessageId: message.id, mailboxId: mailbox.id, messageId, inReplyTo, references })
          .execute()
        const row = await trx
          .insertInto('mailOutbound')
          .values({
            caseMessageId: message.id,
            caseId,
            mailboxId: mailbox.id,
            messageId,
            toAddress: to,
            subject,
            inReplyTo,
            references,
            createdBy: actor.id,
          })
          .returning(OUTBOUND_COLUMNS)
          .executeTakeFirstOrThrow()
        // With the queued reply, not in the job: a retry (or a re-enqueue after Redis was lost) sends these.
        await linkReplyAttachments(trx, caseId, { mailOutboundId: row.id }, files)
        await insertEvent(trx, {
          caseId,
          kind: 'reply_queued',
          actorId: actor.id,
          data: {
            outboundId: row.id,
            caseMessageId: message.id,
            to,
            subject,
            mailboxId: mailbox.id,
            ...(sent.length ? { attachments: sent } : {}),
          },
        })
        await recordAudit(trx, actor, {
          action: 'case.reply',
          entityType: 'case',
          entityId: caseId,
          after: {
            outboundId: row.id,
            to,
            subject,
            messageId,
            ...(sent.length ? { attachments: sent } : {}),
          },
        })
        await enqueue(trx, 'mail.send', { outboundId: row.id })
        return toReplyView(row, sent)
      })
    },
  }
}

/** Nodemailer transport for a mailbox's SMTP account; certificates are always verified. */
export function smtpTransport(mailbox: MailboxRow, credentialsKey: string) {
  const pass = mailbox.smtpPasswordEnc ? decryptSecret(credentialsKey, mailbox.smtpPasswordEnc) : undefined
  return nodemailer.createTransport({
    host: mailbox.smtpHost,
    port: mailbox.smtpPort,
    secure: mailbox.smtpSecurity === 'tls',
    requireTLS: mailbox.smtpSecurity === 'starttls',
    ignoreTLS: mailbox.smtpSecurity === 'none',
    ...(mailbox.smtpUser && pass ? { auth: { user: mailbox.smtpUser, pass } } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  })
}

/**
 * Whether the mailbox's Sent folder (IMAP special-use \Sent) holds a message with
 * this Message-ID: many providers file what their SMTP server accepted there. Any
 * failure to look counts as "not found", which keeps the message from being resent.
 */
export async function foundInSentFolder(
  mailbox: MailboxRow,
  credentialsKey: string,
  messageId: string,
): Promise<boolean> {
  const client = imapClient(mailbox, credentialsKey)
  client.on('error', () => {})
  try {
    await client.connect()
    const sent = (await client.list()).find((f) => f.specialUse === '\\Sent')
    if (!sent) return false
    const lock = await client.getMailboxLock(sent.path, { readOnly: true })
    try {
      const found = await client.search({ header: { 'message-id': messageId } }, { uid: true })
      return Array.isArray(found) && found.length > 0
    } finally {
      lock.release()
    }
  } catch {
    return false
  } finally {
    await client.logout().catch(() => client.close())
  }
}

export interface SendOptions {
  /** Test seam: runs once the SMTP server accepted the message, before that is recorded — where a crash hurts. */
  afterAccepted?: () => Promise<void>
}

const isPermanentSmtp = (err: unknown): boolean => {
  const code = (err as { responseCode?: number }).responseCode
  return typeof code === 'number' && code >= 500
}

/**
 * Sends one queued reply (the mail.send job), at most once. The attempt is
 * committed as `sending` before the SMTP conversation starts; the outcome is
 * written when it ends. A job that finds `sending` left behind by a worker that
 * died cannot know from the SMTP server whether it accepted the message: it
 * reconciles with the evidence there is (a PEC acceptance receipt, or the copy the
 * provider filed in the mailbox's Sent folder, found by its Message-ID) and
 * otherwise marks it `uncertain` on the timeline for a person to check — it never
 * sends it a second time. An SMTP refusal (5xx) fails it; anything else is retried.
 */
export async function sendOutbound(
  db: Database,
  trx: Executor,
  config: Pick<Config, 'mailCredentialsKey' | 'attachmentsDir'>,
  outboundId: number,
  opts: SendOptions = {},
): Promise<'sent' | 'already_done' | 'uncertain' | 'failed'> {
  const claimed = await db.transaction().execute(async (t) => {
    const row = await t
      .selectFrom('mailOutbound')
      .selectAll()
      .where('id', '=', outboundId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) {
      throw new DomainError(
        'not_found',
        'mail_outbound_not_found',
        `outbound message ${outboundId} not found`,
        {
          params: { id: outboundId },
        },
      )
    }
    if (row.state !== 'queued' && row.state !== 'sending') return { done: true as const }
    // Left behind by a worker that died mid-send: settled below, never sent again.
    if (row.state === 'sending') return { done: false as const, reconcile: true as const, row }
    await t
      .updateTable('mailOutbound')
      .set((eb) => ({
        state: 'sending',
        attempts: eb('attempts', '+', 1),
        attemptStartedAt: sql`now()`,
        updatedAt: sql`now()`,
      }))
      .where('id', '=', outboundId)
      .execute()
    return { done: false as const, reconcile: false as const, row }
  })
  if (claimed.done) return 'already_done'
  const row = claimed.row

  const mailbox = await findMailbox(db, row.mailboxId)
  if (!mailbox) throw new Error(`mailbox ${row.mailboxId} of outbound ${outboundId} is gone`)
  const files = await replyAttachmentsOf(db, { mailOutboundId: outboundId })
  const sentFiles = files.length ? { attachments: replyAttachmentSummary(files) } : {}
  if (claimed.reconcile) {
    // Proof that the server took it: a PEC acceptance receipt, or the copy the provider filed in Sent.
    const proven =
      (row.pecState !== null && row.pecState !== 'non-accettazione') ||
      (await foundInSentFolder(mailbox, config.mailCredentialsKey, row.messageId))
    const settled = await db
      .updateTable('mailOutbound')
      .set({
        state: proven ? 'sent' : 'uncertain',
        lastError: proven
          ? null
          : 'the worker stopped while sending and no copy proves it was sent: not sent again',
        updatedAt: sql`now()`,
      })
      .where('id', '=', outboundId)
      .where('state', '=', 'sending')
      .executeTakeFirst()
    if (Number(settled.numUpdatedRows) > 0) {
      await insertEvent(trx, {
        caseId: row.caseId,
        kind: proven ? 'reply_sent' : 'reply_delivery_uncertain',
        actorId: null,
        data: { outboundId, messageId: row.messageId, to: row.toAddress, reconciled: true, ...sentFiles },
        dedupeKey: `mail_outbound:${outboundId}:settled`,
      })
    }
    return proven ? 'sent' : 'uncertain'
  }
  const message = await db
    .selectFrom('caseMessages as m')
    .innerJoin('cases as c', 'c.id', 'm.caseId')
    .select(['m.bodyText', 'm.bodyHtml', 'c.number'])
    .where('m.id', '=', row.caseMessageId)
    .executeTakeFirstOrThrow()

  const transport = smtpTransport(mailbox, config.mailCredentialsKey)
  let info: { response?: string }
  try {
    // Read from the storage on every attempt: the same rows, the same content-addressed bytes.
    const attachments = await mailAttachments(new LocalDiskStorage(config.attachmentsDir), files)
    info = await transport.sendMail({
      from: { name: mailbox.name, address: mailbox.address },
      to: row.toAddress,
      subject: row.subject,
      text: message.bodyText,
      ...(message.bodyHtml ? { html: message.bodyHtml } : {}),
      messageId: row.messageId,
      ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
      ...(row.references.length ? { references: row.references } : {}),
      headers: { 'X-Filo-Case': message.number },
      ...(attachments.length ? { attachments } : {}),
    })
  } catch (err) {
    // The server did not accept it: nothing was sent, so trying again is safe.
    // A file gone from the storage will not come back: that fails it like a refusal.
    const permanent = isPermanentSmtp(err) || err instanceof ReplyAttachmentMissingError
    const error = String((err as Error).message).slice(0, 2000)
    await db
      .updateTable('mailOutbound')
      .set({ state: permanent ? 'failed' : 'queued', lastError: error, updatedAt: sql`now()` })
      .where('id', '=', outboundId)
      .execute()
    if (!permanent) throw err
    await insertEvent(trx, {
      caseId: row.caseId,
      kind: 'reply_failed',
      actorId: null,
      data: { outboundId, messageId: row.messageId, to: row.toAddress, error },
      dedupeKey: `mail_outbound:${outboundId}:settled`,
    })
    return 'failed'
  } finally {
    transport.close()
  }
  await opts.afterAccepted?.()
  // Committed at once, outside the job's transaction: the send is a fact even if that transaction fails.
  await db
    .updateTable('mailOutbound')
    .set({
      state: sql<string>`case when state = 'sending' then 'sent' else state end`,
      sentAt: sql`now()`,
      smtpResponse: (info.response ?? '').slice(0, 1000) || null,
      lastError: null,
      updatedAt: sql`now()`,
    })
    .where('id', '=', outboundId)
    .execute()
  await insertEvent(trx, {
    caseId: row.caseId,
    kind: 'reply_sent',
    actorId: null,
    data: {
      outboundId,
      messageId: row.messageId,
      to: row.toAddress,
      smtpResponse: info.response ?? null,
      ...sentFiles,
    },
    dedupeKey: `mail_outbound:${outboundId}:settled`,
  })
  return 'sent'
}
