import { sql } from 'kysely'
import type { BlobStorage } from '../../attachments/storage.ts'
import { insertEvent } from '../../cases/case.repository.ts'
import type { Config } from '../../config.ts'
import type { Database, Executor } from '../../db/db.ts'
import { INBOUND_LIMITS, type InboundAttachment, type InboundMessage } from '../../ingest/inbound.schemas.ts'
import { ingest } from '../../ingest/ingest.service.ts'
import {
  isAutoReply,
  type MailContent,
  messageIdsIn,
  parseDeliveryReport,
  parseMailContent,
  topHeaders,
} from './mail.parse.ts'
import { splitQuotedReply } from './mail.quote.ts'
import { findThread } from './mail.threading.ts'
import type { MailboxRow } from './mailbox.repository.ts'
import { type Daticert, pecKindOf, pecParts } from './pec.ts'

/** What the email channel needs from the process: the database, where blobs go, and its settings. */
export interface MailChannelContext {
  db: Database
  storage: BlobStorage
  config: Pick<
    Config,
    | 'caseNumberPrefix'
    | 'mailSigningKey'
    | 'mailCredentialsKey'
    | 'mailMaxMessageBytes'
    | 'mailSenderMaxPerHour'
    | 'attachmentMaxBytes'
  > & { closedCasePolicy?: 'reopen' | 'follow_up' }
}

/** One message as the poller found it in the folder. */
export interface FetchedMessage {
  uidValidity: number
  uid: number
  size: number
  /** The whole message; absent when it is over the size limit. */
  raw?: Buffer
  /** The header block, enough to say who sent an oversized message and where it belongs. */
  headerBytes?: Buffer
}

/**
 * What importing one message did: an ingest outcome (created, threaded,
 * follow_up, duplicate) or one of the channel's own (auto_reply_ignored,
 * own_message, bounce, pec_receipt, unmatched_report, rate_limited, refused_too_large).
 */
export interface ImportOutcome {
  outcome: string
  caseId: number | null
  caseMessageId: number | null
  messageId: string | null
  sender: string | null
  rawRef: string | null
  note?: string
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MiB = 1024 * 1024
/** A size as people read it: "40 KB", "31,5 MB". */
const humanSize = (bytes: number) =>
  bytes < MiB
    ? `${Math.round(bytes / 1024)} KB`
    : `${(Math.round((bytes / MiB) * 10) / 10).toLocaleString('it-IT')} MB`
const clip = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value)

/** Keeps the raw message as received (legal value for PEC): content-addressed, so storing it twice is harmless. */
async function keepRaw(ctx: MailChannelContext, raw: Buffer): Promise<string> {
  const blob = await ctx.storage.put(raw)
  return `sha256:${blob.sha256}`
}

async function storeAttachments(
  ctx: MailChannelContext,
  content: MailContent,
): Promise<{ attachments: InboundAttachment[]; skipped: string[] }> {
  const attachments: InboundAttachment[] = []
  const skipped: string[] = []
  for (const a of content.attachments) {
    if (
      attachments.length >= INBOUND_LIMITS.attachments ||
      a.content.length > ctx.config.attachmentMaxBytes
    ) {
      skipped.push(a.filename)
      continue
    }
    const blob = await ctx.storage.put(a.content)
    attachments.push({
      filename: clip(a.filename, 255),
      contentType: clip(a.contentType, 255),
      size: blob.size,
      ref: a.contentId ? `sha256:${blob.sha256}#cid=${clip(a.contentId, 200)}` : `sha256:${blob.sha256}`,
    })
  }
  return { attachments, skipped }
}

/** Our outbound message a report (bounce, PEC receipt) refers to. */
async function findOutbound(db: Executor, messageId: string | null) {
  if (!messageId) return undefined
  return db
    .selectFrom('mailOutbound')
    .select(['id', 'caseId', 'toAddress', 'state'])
    .where('messageId', '=', messageId)
    .executeTakeFirst()
}

async function recentFromSender(db: Executor, sender: string): Promise<number> {
  const row = await db
    .selectFrom('mailImports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sender', '=', sender)
    .where('outcome', 'in', ['created', 'threaded', 'follow_up', 'refused_too_large'])
    .where('importedAt', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A delivery status notification: the outbound message it names is marked bounced, and its case says so. */
async function handleBounce(
  ctx: MailChannelContext,
  raw: Buffer,
  base: Omit<ImportOutcome, 'outcome' | 'caseId' | 'caseMessageId'>,
): Promise<ImportOutcome | null> {
  const report = parseDeliveryReport(raw)
  if (!report) return null
  // A DSN that only says "delayed" or "delivered" is no failure.
  if (report.action && !['failed'].includes(report.action)) {
    return {
      ...base,
      outcome: 'unmatched_report',
      caseId: null,
      caseMessageId: null,
      note: `dsn ${report.action}`,
    }
  }
  const outbound = await findOutbound(ctx.db, report.originalMessageId)
  if (!outbound) {
    return {
      ...base,
      outcome: 'unmatched_report',
      caseId: null,
      caseMessageId: null,
      note: 'bounce of an unknown message',
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('mailOutbound')
      .set({
        state: 'bounced',
        lastError: clip(report.diagnostic ?? report.status ?? 'bounced', 2000),
        updatedAt: sql`now()`,
      })
      .where('id', '=', outbound.id)
      .execute()
    await insertEvent(trx, {
      caseId: outbound.caseId,
      kind: 'delivery_failed',
      actorId: null,
      data: {
        outboundId: outbound.id,
        messageId: report.originalMessageId,
        recipient: report.recipient ?? outbound.toAddress,
        status: report.status,
        diagnostic: report.diagnostic,
        rawRef: base.rawRef,
      },
      dedupeKey: `bounce:${base.messageId ?? base.rawRef}`,
    })
  })
  return { ...base, outcome: 'bounce', caseId: outbound.caseId, caseMessageId: null }
}

/** A PEC receipt about a message we sent: on that message's case timeline, and its PEC state updated. */
async function handlePecReceipt(
  ctx: MailChannelContext,
  raw: Buffer,
  receipt: string,
  headers: Map<string, string>,
  base: Omit<ImportOutcome, 'outcome' | 'caseId' | 'caseMessageId'>,
): Promise<ImportOutcome> {
  const { daticert } = pecParts(raw)
  const referenced = messageIdsIn(headers.get('x-riferimento-message-id'))[0] ?? daticert?.msgid ?? null
  const outbound = await findOutbound(ctx.db, referenced)
  if (!outbound) {
    return {
      ...base,
      outcome: 'unmatched_report',
      caseId: null,
      caseMessageId: null,
      note: `pec ${receipt} of an unknown message`,
    }
  }
  const failed = [
    'non-accettazione',
    'errore-consegna',
    'preavviso-errore-consegna',
    'rilevazione-virus',
  ].includes(receipt)
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('mailOutbound')
      .set({
        pecState: clip(receipt, 40),
        // An accepted PEC was certainly sent, whatever a crashed worker left behind.
        ...(receipt === 'accettazione'
          ? { state: sql<string>`case when state in ('sending', 'uncertain') then 'sent' else state end` }
          : {}),
        updatedAt: sql`now()`,
      })
      .where('id', '=', outbound.id)
      .execute()
    await insertEvent(trx, {
      caseId: outbound.caseId,
      kind: 'pec_receipt',
      actorId: null,
      data: {
        outboundId: outbound.id,
        receipt,
        failed,
        messageId: referenced,
        recipient: daticert?.consegna ?? daticert?.destinatari[0] ?? null,
        error: daticert?.errore && daticert.errore !== 'nessuno' ? daticert.errore : null,
        errorDetail: daticert?.erroreEsteso ?? null,
        provider: daticert?.identificativo ?? null,
        rawRef: base.rawRef,
      },
      dedupeKey: `pec_receipt:${base.messageId ?? base.rawRef}`,
    })
  })
  return { ...base, outcome: 'pec_receipt', caseId: outbound.caseId, caseMessageId: null }
}

/** Writes the email headers of a stored message (idempotent: a redelivery finds them there). */
async function recordHeaders(
  db: Executor,
  caseMessageId: number,
  mailbox: MailboxRow,
  content: MailContent,
  messageId: string,
  extra: { autoReply: boolean; certifiedSender?: string | null; pecTransport?: string | null },
): Promise<void> {
  await db
    .insertInto('mailHeaders')
    .values({
      caseMessageId,
      mailboxId: mailbox.id,
      messageId,
      inReplyTo: content.inReplyTo,
      references: content.references.slice(-50),
      autoReply: extra.autoReply,
      certifiedSender: extra.certifiedSender ?? null,
      pecTransport: extra.pecTransport ?? null,
    })
    .onConflict((oc) => oc.column('caseMessageId').doNothing())
    .execute()
}

/**
 * Imports one message of a mailbox: keeps the raw bytes, unwraps PEC envelopes,
 * turns bounces and PEC receipts into events on the case of the message they are
 * about, recognises automatic replies, applies the per-sender rate limit, finds
 * the thread and hands the rest to ingest. Safe to run twice for one message.
 */
export async function importMessage(
  ctx: MailChannelContext,
  mailbox: MailboxRow,
  fetched: FetchedMessage,
): Promise<ImportOutcome> {
  const source = fetched.raw ?? fetched.headerBytes ?? Buffer.alloc(0)
  const headers = topHeaders(source)
  const envelopeId = messageIdsIn(headers.get('message-id'))[0] ?? null
  const rawRef = fetched.raw ? await keepRaw(ctx, fetched.raw) : null
  const pec = pecKindOf(headers)

  let content = await parseMailContent(source)
  let certified: Daticert | null = null
  const base = { messageId: envelopeId, sender: content.from?.address ?? null, rawRef }

  if (fetched.raw && pec.kind === 'receipt') {
    return handlePecReceipt(ctx, fetched.raw, pec.receipt, headers, base)
  }
  if (fetched.raw) {
    const bounce = await handleBounce(ctx, fetched.raw, base)
    if (bounce) return bounce
  }
  if (fetched.raw && pec.kind === 'envelope') {
    const parts = pecParts(fetched.raw)
    certified = parts.daticert
    // The citizen's message is the original inside; the envelope stays as received (rawRef).
    if (parts.original) content = await parseMailContent(parts.original)
  }

  const senderEmail = (certified?.mittente ?? content.from?.address ?? '').toLowerCase()
  const sender = EMAIL.test(senderEmail) ? senderEmail : null
  const result = { ...base, sender }
  if (sender && sender === mailbox.address.toLowerCase()) {
    // Our own mail coming back (a copy, a loop): never a citizen's message.
    return { ...result, outcome: 'own_message', caseId: null, caseMessageId: null }
  }

  const autoReply = isAutoReply(headers, content.subject)
  const thread = await findThread(
    ctx.db,
    {
      inReplyTo: content.inReplyTo,
      references: content.references,
      subject: content.subject,
      senderEmail: sender,
    },
    { signingKey: ctx.config.mailSigningKey, caseNumberPrefix: ctx.config.caseNumberPrefix },
  )
  if (autoReply && !thread) {
    // An out-of-office about nothing of ours: recorded here, no case for it.
    return { ...result, outcome: 'auto_reply_ignored', caseId: null, caseMessageId: null }
  }
  if (sender && !autoReply && (await recentFromSender(ctx.db, sender)) >= ctx.config.mailSenderMaxPerHour) {
    return {
      ...result,
      outcome: 'rate_limited',
      caseId: null,
      caseMessageId: null,
      note: `more than ${ctx.config.mailSenderMaxPerHour} messages from ${sender} in an hour`,
    }
  }

  const notes: string[] = []
  let attachments: InboundAttachment[] = []
  let text = content.text
  let outcomeOverride: string | null = null
  if (!fetched.raw) {
    outcomeOverride = 'refused_too_large'
    text = `Messaggio di ${humanSize(fetched.size)} non importato: supera il limite di ${humanSize(ctx.config.mailMaxMessageBytes)}. Chiedere al mittente di inviarlo diviso o con allegati più piccoli; l'originale resta nella casella ${mailbox.name}.`
  } else {
    // Only a reply onto a case already holds the history it quotes; a first message may
    // forward something the case needs. The full text stays in the raw message (rawRef) and the HTML.
    if (thread) text = splitQuotedReply(text).reply
    const stored = await storeAttachments(ctx, content)
    attachments = stored.attachments
    if (stored.skipped.length)
      notes.push(`Allegati non importati (troppi o troppo grandi): ${stored.skipped.join(', ')}.`)
  }
  if (text.length > INBOUND_LIMITS.text) {
    text = text.slice(0, INBOUND_LIMITS.text - 200)
    notes.push('Testo troncato: il messaggio completo è nell’originale conservato.')
  }
  if (notes.length) text = `${text}\n\n[Filo] ${notes.join(' ')}`.slice(0, INBOUND_LIMITS.text)

  // Without a Message-ID the message's place in the folder identifies it.
  const externalId = envelopeId ?? `<uid-${fetched.uid}.${fetched.uidValidity}.${mailbox.id}@filo.invalid>`
  const name = content.from?.name?.trim()
  const inbound: InboundMessage = {
    channel: mailbox.isPec ? 'pec' : 'email',
    externalId: clip(externalId, INBOUND_LIMITS.externalId),
    sender: { ...(sender ? { email: sender } : {}), ...(name ? { name: clip(name, 200) } : {}) },
    subject: clip(content.subject || '(senza oggetto)', INBOUND_LIMITS.subject),
    text,
    ...(content.html && fetched.raw ? { html: content.html } : {}),
    attachments,
    receivedAt: (content.date && !Number.isNaN(content.date.getTime())
      ? content.date
      : new Date()
    ).toISOString(),
    ...(rawRef ? { rawRef } : {}),
    ...(thread ? { threadCaseId: thread.caseId } : {}),
    ...(autoReply ? { autoReply: true } : {}),
  }
  const ingested = await ingest(ctx.db, inbound, {
    caseNumberPrefix: ctx.config.caseNumberPrefix,
    ...(ctx.config.closedCasePolicy ? { closedCasePolicy: ctx.config.closedCasePolicy } : {}),
  })
  await recordHeaders(ctx.db, ingested.messageId, mailbox, content, content.messageId ?? externalId, {
    autoReply,
    certifiedSender: certified?.mittente ?? null,
    pecTransport: pec.kind === 'envelope' ? pec.transport : null,
  })
  return {
    ...result,
    outcome: outcomeOverride ?? ingested.outcome,
    caseId: ingested.caseId,
    caseMessageId: ingested.messageId,
    ...(thread ? { note: `threaded by ${thread.by}` } : {}),
  }
}
