import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateMailboxBody,
  CreateReplyBody,
  type Deps,
  MAIL_IMPORT_SORTS,
  MAILBOX_SORTS,
  MailboxFilter,
  MailboxView,
  MailImportFilter,
  MailImportView,
  NotificationReplyView,
  ReplyView,
  UpdateMailboxBody,
} from '@filo/core'
import Type from 'typebox'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'
import { versionFrom } from './cases.routes.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const IdParams = Type.Object({ id: Id })
const Err = { $ref: 'ErrorBody' } as const
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) })
const tags = ['mailboxes']

/**
 * Mailboxes (admins): the IMAP account each is polled from and the SMTP account
 * replies leave by. Passwords go in and never come out; each mailbox shows its
 * polling health (last error, backoff). Writes are audited by the core service.
 */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { mailboxes } = deps.services
  const admins = requireRole('admin')

  app.get(
    '/mailboxes',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'List mailboxes with their polling status (admin)',
        description: `Sort by one of ${MAILBOX_SORTS.join(', ')}. Filter keys: enabled, isPec.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(MailboxView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<MailboxFilter, (typeof MAILBOX_SORTS)[number]>(req.query, {
        filter: MailboxFilter,
        sorts: MAILBOX_SORTS,
        defaultSort: 'id',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'mailboxes', query.offset, await mailboxes.list(actorOf(req), query))
    },
  )

  app.get(
    '/mailboxes/:id',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'One mailbox (admin)',
        params: IdParams,
        response: { 200: MailboxView, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const view = await mailboxes.get(actorOf(req), req.params.id)
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )

  app.get(
    '/mailboxes/:id/imports',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'What the polls did with each message of a mailbox (admin)',
        description: `Newest first by default; sort by one of ${MAIL_IMPORT_SORTS.join(', ')}. Filter keys: outcome (one or a list), sender. Shows the messages set aside too (rate_limited, refused_too_large, auto_reply_ignored, failed).`,
        params: IdParams,
        querystring: ListQuerystring,
        response: { 200: Type.Array(MailImportView), 400: Err, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<MailImportFilter, (typeof MAIL_IMPORT_SORTS)[number]>(req.query, {
        filter: MailImportFilter,
        sorts: MAIL_IMPORT_SORTS,
        defaultSort: 'importedAt',
        defaultOrder: 'desc',
        lang: languageOf(req),
      })
      return sendList(
        reply,
        'mail-imports',
        query.offset,
        await mailboxes.imports(actorOf(req), req.params.id, query),
      )
    },
  )

  app.post(
    '/mailboxes',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Create a mailbox (admin); passwords are stored encrypted',
        body: CreateMailboxBody,
        response: { 201: MailboxView, 400: Err, 403: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await mailboxes.create(actorOf(req), req.body)
      reply.status(201).header('etag', `"${view.version}"`)
      return view
    },
  )

  app.patch(
    '/mailboxes/:id',
    {
      preValidation: admins,
      schema: {
        tags,
        summary: 'Change a mailbox (admin; optimistic concurrency: body.version or If-Match)',
        description:
          'Only the fields sent change; a password left out is kept. Disable a mailbox with enabled: false. A stale version answers 409 mailbox_version_conflict with the current mailbox in error.details.current.',
        params: IdParams,
        headers: IfMatch,
        body: UpdateMailboxBody,
        response: { 200: MailboxView, 400: Err, 403: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const view = await mailboxes.update(actorOf(req), req.params.id, {
        ...req.body,
        version: versionFrom(req.body, req.headers['if-match']),
      })
      reply.header('etag', `"${view.version}"`)
      return view
    },
  )
}

/** Replies to the citizen by email, written by staff and sent by the workers. */
export const replyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/cases/:id/replies',
    {
      schema: {
        tags: ['cases'],
        summary: 'Reply to the citizen by email (sent by the workers from the case’s mailbox)',
        description:
          'Stored on the case at once; the workers send it with a signed Message-ID, In-Reply-To and References of the case’s last email, and the case number in the subject. The delivery state follows on the timeline. A case that did not come by email (and a reply naming no mailbox or address) is answered like a notification: by IO when the citizen is reachable there, else by email (the answer then says via: notification). attachmentIds sends case attachments with it (at most 10, 20 MB together, each on this case and not removed): as MIME attachments by email; on IO, which cannot carry files, the message says how many there are and the citizen downloads them from the case’s status page, which offers exactly the files sent this way.',
        params: IdParams,
        body: CreateReplyBody,
        response: {
          202: Type.Union([ReplyView, NotificationReplyView]),
          400: Err,
          403: Err,
          404: Err,
          413: Err,
        },
      },
    },
    async (req, reply) => {
      // Cases that did not come by email: the citizen may be reachable only on IO.
      const routed = await deps.services.notifications.replyByNotification(
        actorOf(req),
        req.params.id,
        req.body,
      )
      if (routed) return reply.status(202).send(routed)
      const view = await deps.services.replies.create(actorOf(req), req.params.id, req.body)
      return reply.status(202).send(view)
    },
  )
}
