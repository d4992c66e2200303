import Type, { type Static } from 'typebox'
import { ReplyAttachmentView } from '../../attachments/attachment.schemas.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$' })
const Port = Type.Integer({ minimum: 1, maximum: 65535 })
const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email' })
const Password = Type.String({ minLength: 1, maxLength: 500 })
const Folder = Type.String({ minLength: 1, maxLength: 200 })

export const MAIL_SECURITY = ['tls', 'starttls', 'none'] as const
/** tls: TLS from the first byte; starttls: upgrade required; none: plain (a relay on the same host). */
export const MailSecurity = Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')])
export type MailSecurity = Static<typeof MailSecurity>
export const AfterImport = Type.Union([Type.Literal('flag'), Type.Literal('move')])

const ImapBase = {
  host: Host,
  port: Port,
  security: MailSecurity,
  user: Type.String({ minLength: 1, maxLength: 254 }),
}
const SmtpBase = {
  host: Host,
  port: Port,
  security: MailSecurity,
  user: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 254 }), Type.Null()])),
}

export const CreateMailboxBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    address: Email,
    isPec: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
    imap: Type.Object({ ...ImapBase, password: Password }, { additionalProperties: false }),
    folder: Type.Optional(Folder),
    afterImport: Type.Optional(AfterImport),
    moveTo: Type.Optional(Type.Union([Folder, Type.Null()])),
    smtp: Type.Object(
      { ...SmtpBase, password: Type.Optional(Type.Union([Password, Type.Null()])) },
      { additionalProperties: false },
    ),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
  },
  { additionalProperties: false },
)
export type CreateMailboxBody = Static<typeof CreateMailboxBody>

/** Only what is sent changes; a password left out is kept. */
export const UpdateMailboxBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    address: Type.Optional(Email),
    isPec: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
    imap: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Host),
          port: Type.Optional(Port),
          security: Type.Optional(MailSecurity),
          user: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
          password: Type.Optional(Password),
        },
        { additionalProperties: false },
      ),
    ),
    folder: Type.Optional(Folder),
    afterImport: Type.Optional(AfterImport),
    moveTo: Type.Optional(Type.Union([Folder, Type.Null()])),
    smtp: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Host),
          port: Type.Optional(Port),
          security: Type.Optional(MailSecurity),
          user: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 254 }), Type.Null()])),
          password: Type.Optional(Type.Union([Password, Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
  },
  { additionalProperties: false },
)
export type UpdateMailboxBody = Static<typeof UpdateMailboxBody>

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const DateTime = Type.String({ format: 'date-time' })

/** A mailbox as admins see it: never a password, only whether one is set; with its polling health. */
export const MailboxView = Type.Object({
  id: Id,
  name: Type.String(),
  address: Type.String(),
  isPec: Type.Boolean(),
  enabled: Type.Boolean(),
  imap: Type.Object({ ...ImapBase, hasPassword: Type.Boolean() }),
  folder: Type.String(),
  afterImport: AfterImport,
  moveTo: Nullable(Type.String()),
  smtp: Type.Object({
    host: Type.String(),
    port: Port,
    security: MailSecurity,
    user: Nullable(Type.String()),
    hasPassword: Type.Boolean(),
  }),
  pollIntervalSeconds: Type.Integer(),
  status: Type.Object({
    uidValidity: Nullable(Type.Integer()),
    lastUid: Type.Integer(),
    lastPolledAt: Nullable(DateTime),
    lastSuccessAt: Nullable(DateTime),
    /** The last poll's failure (wrong password, server down…), until a poll succeeds. */
    lastError: Nullable(Type.String()),
    lastErrorAt: Nullable(DateTime),
    consecutiveFailures: Type.Integer(),
    /** While failing, the mailbox is not polled before this (exponential backoff). */
    nextPollAt: Nullable(DateTime),
  }),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type MailboxView = Static<typeof MailboxView>

export const MailboxFilter = Type.Object(
  { enabled: Type.Optional(Type.Boolean()), isPec: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type MailboxFilter = Static<typeof MailboxFilter>
export const MAILBOX_SORTS = ['id', 'name', 'updatedAt'] as const

/** A reply written by staff, sent by email from the case's mailbox. */
export const CreateReplyBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 50_000 }),
    html: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
    /** Defaults to the mailbox the case's last email came in on. */
    mailboxId: Type.Optional(Id),
    /** Defaults to the sender of the case's last email, else the contact's email. */
    to: Type.Optional(Email),
    /** Defaults to "Re: " and the subject of the case's last email, else the case's subject. */
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    /**
     * Case attachments sent with the reply, in this order: each on this case and not
     * removed, at most 10 and 20 MB together (checked with errors that say so).
     */
    attachmentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
)
export type CreateReplyBody = Static<typeof CreateReplyBody>

export const OUTBOUND_STATES = ['queued', 'sending', 'sent', 'failed', 'uncertain', 'bounced'] as const

export const ReplyView = Type.Object({
  id: Id,
  caseId: Id,
  caseMessageId: Id,
  mailboxId: Id,
  messageId: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  inReplyTo: Nullable(Type.String()),
  references: Type.Array(Type.String()),
  state: Type.Union([
    Type.Literal('queued'),
    Type.Literal('sending'),
    Type.Literal('sent'),
    Type.Literal('failed'),
    Type.Literal('uncertain'),
    Type.Literal('bounced'),
  ]),
  pecState: Nullable(Type.String()),
  /** The files it carries, in order. */
  attachments: Type.Array(ReplyAttachmentView),
  createdAt: DateTime,
})
export type ReplyView = Static<typeof ReplyView>

/** What a poll did with one message of a mailbox: where it went, or why it was set aside. */
export const MailImportView = Type.Object({
  uidValidity: Type.Integer(),
  uid: Type.Integer(),
  messageId: Nullable(Type.String()),
  /**
   * created, threaded, follow_up, duplicate (ingest); auto_reply_ignored, own_message,
   * bounce, pec_receipt, unmatched_report, rate_limited, refused_too_large, failed.
   */
  outcome: Type.String(),
  caseId: Nullable(Type.Integer()),
  sender: Nullable(Type.String()),
  note: Nullable(Type.String()),
  importedAt: DateTime,
})
export type MailImportView = Static<typeof MailImportView>

export const MailImportFilter = Type.Object(
  {
    outcome: Type.Optional(
      Type.Union([
        Type.String({ pattern: '^[a-z_]{2,40}$' }),
        Type.Array(Type.String({ pattern: '^[a-z_]{2,40}$' }), { minItems: 1, maxItems: 20 }),
      ]),
    ),
    sender: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false },
)
export type MailImportFilter = Static<typeof MailImportFilter>
export const MAIL_IMPORT_SORTS = ['importedAt', 'uid'] as const
