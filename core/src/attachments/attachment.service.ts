import type { Readable } from 'node:stream'
import { fileTypeFromStream } from 'file-type/node'
import { recordAudit } from '../audit/audit.repository.ts'
import { findCase, insertEvent } from '../cases/case.repository.ts'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import { extensionOf, sanitiseFilename } from './attachment.filename.ts'
import {
  findAttachment,
  insertAttachment,
  listAttachments,
  markDeleted,
  type NewAttachment,
} from './attachment.repository.ts'
import { type AttachmentView, MAX_FILES_PER_UPLOAD, SNIFFED_TYPES, TEXT_TYPES } from './attachment.schemas.ts'
import { type BlobStorage, BlobTooLargeError, type StagedBlob } from './storage.ts'

export type AttachmentService = ReturnType<typeof createAttachmentService>

/**
 * One file of an upload, as it arrives. The shape is the one @fastify/multipart
 * yields, so the route hands its parts over as they are.
 */
export interface IncomingFile {
  /** As the client named it; sanitised before it is stored. */
  filename: string
  /** As the client declared it; recorded, never trusted. */
  mimetype: string
  file: Readable
}

/** The bytes of an attachment and what to serve them as. */
export interface AttachmentContent {
  attachment: AttachmentView
  stream: Readable
}

/** A file whose bytes are stored, waiting for its row. */
type StoredFile = Omit<NewAttachment, 'caseId' | 'uploadedBy'>

const REMOVERS: readonly Role[] = ['admin', 'supervisor']

// The same answer GET /cases/:id gives: an invisible case is indistinguishable from a missing one.
const caseNotFound = (id: number) =>
  new DomainError('not_found', 'case_not_found', `case ${id} not found`, { params: { id } })
const attachmentNotFound = (id: number) =>
  new DomainError('not_found', 'attachment_not_found', `attachment ${id} not found`, { params: { id } })
const typeNotAllowed = (filename: string, type: string) =>
  new DomainError('unsupported_media', 'attachment_type_not_allowed', `${type} is not allowed`, {
    params: { filename, type },
  })

const megabytes = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10

/** Valid UTF-8 with no NUL: what a text file is when no magic number says otherwise. */
async function isUtf8Text(stream: Readable): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) return false
      decoder.decode(chunk, { stream: true })
    }
    decoder.decode()
    return true
  } catch {
    return false
  } finally {
    stream.destroy()
  }
}

/**
 * The content type of the staged bytes, from their magic number, or from the
 * extension for text that really is text. Anything else is refused, naming what it is.
 */
async function sniff(staged: StagedBlob, filename: string): Promise<string> {
  const head = staged.read()
  const detected = await fileTypeFromStream(head).finally(() => head.destroy())
  if (detected) {
    if ((SNIFFED_TYPES as readonly string[]).includes(detected.mime)) return detected.mime
    throw typeNotAllowed(filename, detected.mime)
  }
  const text = await isUtf8Text(staged.read())
  const extension = extensionOf(filename)
  if (text && Object.hasOwn(TEXT_TYPES, extension)) return TEXT_TYPES[extension as keyof typeof TEXT_TYPES]
  throw typeNotAllowed(filename, text ? 'text/plain' : 'application/octet-stream')
}

/**
 * Attachments of cases: upload (streamed to the blob storage with a size limit,
 * typed by sniffing the bytes), list, download and removal, each only on cases the
 * actor can see. Uploads and removals are on the timeline and in the audit log.
 */
export function createAttachmentService(db: Database, storage: BlobStorage, opts: { maxBytes: number }) {
  async function store(file: IncomingFile): Promise<StoredFile> {
    const filename = sanitiseFilename(file.filename)
    let contentType = ''
    try {
      const blob = await storage.put(file.file, {
        maxBytes: opts.maxBytes,
        check: async (staged) => {
          if (staged.size === 0) {
            throw new DomainError('invalid', 'attachment_empty', 'empty file', { params: { filename } })
          }
          contentType = await sniff(staged, filename)
        },
      })
      return {
        sha256: blob.sha256,
        sizeBytes: blob.size,
        contentType,
        declaredContentType: file.mimetype.slice(0, 200) || null,
        filename,
      }
    } catch (err) {
      if (!(err instanceof BlobTooLargeError)) throw err
      throw new DomainError('too_large', 'attachment_too_large', err.message, {
        params: { filename, mb: megabytes(opts.maxBytes) },
      })
    }
  }

  return {
    /**
     * Stores every file, then writes their rows, timeline events and audit entries in
     * one transaction. The case is checked before any byte is read and again in the
     * transaction, since a long upload can outlast the actor's sight of the case.
     */
    async upload(
      actor: Actor,
      caseId: number,
      files: AsyncIterable<IncomingFile>,
    ): Promise<AttachmentView[]> {
      if (!(await findCase(db, actor, caseId))) throw caseNotFound(caseId)
      const stored: StoredFile[] = []
      for await (const file of files) {
        if (stored.length === MAX_FILES_PER_UPLOAD) {
          throw new DomainError('too_large', 'attachment_too_many_files', 'too many files', {
            params: { max: MAX_FILES_PER_UPLOAD },
          })
        }
        stored.push(await store(file))
      }
      if (stored.length === 0) throw new DomainError('invalid', 'attachment_missing', 'no file uploaded')

      // The blobs are already on disk. Should this transaction fail they stay there
      // unreferenced, which is harmless: they are addressed by content, so a retry
      // reuses them and no row can ever point at the wrong bytes.
      const ids = await db.transaction().execute(async (trx) => {
        if (!(await findCase(trx, actor, caseId))) throw caseNotFound(caseId)
        const created: number[] = []
        for (const values of stored) {
          const row = { ...values, caseId, uploadedBy: actor.id }
          const id = await insertAttachment(trx, row)
          created.push(id)
          await insertEvent(trx, {
            caseId,
            kind: 'attachment_added',
            actorId: actor.id,
            data: {
              attachmentId: id,
              filename: row.filename,
              size: row.sizeBytes,
              contentType: row.contentType,
            },
          })
          await recordAudit(trx, actor, {
            action: 'attachment.create',
            entityType: 'attachment',
            entityId: id,
            after: { id, ...row },
          })
        }
        return created
      })
      return listAttachments(db, actor, caseId, ids)
    },

    /** A case's attachments, oldest first. */
    async list(actor: Actor, caseId: number): Promise<AttachmentView[]> {
      if (!(await findCase(db, actor, caseId))) throw caseNotFound(caseId)
      return listAttachments(db, actor, caseId)
    },

    /** The bytes of an attachment whose case the actor can see. */
    async content(actor: Actor, id: number): Promise<AttachmentContent> {
      const attachment = await findAttachment(db, actor, id)
      if (!attachment) throw attachmentNotFound(id)
      return { attachment, stream: await storage.get(attachment.sha256) }
    },

    /**
     * Removes an attachment from its case (admins and supervisors). The row is only
     * marked: the timeline and the audit log keep referring to it, and its blob may be
     * shared with other rows.
     */
    async remove(actor: Actor, id: number): Promise<void> {
      if (!REMOVERS.includes(actor.role)) {
        throw new DomainError(
          'forbidden',
          'attachment_delete_forbidden',
          `${actor.role} may not remove attachments`,
        )
      }
      await db.transaction().execute(async (trx) => {
        const attachment = await findAttachment(trx, actor, id)
        // Checked again by the update itself: of two concurrent removals only one is recorded.
        if (!attachment || !(await markDeleted(trx, id, actor.id))) throw attachmentNotFound(id)
        await insertEvent(trx, {
          caseId: attachment.caseId,
          kind: 'attachment_removed',
          actorId: actor.id,
          data: { attachmentId: id, filename: attachment.filename },
        })
        await recordAudit(trx, actor, {
          action: 'attachment.delete',
          entityType: 'attachment',
          entityId: id,
          before: attachment,
        })
      })
    },
  }
}
