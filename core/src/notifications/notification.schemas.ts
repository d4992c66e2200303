import Type, { type Static } from 'typebox'
import { ReplyAttachmentView } from '../attachments/attachment.schemas.ts'

/** What a citizen is told about: each a change on the case, or a staff reply. */
export const NOTIFICATION_TRIGGERS = [
  'received',
  'taken_in_charge',
  'waiting_citizen',
  'resolved',
  'closed',
  'reopened',
  'reply',
] as const
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number]

/** Templates exist for every trigger, and for the message summing up a burst of changes. */
export const TEMPLATE_KINDS = [...NOTIFICATION_TRIGGERS, 'digest'] as const
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]

export const NOTIFICATION_CHANNELS = ['io', 'email'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]

export const NOTIFICATION_STATES = [
  'queued',
  'sending',
  'retry',
  'sent',
  'failed',
  'uncertain',
  'fallback',
] as const

/** IO's message status values (MessageStatusValue in the IO Services API). */
export const IO_MESSAGE_STATUSES = ['ACCEPTED', 'THROTTLED', 'FAILED', 'PROCESSED', 'REJECTED'] as const
export type IoMessageStatus = (typeof IO_MESSAGE_STATUSES)[number]

const Id = Type.Integer({ minimum: 1 })
const Timestamp = Type.String({ format: 'date-time' })

export const NotificationView = Type.Object(
  {
    id: Id,
    caseId: Id,
    caseNumber: Type.String(),
    eventId: Id,
    channel: Type.Enum(NOTIFICATION_CHANNELS),
    triggers: Type.Array(Type.String()),
    language: Type.String(),
    recipient: Type.String(),
    subject: Type.String(),
    state: Type.Enum(NOTIFICATION_STATES),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    providerId: Type.Union([Type.String(), Type.Null()]),
    ioStatus: Type.Union([Type.Enum(IO_MESSAGE_STATUSES), Type.Null()]),
    choice: Type.Record(Type.String(), Type.Unknown()),
    sentAt: Type.Union([Timestamp, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {},
)
export type NotificationView = Static<typeof NotificationView>

export const NOTIFICATION_SORTS = ['id', 'updatedAt', 'createdAt'] as const
export const NotificationFilter = Type.Object(
  {
    state: Type.Optional(
      Type.Union([
        Type.Enum(NOTIFICATION_STATES),
        Type.Array(Type.Enum(NOTIFICATION_STATES), { maxItems: 7 }),
      ]),
    ),
    caseId: Type.Optional(Id),
    channel: Type.Optional(Type.Enum(NOTIFICATION_CHANNELS)),
  },
  { additionalProperties: false },
)
export type NotificationFilter = Static<typeof NotificationFilter>

export const TemplateView = Type.Object(
  {
    id: Id,
    trigger: Type.Enum(TEMPLATE_KINDS),
    language: Type.Enum(['it', 'en'] as const),
    subject: Type.String(),
    markdown: Type.String(),
    emailHtml: Type.String(),
    emailText: Type.String(),
    version: Type.Integer(),
    updatedAt: Timestamp,
  },
  {},
)
export type TemplateView = Static<typeof TemplateView>

const TemplateFields = {
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  markdown: Type.String({ minLength: 1, maxLength: 20_000 }),
  emailHtml: Type.String({ minLength: 1, maxLength: 50_000 }),
  emailText: Type.String({ minLength: 1, maxLength: 20_000 }),
}

export const UpdateTemplateBody = Type.Object(
  {
    subject: Type.Optional(TemplateFields.subject),
    markdown: Type.Optional(TemplateFields.markdown),
    emailHtml: Type.Optional(TemplateFields.emailHtml),
    emailText: Type.Optional(TemplateFields.emailText),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type UpdateTemplateBody = Static<typeof UpdateTemplateBody>

/** A template (stored or as being edited) rendered with a case's or sample variables. */
export const PreviewBody = Type.Object(
  {
    trigger: Type.Enum(TEMPLATE_KINDS),
    language: Type.Enum(['it', 'en'] as const),
    subject: Type.Optional(TemplateFields.subject),
    markdown: Type.Optional(TemplateFields.markdown),
    emailHtml: Type.Optional(TemplateFields.emailHtml),
    emailText: Type.Optional(TemplateFields.emailText),
    caseId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type PreviewBody = Static<typeof PreviewBody>

export const PreviewView = Type.Object({
  variables: Type.Record(Type.String(), Type.String()),
  io: Type.Object({
    subject: Type.String(),
    markdown: Type.String(),
    adjusted: Type.Array(Type.String()),
  }),
  email: Type.Object({ subject: Type.String(), html: Type.String(), text: Type.String() }),
})
export type PreviewView = Static<typeof PreviewView>

export const CategorySettingView = Type.Object(
  {
    categoryId: Id,
    categoryName: Type.String(),
    triggers: Type.Array(Type.Enum(NOTIFICATION_TRIGGERS)),
    custom: Type.Boolean(),
    version: Type.Integer(),
  },
  {},
)
export type CategorySettingView = Static<typeof CategorySettingView>

export const UpdateCategorySettingBody = Type.Object(
  {
    triggers: Type.Array(Type.Enum(NOTIFICATION_TRIGGERS), { maxItems: 7, uniqueItems: true }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type UpdateCategorySettingBody = Static<typeof UpdateCategorySettingBody>

/** A staff reply that goes out as a notification (the case did not come by email): its channel is chosen by the workers. */
export const NotificationReplyView = Type.Object({
  caseId: Id,
  eventId: Id,
  via: Type.Literal('notification'),
  state: Type.Literal('queued'),
  /** The files it carries: attached to an email, announced with a link to the status page on IO. */
  attachments: Type.Array(ReplyAttachmentView),
})
export type NotificationReplyView = Static<typeof NotificationReplyView>
