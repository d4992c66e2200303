import Type, { type Static } from 'typebox'
import { ChannelSchema } from '../cases/case.schemas.ts'

/** Size limits of an inbound message: bigger input is refused at the door, not truncated. */
export const INBOUND_LIMITS = {
  subject: 300,
  text: 100_000,
  html: 500_000,
  externalId: 500,
  threadKey: 500,
  rawRef: 1000,
  attachments: 50,
} as const

const Text = (maxLength: number) => Type.String({ maxLength })

/** Who sent a message, as the channel knows them; every field optional, normalised by ingest. */
export const InboundSender = Type.Object(
  {
    email: Type.Optional(Text(254)),
    phone: Type.Optional(Text(40)),
    fiscalCode: Type.Optional(Text(20)),
    /** The name as the channel shows it ("Mario Rossi" from an email's From). */
    name: Type.Optional(Text(200)),
    firstName: Type.Optional(Text(100)),
    lastName: Type.Optional(Text(100)),
  },
  { additionalProperties: false },
)
export type InboundSender = Static<typeof InboundSender>

/** An attachment the channel already stored; `ref` is where. */
export const InboundAttachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ minLength: 1, maxLength: 255 }),
    size: Type.Integer({ minimum: 0 }),
    ref: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
)
export type InboundAttachment = Static<typeof InboundAttachment>

export const InboundLocation = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    address: Type.Optional(Text(300)),
    civicNumber: Type.Optional(Text(20)),
  },
  { additionalProperties: false },
)
export type InboundLocation = Static<typeof InboundLocation>

/**
 * A message from any channel, normalised: what every channel adapter (CTI webhook,
 * IMAP/PEC poller, web form, Open311, field app) hands to `ingest`.
 */
export const InboundMessage = Type.Object(
  {
    channel: ChannelSchema,
    /** The channel's own id of this message (Message-ID, call id, form submission id): the idempotency key. */
    externalId: Type.String({ minLength: 1, maxLength: INBOUND_LIMITS.externalId }),
    /** Opaque, per channel: messages with the same key on the same channel go to the same case. */
    threadKey: Type.Optional(Type.String({ minLength: 1, maxLength: INBOUND_LIMITS.threadKey })),
    sender: InboundSender,
    subject: Type.Optional(Text(INBOUND_LIMITS.subject)),
    text: Text(INBOUND_LIMITS.text),
    /** Already sanitised by the channel (the email channel will do it); stored as given. */
    html: Type.Optional(Text(INBOUND_LIMITS.html)),
    attachments: Type.Optional(Type.Array(InboundAttachment, { maxItems: INBOUND_LIMITS.attachments })),
    location: Type.Optional(InboundLocation),
    receivedAt: Type.String({ format: 'date-time' }),
    /** Where the raw original is kept (object key of the .eml, the stored webhook body…). */
    rawRef: Type.Optional(Type.String({ minLength: 1, maxLength: INBOUND_LIMITS.rawRef })),
    /**
     * A case the channel already identified from its own evidence (a signed
     * Message-ID, In-Reply-To, a case number from the case's own contact): the
     * message threads into it, following merges. Ignored when no such case exists.
     */
    threadCaseId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    /** An automatic message (out-of-office, vacation responder): stored, but it never reopens or resumes a case. */
    autoReply: Type.Optional(Type.Boolean()),
    /** The category the sender chose (web form, Open311 service, field app): a new case starts in it. */
    categoryId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
)
export type InboundMessage = Static<typeof InboundMessage>

/**
 * created: a new case; threaded: added to an existing case (reopened when it was
 * resolved or closed and the policy says so); follow_up: the thread's case was
 * closed, so a new case linked to it was opened; duplicate: seen before.
 */
export const INGEST_OUTCOMES = ['created', 'threaded', 'follow_up', 'duplicate'] as const
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number]

export interface IngestResult {
  outcome: IngestOutcome
  caseId: number
  messageId: number
  /** Null when nothing identified the sender (no codice fiscale, email or phone). */
  contactId: number | null
  /** The thread's case was resolved or closed and this message reopened it. */
  reopened?: boolean
}
