import Type, { type Static } from 'typebox'
import { CHANNELS, PRIORITIES, STATUSES } from './case.values.ts'

export type { CaseStatus, Channel, Priority } from './case.values.ts'
export { CHANNELS, PRIORITIES, STATUSES } from './case.values.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })

export const ChannelSchema = Type.Enum(CHANNELS)
export const StatusSchema = Type.Enum(STATUSES)
export const PrioritySchema = Type.Enum(PRIORITIES)

export const CaseView = Type.Object({
  id: Type.Integer(),
  number: Type.String({ examples: ['PRA-2026-000123'] }),
  subject: Type.String(),
  description: Type.String(),
  channel: ChannelSchema,
  status: StatusSchema,
  priority: PrioritySchema,
  categoryId: Nullable(Type.Integer()),
  queueId: Nullable(Type.Integer()),
  officeId: Nullable(Type.Integer()),
  assigneeId: Nullable(Type.Integer()),
  contactId: Nullable(Type.Integer()),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  civicNumber: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  /** The SLA policy whose clocks run on the case (null: none applies). */
  slaPolicyId: Nullable(Type.Integer()),
  /** When each clock warns and is breached; the first-response ones stop mattering once it is answered. */
  firstResponseWarnAt: Nullable(Timestamp),
  firstResponseDueAt: Nullable(Timestamp),
  firstRespondedAt: Nullable(Timestamp),
  resolutionWarnAt: Nullable(Timestamp),
  resolutionDueAt: Nullable(Timestamp),
  /** Set while the case waits for the citizen: the clocks stand still. */
  slaPausedAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  createdBy: Nullable(Type.Integer()),
  mergedIntoId: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
  /** On a single case: the statuses the caller may move it to. */
  nextStatuses: Type.Optional(Type.Array(StatusSchema)),
})
export type CaseView = Static<typeof CaseView>

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })

export const CreateCaseBody = Type.Object(
  {
    subject: Text(300, 1),
    description: Type.Optional(Text(20_000)),
    channel: ChannelSchema,
    priority: Type.Optional(PrioritySchema),
    categoryId: Type.Optional(Nullable(Id)),
    queueId: Type.Optional(Nullable(Id)),
    officeId: Type.Optional(Nullable(Id)),
    contactId: Type.Optional(Nullable(Id)),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    address: Type.Optional(Text(300)),
    civicNumber: Type.Optional(Text(20)),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,\\s][^,]*$' }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false },
)
export type CreateCaseBody = Static<typeof CreateCaseBody>

/** Fields an update may change; `version` is the one the editor read (or send If-Match). */
export const UpdateCaseBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    subject: Type.Optional(Text(300, 1)),
    description: Type.Optional(Text(20_000)),
    priority: Type.Optional(PrioritySchema),
    categoryId: Type.Optional(Nullable(Id)),
    queueId: Type.Optional(Nullable(Id)),
    officeId: Type.Optional(Nullable(Id)),
    assigneeId: Type.Optional(Nullable(Id)),
    contactId: Type.Optional(Nullable(Id)),
    latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    address: Type.Optional(Nullable(Text(300))),
    civicNumber: Type.Optional(Nullable(Text(20))),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,\\s][^,]*$' }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCaseBody = Static<typeof UpdateCaseBody>

export const StatusChangeBody = Type.Object(
  {
    status: StatusSchema,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Why: shown on the timeline (the answer when resolving). */
    comment: Type.Optional(Text(5000)),
  },
  { additionalProperties: false },
)
export type StatusChangeBody = Static<typeof StatusChangeBody>

export const NoteBody = Type.Object(
  {
    text: Text(10_000, 1),
    /** Staff mentioned explicitly (the console's picker); `@name` handles in the text are found too. */
    mentions: Type.Optional(Type.Array(Id, { maxItems: 20 })),
  },
  { additionalProperties: false },
)
export type NoteBody = Static<typeof NoteBody>

export const LINK_KINDS = ['duplicate', 'child', 'parent', 'related'] as const
export const LinkBody = Type.Object(
  {
    /** From this case's point of view: it is a duplicate / child / parent of the target, or related to it. */
    kind: Type.Enum(LINK_KINDS),
    targetId: Id,
  },
  { additionalProperties: false },
)
export type LinkBody = Static<typeof LinkBody>

export const CaseLinkView = Type.Object({
  id: Type.Integer(),
  /** Seen from the case asked about: duplicate (of), duplicated_by, child (of), parent (of), related. */
  relation: Type.Enum(['duplicate_of', 'duplicated_by', 'child_of', 'parent_of', 'related']),
  caseId: Type.Integer(),
  number: Type.String(),
  subject: Type.String(),
  status: StatusSchema,
  createdAt: Timestamp,
})
export type CaseLinkView = Static<typeof CaseLinkView>

export const MergeBody = Type.Object(
  {
    /** The case that survives; this one is closed and points to it. */
    targetId: Id,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type MergeBody = Static<typeof MergeBody>

const OneOrMany = <T extends Parameters<typeof Type.Array>[0]>(t: T) =>
  Type.Union([t, Type.Array(t, { minItems: 1, maxItems: 100 })])

/** Filters of the case list; `q` matches words of the subject or the case number. */
export const CaseFilter = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    id: Type.Optional(OneOrMany(Id)),
    status: Type.Optional(OneOrMany(StatusSchema)),
    priority: Type.Optional(OneOrMany(PrioritySchema)),
    channel: Type.Optional(OneOrMany(ChannelSchema)),
    officeId: Type.Optional(OneOrMany(Id)),
    queueId: Type.Optional(OneOrMany(Id)),
    categoryId: Type.Optional(OneOrMany(Id)),
    assigneeId: Type.Optional(OneOrMany(Id)),
    contactId: Type.Optional(OneOrMany(Id)),
    tags: Type.Optional(OneOrMany(Type.String({ minLength: 1, maxLength: 40 }))),
    /**
     * By the SLA clocks still running (not paused, not answered or resolved): breached — a
     * deadline has passed; at_risk — a warning has fired and no deadline passed; on_time — neither.
     */
    slaState: Type.Optional(Type.Enum(['on_time', 'at_risk', 'breached'])),
    unassigned: Type.Optional(Type.Boolean()),
    createdFrom: Type.Optional(Timestamp),
    createdTo: Type.Optional(Timestamp),
    updatedFrom: Type.Optional(Timestamp),
    updatedTo: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
)
export type CaseFilter = Static<typeof CaseFilter>

export const CASE_SORTS = ['createdAt', 'updatedAt', 'number', 'priority', 'status', 'subject', 'id'] as const

export const CaseEventView = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  kind: Type.String(),
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
})
export type CaseEventView = Static<typeof CaseEventView>

export const CaseEventFilter = Type.Object(
  { caseId: Id, id: Type.Optional(OneOrMany(Id)) },
  { additionalProperties: false },
)
export type CaseEventFilter = Static<typeof CaseEventFilter>

export const SIMILAR_REASONS = ['same_contact', 'nearby', 'similar_text'] as const

/** A case that may be a duplicate of the one asked about, with why it is suggested. */
export const SimilarCaseView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  subject: Type.String(),
  status: StatusSchema,
  categoryId: Nullable(Type.Integer()),
  officeId: Nullable(Type.Integer()),
  address: Nullable(Type.String()),
  createdAt: Timestamp,
  reasons: Type.Array(Type.Enum(SIMILAR_REASONS)),
  /** Metres between the two cases' points, when both have one. */
  distance: Nullable(Type.Integer()),
  sameCategory: Type.Boolean(),
  /** Higher is likelier: the same contact, a near point in the same category, words in common. */
  score: Type.Number(),
})
export type SimilarCaseView = Static<typeof SimilarCaseView>
