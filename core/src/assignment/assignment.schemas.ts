import Type, { type Static } from 'typebox'
import { ROLES } from '../iam/iam.schemas.ts'

export { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '../routing/rule.schemas.ts'

/** Where an agent is: only `available` agents get cases; no presence row means `offline`. */
export const PRESENCE_STATES = ['available', 'busy', 'away', 'offline'] as const
export type PresenceState = (typeof PRESENCE_STATES)[number]

/**
 * The statuses in which a case counts against its assignee's capacity: the work
 * is theirs and not finished. Resolved and closed cases do not count, and neither
 * do new or open ones (they have no assignee to count against once released).
 */
export const LOAD_STATUSES = ['assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party'] as const

/** The statuses of a case waiting in its queue for an agent. */
export const WAITING_STATUSES = ['new', 'open'] as const

const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

/** Body of PUT /me/presence. */
export const PresenceBody = Type.Object(
  { state: Type.Enum(PRESENCE_STATES, { description: 'Only available agents receive cases' }) },
  { additionalProperties: false },
)
export type PresenceBody = Static<typeof PresenceBody>

/** The signed-in user's presence. */
export const PresenceView = Type.Object({
  state: Type.Enum(PRESENCE_STATES),
  changedAt: Nullable(Timestamp),
  released: Type.Optional(
    Type.Integer({
      description: 'After a change to offline: the cases not yet started that went back to their queues',
    }),
  ),
})
export type PresenceView = Static<typeof PresenceView>

/** An agent as a supervisor sees them: where they are, how much they carry, which queues they serve. */
export const AgentView = Type.Object({
  id: Type.Integer(),
  fullName: Type.String(),
  role: Type.Enum(ROLES),
  state: Type.Enum(PRESENCE_STATES),
  changedAt: Nullable(Timestamp),
  load: Type.Integer({ description: 'Cases assigned, in progress or waiting (citizen or third party)' }),
  capacity: Type.Integer(),
  skills: Type.Array(Type.String()),
  queueIds: Type.Array(Type.Integer()),
})
export type AgentView = Static<typeof AgentView>

/** Query of GET /agents. */
export const AgentQuery = Type.Object(
  {
    queueId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only members of this queue' })),
    state: Type.Optional(Type.Enum(PRESENCE_STATES)),
  },
  { additionalProperties: false },
)
export type AgentQuery = Static<typeof AgentQuery>
