import Type, { type Static } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

/** Files per upload request: a phone's burst of photos, not a bulk import. */
export const MAX_FILES_PER_UPLOAD = 10

/** Files one reply to the citizen may carry. */
export const MAX_REPLY_ATTACHMENTS = 10

/** Bytes of files one reply may carry, together: what common mail servers still accept once encoded. */
export const MAX_REPLY_ATTACHMENT_BYTES = 20 * 1024 * 1024

/** Longest stored filename, in characters (the extension is kept when trimming). */
export const MAX_FILENAME_LENGTH = 200

/**
 * Content types recognised from the bytes (magic numbers) that Filo accepts:
 * photos from phones and cameras, PDFs and office documents. Legacy binary Office
 * files (.doc, .xls) are left out on purpose: they are the usual carrier of macros.
 */
export const SNIFFED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
] as const

/**
 * Text has no magic number, so it is accepted only by extension *and* when the
 * bytes are valid UTF-8 without NULs; the extension decides the content type.
 */
export const TEXT_TYPES = {
  txt: 'text/plain',
  csv: 'text/csv',
  eml: 'message/rfc822',
} as const

export const AttachmentView = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  filename: Type.String(),
  /** Sniffed from the bytes; what the download is served as. */
  contentType: Type.String(),
  /** What the uploading client claimed; informative only. */
  declaredContentType: Nullable(Type.String()),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  uploadedBy: Nullable(Type.Integer()),
  uploadedByName: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
})
export type AttachmentView = Static<typeof AttachmentView>

/** A file a reply sent to the citizen, as the reply and its timeline events name it. */
export const ReplyAttachmentView = Type.Object({
  attachmentId: Type.Integer(),
  filename: Type.String(),
  size: Type.Integer(),
})
export type ReplyAttachmentView = Static<typeof ReplyAttachmentView>
