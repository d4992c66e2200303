import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AttachmentView, type Deps, MAX_FILES_PER_UPLOAD } from '@filo/core'
import Type from 'typebox'
import { actorOf } from '../http/auth.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })
const Err = { $ref: 'ErrorBody' } as const

// The files themselves are streamed to storage, never parsed into a body: the
// request schema is the content type, and the service checks each file.
const UploadHeaders = Type.Object({
  'content-type': Type.String({ pattern: '^multipart/form-data' }),
})
const Binary = Type.Unsafe<Readable>({ type: 'string', format: 'binary' })

/** RFC 6266/8187: an ASCII fallback for old clients, the exact UTF-8 name for the rest. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** Attachments of cases: upload (multipart), list, download, remove. */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { attachments } = deps.services
  const maxBytes = deps.config.attachmentMaxBytes

  app.post(
    '/cases/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Attach files to a case (multipart/form-data, any field name)',
        description:
          `Up to ${MAX_FILES_PER_UPLOAD} files of at most ${maxBytes} bytes each. The type is sniffed from ` +
          'the bytes (the declared one is only recorded): images (JPEG, PNG, WebP, GIF, HEIC), PDF, Office ' +
          'and OpenDocument files; .txt, .csv and .eml when they are UTF-8 text. 413 over the size limit, ' +
          '415 for any other type.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        headers: UploadHeaders,
        response: { 201: Type.Array(AttachmentView), 400: Err, 404: Err, 413: Err, 415: Err },
      },
    },
    async (req, reply) => {
      // One byte past the limit and one file past the maximum still reach the service,
      // which refuses them with its own messages; busboy only bounds the damage.
      const files = req.files({
        limits: { fileSize: maxBytes + 1, files: MAX_FILES_PER_UPLOAD + 1 },
        throwFileSizeLimit: false,
      })
      return reply.status(201).send(await attachments.upload(actorOf(req), req.params.id, files))
    },
  )

  app.get(
    '/cases/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: "A case's attachments, oldest first",
        params: IdParams,
        response: { 200: Type.Array(AttachmentView), 404: Err },
      },
    },
    async (req) => attachments.list(actorOf(req), req.params.id),
  )

  app.get(
    '/attachments/:id/content',
    {
      schema: {
        tags: ['attachments'],
        summary: 'The bytes of an attachment, as a download',
        description: 'Served as the sniffed content type, with Content-Disposition: attachment.',
        params: IdParams,
        response: { 200: Binary, 404: Err },
      },
    },
    async (req, reply) => {
      const { attachment, stream } = await attachments.content(actorOf(req), req.params.id)
      const text = attachment.contentType.startsWith('text/') || attachment.contentType === 'message/rfc822'
      return (
        reply
          .header('content-type', text ? `${attachment.contentType}; charset=utf-8` : attachment.contentType)
          .header('content-length', String(attachment.sizeBytes))
          .header('content-disposition', contentDisposition(attachment.filename))
          // Citizens' files are served from the console's origin: never let a browser
          // reinterpret them, run them, or keep them in a shared cache.
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(stream)
      )
    },
  )

  app.delete(
    '/attachments/:id',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Remove an attachment from its case (admin, supervisor)',
        description: 'The attachment is marked removed, on the timeline and in the audit log.',
        params: IdParams,
        response: { 204: Type.Null(), 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      await attachments.remove(actorOf(req), req.params.id)
      return reply.status(204).send(null)
    },
  )
}
