import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { QUEUES, type QueueName, TIMER_QUEUES, type TimerQueueName } from './jobs.ts'

/** Retries with exponential backoff; finished jobs are trimmed, the truth stays in PostgreSQL. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const

export type Queues = Record<QueueName | TimerQueueName, Queue> & { close(): Promise<void> }

/** One BullMQ Queue per queue name (outbox and timer queues), sharing one Redis connection. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const entries = [...QUEUES, ...TIMER_QUEUES].map(
    (name) =>
      [name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })] as const,
  )
  const queues = Object.fromEntries(entries) as Record<QueueName | TimerQueueName, Queue>
  return Object.assign(queues, {
    async close() {
      await Promise.all(entries.map(([, q]) => q.close()))
    },
  })
}
