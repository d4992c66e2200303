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
  firstResponseDueAt: Nullable(Timestamp),
  resolutionDueAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  createdBy: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
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
    createdFrom: Type.Optional(Timestamp),
    createdTo: Type.Optional(Timestamp),
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
