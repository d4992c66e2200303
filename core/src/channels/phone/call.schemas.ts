import Type, { type Static } from 'typebox'
import { PRESENCE_STATES } from '../../assignment/assignment.schemas.ts'
import { CaseView, PrioritySchema } from '../../cases/case.schemas.ts'
import { ContactView } from '../../contacts/contact.schemas.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })
const OneOrMany = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Array(t, { minItems: 1, maxItems: 50 })])

/** Zammad's generic CTI API events. */
export const CTI_EVENTS = ['newCall', 'answer', 'hangup'] as const
export type CtiEventName = (typeof CTI_EVENTS)[number]
export const CALL_DIRECTIONS = ['in', 'out'] as const
export type CallDirection = (typeof CALL_DIRECTIONS)[number]
export const CALL_STATES = ['ringing', 'answered', 'ended'] as const
export type CallState = (typeof CALL_STATES)[number]
/**
 * How a call ended: answered; missed (nobody picked up); abandoned (the caller hung up
 * while it rang); forwarded; voicemail (the PBX's voicemail took it); blocked (rejected by
 * the block list); unanswered (an outbound call nobody picked up).
 */
export const CALL_OUTCOMES = [
  'answered',
  'missed',
  'abandoned',
  'forwarded',
  'voicemail',
  'blocked',
  'unanswered',
] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]
export const RECOGNITIONS = ['known', 'probable', 'unknown'] as const
export type Recognition = (typeof RECOGNITIONS)[number]

const Field = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) })
const UserName = Type.String({ maxLength: 200 })

/**
 * The body of a CTI event, as Zammad's generic CTI API defines it (form-encoded or
 * JSON). Fields this API does not use are accepted and ignored, so PBX scripts
 * written for Zammad work unchanged; `user[]` in a form is `user` here.
 */
export const CtiEvent = Type.Object(
  {
    event: Type.Enum(CTI_EVENTS),
    from: Type.Optional(Field(100, 'The calling number (e.g. 0574123456, 390574123456, anonymous)')),
    to: Type.Optional(Field(100, 'The called number')),
    direction: Type.Enum(CALL_DIRECTIONS),
    callId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 250,
        description: 'The PBX id of the call, the same on each event',
      }),
    ),
    /** Zammad accepts `call_id` as well. */
    call_id: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    user: Type.Optional(
      Type.Union([UserName, Type.Array(UserName, { maxItems: 20 })], {
        description:
          'The users involved: the called users (in) or the caller (out); `user[]=A&user[]=B` in a form',
      }),
    ),
    queue: Type.Optional(Field(200, 'The PBX queue: matched to a Filo queue by code or name')),
    cause: Type.Optional(
      Field(
        100,
        'Why the call ended: normalClearing, busy, cancel, noAnswer, congestion, notFound, forwarded',
      ),
    ),
    answeringNumber: Type.Optional(
      Field(200, 'Who answered: a staff extension, email or id, looked up in that order'),
    ),
    user_id: Type.Optional(Field(20)),
  },
  {
    additionalProperties: Type.Union([
      Type.String({ maxLength: 1000 }),
      Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 20 }),
    ]),
    maxProperties: 40,
  },
)
export type CtiEvent = Static<typeof CtiEvent>

/** The webhook's answer: `{}`, or the reject of a blocked caller, as Zammad answers. */
export const CtiAnswer = Type.Object(
  {
    action: Type.Optional(Type.Literal('reject')),
    reason: Type.Optional(Type.Literal('busy')),
  },
  { additionalProperties: false },
)
export type CtiAnswer = Static<typeof CtiAnswer>

export const CtiTokenView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The token's last characters: enough to tell which one a PBX holds. */
  hint: Type.String(),
  createdBy: Nullable(Type.Integer()),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  revokedBy: Nullable(Type.Integer()),
})
export type CtiTokenView = Static<typeof CtiTokenView>

export const CreateCtiTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
)
export type CreateCtiTokenBody = Static<typeof CreateCtiTokenBody>

/** A new token: the only time the secret is shown, with the webhook path to give the PBX. */
export const CtiTokenCreated = Type.Object({
  ...CtiTokenView.properties,
  token: Type.String({ description: 'The secret: shown this once, never again' }),
  webhookPath: Type.String({ description: 'Where the PBX posts its events' }),
})
export type CtiTokenCreated = Static<typeof CtiTokenCreated>

export const BlockedNumberView = Type.Object({
  id: Type.Integer(),
  /** E.164 when it reads as a phone number, otherwise as the PBX sends it (anonymous). */
  number: Type.String(),
  note: Nullable(Type.String()),
  createdBy: Nullable(Type.Integer()),
  createdAt: Timestamp,
})
export type BlockedNumberView = Static<typeof BlockedNumberView>

export const CreateBlockedNumberBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 60 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
)
export type CreateBlockedNumberBody = Static<typeof CreateBlockedNumberBody>

export const CallTransfer = Type.Object({
  fromUserId: Nullable(Type.Integer()),
  toUserId: Type.Integer(),
  answeringNumber: Nullable(Type.String()),
  at: Timestamp,
})
export type CallTransfer = Static<typeof CallTransfer>

export const CallView = Type.Object({
  id: Type.Integer(),
  /** The PBX's id of the call. */
  externalId: Type.String(),
  tokenId: Type.Integer(),
  direction: Type.Enum(CALL_DIRECTIONS),
  state: Type.Enum(CALL_STATES),
  outcome: Nullable(Type.Enum(CALL_OUTCOMES)),
  from: Type.String(),
  to: Type.String(),
  fromE164: Nullable(Type.String()),
  toE164: Nullable(Type.String()),
  /** The citizen's number (the caller inbound, the called party outbound). */
  remoteNumber: Nullable(Type.String()),
  queueName: Nullable(Type.String()),
  queueId: Nullable(Type.Integer()),
  users: Type.Array(Type.String()),
  answeringNumber: Nullable(Type.String()),
  operatorId: Nullable(Type.Integer()),
  cause: Nullable(Type.String()),
  blocked: Type.Boolean(),
  recognition: Type.Enum(RECOGNITIONS),
  contactId: Nullable(Type.Integer()),
  candidateContactIds: Type.Array(Type.Integer()),
  caseId: Nullable(Type.Integer()),
  /** The case is the callback task of a missed call. */
  callback: Type.Boolean(),
  transfers: Type.Array(CallTransfer),
  startedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  waitingSeconds: Nullable(Type.Integer()),
  talkingSeconds: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type CallView = Static<typeof CallView>

export const CallFilter = Type.Object(
  {
    id: Type.Optional(OneOrMany(Id)),
    direction: Type.Optional(Type.Enum(CALL_DIRECTIONS)),
    state: Type.Optional(OneOrMany(Type.Enum(CALL_STATES))),
    outcome: Type.Optional(OneOrMany(Type.Enum(CALL_OUTCOMES))),
    /** The operator who answered (or placed) the call. */
    userId: Type.Optional(Id),
    contactId: Type.Optional(Id),
    caseId: Type.Optional(Id),
    queueId: Type.Optional(Id),
    /** Calls started at or after. */
    from: Type.Optional(Timestamp),
    /** Calls started before. */
    to: Type.Optional(Timestamp),
    /** A phone number, in any spelling: matched on the citizen's side of the call. */
    q: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
)
export type CallFilter = Static<typeof CallFilter>

export const CALL_SORTS = ['startedAt', 'id', 'waitingSeconds', 'talkingSeconds'] as const
export type CallSort = (typeof CALL_SORTS)[number]

/** "New case from this call": everything optional, prefilled from the call. */
export const CallCaseBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    priority: Type.Optional(PrioritySchema),
    categoryId: Type.Optional(Nullable(Id)),
    queueId: Type.Optional(Nullable(Id)),
    officeId: Type.Optional(Nullable(Id)),
    /** The caller's contact: needed when the number matched several (or none); defaults to the recognised one. */
    contactId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
)
export type CallCaseBody = Static<typeof CallCaseBody>

export const CallCaseResult = Type.Object({
  /** False when the call already had its case: the same case is returned. */
  created: Type.Boolean(),
  case: CaseView,
  call: CallView,
})
export type CallCaseResult = Static<typeof CallCaseResult>

/** What the console needs to open a case from the call in one click. */
export const NewCaseFromCall = Type.Object({
  channel: Type.Literal('phone'),
  callId: Type.Integer(),
  contactId: Nullable(Type.Integer()),
  subject: Type.String(),
  description: Type.String(),
})
export type NewCaseFromCall = Static<typeof NewCaseFromCall>

export const InteractionView = Type.Object({
  kind: Type.Enum(['call', 'message']),
  at: Timestamp,
  channel: Type.String(),
  direction: Type.String(),
  caseId: Nullable(Type.Integer()),
  caseNumber: Nullable(Type.String()),
  summary: Type.String(),
})
export type InteractionView = Static<typeof InteractionView>

/** The screen-pop: who is calling, their open cases and last interactions, and the prefilled new case. */
export const ScreenPop = Type.Object({
  call: CallView,
  recognition: Type.Enum(RECOGNITIONS),
  /** The recognised contact (known), else null. */
  contact: Nullable(ContactView),
  /** Every contact with the number, when it matched several (probable); at most 5. */
  candidates: Type.Array(ContactView),
  openCases: Type.Array(CaseView),
  lastInteractions: Type.Array(InteractionView),
  newCase: NewCaseFromCall,
})
export type ScreenPop = Static<typeof ScreenPop>

export const WallboardQueue = Type.Object({
  queueId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  open: Type.Integer(),
  unassigned: Type.Integer(),
  callsWaiting: Type.Integer(),
})

export const Wallboard = Type.Object({
  at: Timestamp,
  calls: Type.Object({
    /** Inbound calls ringing now (not blocked). */
    waiting: Type.Integer(),
    /** The longest of their waits so far, in seconds (0 when none waits). */
    longestWaitSeconds: Type.Integer(),
    /** Calls being talked now. */
    active: Type.Integer(),
    /** Today (Europe/Rome): inbound calls, answered, missed or abandoned, and callbacks opened. */
    today: Type.Object({
      inbound: Type.Integer(),
      answered: Type.Integer(),
      missed: Type.Integer(),
      abandoned: Type.Integer(),
      averageWaitSeconds: Nullable(Type.Integer()),
    }),
  }),
  queues: Type.Array(WallboardQueue),
  sla: Type.Object({
    atRisk: Type.Integer(),
    breached: Type.Integer(),
    /** False when a count passed the exact-count cap and is PostgreSQL's estimate. */
    exact: Type.Boolean(),
  }),
  agents: Type.Object({
    byState: Type.Record(Type.String(), Type.Integer()),
    list: Type.Array(
      Type.Object({
        id: Type.Integer(),
        fullName: Type.String(),
        state: Type.Enum(PRESENCE_STATES),
        since: Nullable(Timestamp),
        /** The call they are talking on now, if any. */
        onCallId: Nullable(Type.Integer()),
      }),
    ),
  }),
})
export type Wallboard = Static<typeof Wallboard>
