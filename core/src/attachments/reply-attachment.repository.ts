import type { Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import './attachment.messages.ts'
import { MAX_REPLY_ATTACHMENT_BYTES, MAX_REPLY_ATTACHMENTS } from './attachment.schemas.ts'
import { BlobNotFoundError, type BlobStorage } from './storage.ts'

/** A file a reply sends, as the timeline records it and the sending job reads it. */
export interface ReplyAttachment {
  attachmentId: number
  filename: string
  size: number
  contentType: string
  sha256: string
}

/** What the timeline keeps of each file a reply sent: enough to name it, nothing to fetch it by. */
export const replyAttachmentSummary = (files: ReplyAttachment[]) =>
  files.map((f) => ({ attachmentId: f.attachmentId, filename: f.filename, size: f.size }))

const megabytes = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10

/** The reply a row belongs to: an email from a mailbox, or a reply by notification (its event). */
export type ReplyKey = { mailOutboundId: number } | { replyEventId: number }

/**
 * The attachments a reply on this case may send, in the order asked, checked in the
 * caller's transaction: each on this case and not removed, at most
 * MAX_REPLY_ATTACHMENTS, together at most MAX_REPLY_ATTACHMENT_BYTES. The case
 * itself was already checked (and locked) against the actor.
 */
export async function checkReplyAttachments(
  trx: Executor,
  caseId: number,
  ids: readonly number[] | undefined,
): Promise<ReplyAttachment[]> {
  const wanted = [...new Set(ids ?? [])]
  if (wanted.length === 0) return []
  if (wanted.length > MAX_REPLY_ATTACHMENTS) {
    throw new DomainError(
      'invalid',
      'reply_attachments_too_many',
      `more than ${MAX_REPLY_ATTACHMENTS} files`,
      {
        params: { max: MAX_REPLY_ATTACHMENTS, count: wanted.length },
      },
    )
  }
  const rows = await trx
    .selectFrom('attachments')
    .select(['id', 'caseId', 'filename', 'sizeBytes', 'contentType', 'sha256', 'deletedAt'])
    .where('id', 'in', wanted)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  const files: ReplyAttachment[] = []
  for (const id of wanted) {
    const row = byId.get(id)
    // Another case's file reads as missing: its existence is not this case's business.
    if (!row || row.caseId !== caseId) {
      throw new DomainError(
        'invalid',
        'reply_attachment_not_on_case',
        `attachment ${id} is not on case ${caseId}`,
        {
          params: { id },
        },
      )
    }
    if (row.deletedAt) {
      throw new DomainError('invalid', 'reply_attachment_removed', `attachment ${id} was removed`, {
        params: { id, filename: row.filename },
      })
    }
    files.push({
      attachmentId: row.id,
      filename: row.filename,
      size: Number(row.sizeBytes),
      contentType: row.contentType,
      sha256: row.sha256,
    })
  }
  const total = files.reduce((sum, f) => sum + f.size, 0)
  if (total > MAX_REPLY_ATTACHMENT_BYTES) {
    throw new DomainError('too_large', 'reply_attachments_too_large', `${total} bytes of attachments`, {
      params: { mb: megabytes(total), max: megabytes(MAX_REPLY_ATTACHMENT_BYTES) },
    })
  }
  return files
}

/** Stores the files with the reply, in the transaction that queues it. */
export async function linkReplyAttachments(
  trx: Executor,
  caseId: number,
  key: ReplyKey,
  files: ReplyAttachment[],
): Promise<void> {
  if (files.length === 0) return
  await trx
    .insertInto('replyAttachments')
    .values(
      files.map((f, position) => ({
        caseId,
        mailOutboundId: 'mailOutboundId' in key ? key.mailOutboundId : null,
        replyEventId: 'replyEventId' in key ? key.replyEventId : null,
        attachmentId: f.attachmentId,
        position,
      })),
    )
    .execute()
}

/**
 * The files stored with a reply, in their order. A file removed from the case after
 * the reply was queued is still sent: the operator chose it, and a retry must send
 * what the first attempt would have.
 */
export async function replyAttachmentsOf(db: Executor, key: ReplyKey): Promise<ReplyAttachment[]> {
  const rows = await db
    .selectFrom('replyAttachments as r')
    .innerJoin('attachments as a', 'a.id', 'r.attachmentId')
    .select(['a.id', 'a.filename', 'a.sizeBytes', 'a.contentType', 'a.sha256'])
    .where(
      'mailOutboundId' in key ? 'r.mailOutboundId' : 'r.replyEventId',
      '=',
      'mailOutboundId' in key ? key.mailOutboundId : key.replyEventId,
    )
    .orderBy('r.position')
    .execute()
  return rows.map((r) => ({
    attachmentId: r.id,
    filename: r.filename,
    size: Number(r.sizeBytes),
    contentType: r.contentType,
    sha256: r.sha256,
  }))
}

/** A stored blob a reply should carry is gone: sending can never succeed. */
export class ReplyAttachmentMissingError extends Error {
  constructor(readonly filename: string) {
    super(`the bytes of attachment "${filename}" are missing from the storage`)
    this.name = 'ReplyAttachmentMissingError'
  }
}

/**
 * Nodemailer attachments read from the storage. Read whole (the total is bounded by
 * MAX_REPLY_ATTACHMENT_BYTES) so that an SMTP failure leaves no open file behind and
 * a retry reads them afresh.
 */
export async function mailAttachments(storage: BlobStorage, files: ReplyAttachment[]) {
  const out: { filename: string; content: Buffer; contentType: string }[] = []
  for (const f of files) {
    try {
      const stream = await storage.get(f.sha256)
      const chunks: Buffer[] = []
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
      out.push({ filename: f.filename, content: Buffer.concat(chunks), contentType: f.contentType })
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw new ReplyAttachmentMissingError(f.filename)
      throw err
    }
  }
  return out
}
