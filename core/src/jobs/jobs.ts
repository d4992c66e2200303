import Type, { type Static, type TSchema } from 'typebox'
import { ASSIGNMENT_STRATEGIES } from '../routing/rule.schemas.ts'

/**
 * The contract between producers (services writing outbox rows) and the workers:
 * every job name, the queue it travels on and the schema of its payload.
 * The workers refuse to start unless each job name has exactly one handler.
 */
export const QUEUES = ['case-events', 'mail'] as const
export type QueueName = (typeof QUEUES)[number]

const Id = Type.Integer({ minimum: 1 })

export const JOBS = {
  /** A case was created on any channel: acknowledge it on its timeline. */
  'case.created': {
    queue: 'case-events',
    payload: Type.Object({ caseId: Id }, { additionalProperties: false }),
  },
  /** A case was created: route it by the routing rules (queue, office, category, priority, tags). */
  'case.route': {
    queue: 'case-events',
    payload: Type.Object({ caseId: Id }, { additionalProperties: false }),
  },
  /** A routed case waits in a queue without an assignee: assign it (a routing rule's strategy overrides the queue's). */
  'case.assign': {
    queue: 'case-events',
    payload: Type.Object(
      { caseId: Id, strategy: Type.Optional(Type.Enum(ASSIGNMENT_STRATEGIES)) },
      { additionalProperties: false },
    ),
  },
  /** A queue may have room for its waiting cases (an agent became available or finished a case): dispatch it. */
  'queue.dispatch': {
    queue: 'case-events',
    payload: Type.Object({ queueId: Id }, { additionalProperties: false }),
  },
  /** A reply to a citizen was written: send it by email from its mailbox's SMTP account, at most once. */
  'mail.send': {
    queue: 'mail',
    payload: Type.Object({ outboundId: Id }, { additionalProperties: false }),
  },
} as const satisfies Record<string, { queue: QueueName; payload: TSchema }>

export type JobName = keyof typeof JOBS
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]['payload']>

export const JOB_NAMES = Object.keys(JOBS) as JobName[]

/** What a BullMQ job carries: the outbox row it came from and the payload. */
export interface OutboxJobData {
  outboxId: number
  payload: unknown
}

/** Deterministic BullMQ job id for an outbox row: adding it twice adds one job. */
export const outboxJobId = (outboxId: number): string => `outbox-${outboxId}`
