import Type, { type Static, type TSchema } from 'typebox'
import { ASSIGNMENT_STRATEGIES } from '../routing/rule.schemas.ts'

/**
 * The contract between producers (services writing outbox rows) and the workers:
 * every job name, the queue it travels on and the schema of its payload.
 * The workers refuse to start unless each job name has exactly one handler.
 */
export const QUEUES = ['case-events', 'mail', 'notifications'] as const
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
  /** A message was threaded into an existing case: tell whoever holds the case. */
  'case.message_received': {
    queue: 'case-events',
    payload: Type.Object({ caseId: Id, messageId: Id }, { additionalProperties: false }),
  },
  /** A case's next SLA timer changed (cases.sla_next_at): schedule it as a delayed job on sla-timers. */
  'sla.schedule': {
    queue: 'case-events',
    payload: Type.Object(
      { caseId: Id, at: Type.String({ format: 'date-time' }) },
      { additionalProperties: false },
    ),
  },
  /** A reply to a citizen was written: send it by email from its mailbox's SMTP account, at most once. */
  'mail.send': {
    queue: 'mail',
    payload: Type.Object({ outboundId: Id }, { additionalProperties: false }),
  },
  /** A case's first pending citizen notification of a burst: start its digest timer (notification-timers). */
  'notification.schedule': {
    queue: 'notifications',
    payload: Type.Object({ caseId: Id }, { additionalProperties: false }),
  },
  /** A staff reply to a citizen whose case did not come by email: choose IO or email and queue it as a notification. */
  'notification.reply': {
    queue: 'notifications',
    payload: Type.Object({ caseId: Id, eventId: Id }, { additionalProperties: false }),
  },
  /** Send one notification (IO or email) at most once; also what an admin's retry queues. */
  'notification.send': {
    queue: 'notifications',
    payload: Type.Object({ notificationId: Id }, { additionalProperties: false }),
  },
} as const satisfies Record<string, { queue: QueueName; payload: TSchema }>

export type JobName = keyof typeof JOBS

/**
 * Queues whose jobs are not outbox rows but timers, whose truth is a column in
 * PostgreSQL: the workers schedule them from it and rebuild them from it when
 * Redis lost them (see workers/src/sla-timers.ts).
 */
export const TIMER_QUEUES = ['sla-timers', 'notification-timers'] as const
export type TimerQueueName = (typeof TIMER_QUEUES)[number]

/** The jobs of the timer queues. */
export const TIMER_JOBS = {
  /** Fire the SLA timers of a case that are due (cases.sla_next_at). */
  'sla.fire': {
    queue: 'sla-timers',
    payload: Type.Object({ caseId: Id }, { additionalProperties: false }),
  },
  /** A case's notification window closed: send one message for its pending notifications (notification_pending). */
  'notification.digest': {
    queue: 'notification-timers',
    payload: Type.Object({ caseId: Id }, { additionalProperties: false }),
  },
  /** A notification's next attempt is due (notifications.next_attempt_at). */
  'notification.resend': {
    queue: 'notification-timers',
    payload: Type.Object({ notificationId: Id }, { additionalProperties: false }),
  },
  /** Read an IO message's delivery status (notifications.status_check_at). */
  'notification.status': {
    queue: 'notification-timers',
    payload: Type.Object({ notificationId: Id }, { additionalProperties: false }),
  },
} as const satisfies Record<string, { queue: TimerQueueName; payload: TSchema }>

/** Deterministic id of the delayed job of a case's SLA timer at `at`: scheduling it twice adds one job. */
export const slaTimerJobId = (caseId: number, at: Date): string => `sla-${caseId}-${at.getTime()}`
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]['payload']>

export const JOB_NAMES = Object.keys(JOBS) as JobName[]

/** What a BullMQ job carries: the outbox row it came from and the payload. */
export interface OutboxJobData {
  outboxId: number
  payload: unknown
}

/** Deterministic BullMQ job id for an outbox row: adding it twice adds one job. */
export const outboxJobId = (outboxId: number): string => `outbox-${outboxId}`
