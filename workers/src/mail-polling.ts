import {
  createRedis,
  type Deps,
  type Logger,
  listEnabledMailboxes,
  MAIL_POLL_JOB,
  MAIL_POLL_QUEUE,
  MailPollPayload,
  mailChannelContext,
  mailPollSchedulerId,
  type PollResult,
  pollMailbox,
} from '@filo/core'
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import Value from 'typebox/value'

/**
 * Mailbox polling in the workers: one repeatable BullMQ job per enabled mailbox
 * (a job scheduler with a fixed id, so every worker process upserting it keeps
 * one), processed here. The schedule is derived from the mailboxes table at start
 * and every `syncMs`, so a new, changed or disabled mailbox is picked up without a
 * restart, and a Redis that lost everything is rebuilt from PostgreSQL.
 */
export interface MailPolling {
  queue: Queue
  worker: Worker
  /** Brings the job schedulers in line with the enabled mailboxes now. */
  sync(): Promise<void>
  close(): Promise<void>
}

/** Processes one poll job: a mailbox's failure is recorded on it and never fails the job (the next repetition retries). */
export async function processPollJob(deps: Deps, job: Job, log?: Logger): Promise<PollResult> {
  if (job.name !== MAIL_POLL_JOB)
    throw new UnrecoverableError(`job "${job.name}" does not belong on ${MAIL_POLL_QUEUE}`)
  if (!Value.Check(MailPollPayload, job.data))
    throw new UnrecoverableError(`payload of ${MAIL_POLL_JOB} is invalid`)
  const { mailboxId } = job.data as MailPollPayload
  return pollMailbox(mailChannelContext(deps.config, deps.db), mailboxId, log ? { log } : {})
}

export function startMailPolling(
  deps: Deps,
  log: Logger,
  opts: { syncMs?: number; concurrency?: number } = {},
): MailPolling {
  const connections: Redis[] = [createRedis(deps.config.redisUrl), createRedis(deps.config.redisUrl)]
  const [queueConnection, workerConnection] = connections as [Redis, Redis]
  const queue = new Queue(MAIL_POLL_QUEUE, {
    connection: queueConnection,
    prefix: deps.config.queuePrefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
  })
  const worker = new Worker(MAIL_POLL_QUEUE, (job) => processPollJob(deps, job, log), {
    connection: workerConnection,
    prefix: deps.config.queuePrefix,
    // Mailboxes are independent: a slow or failing one does not hold the others up.
    concurrency: opts.concurrency ?? 4,
  })
  worker.on('error', (err) => log.error({ err }, 'mail poll worker error'))

  async function sync(): Promise<void> {
    const mailboxes = await listEnabledMailboxes(deps.db)
    const wanted = new Set(mailboxes.map((m) => mailPollSchedulerId(m.id)))
    for (const m of mailboxes) {
      await queue.upsertJobScheduler(
        mailPollSchedulerId(m.id),
        { every: m.pollIntervalSeconds * 1000 },
        { name: MAIL_POLL_JOB, data: { mailboxId: m.id } },
      )
    }
    for (const scheduler of await queue.getJobSchedulers()) {
      if (scheduler.key && !wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key)
    }
  }

  let syncing = sync().catch((err) => log.warn({ err }, 'mail poll schedule sync failed'))
  const timer = setInterval(() => {
    syncing = syncing.then(() => sync()).catch((err) => log.warn({ err }, 'mail poll schedule sync failed'))
  }, opts.syncMs ?? 30_000)

  return {
    queue,
    worker,
    sync: () => {
      syncing = syncing.then(() => sync())
      return syncing
    },
    async close() {
      clearInterval(timer)
      await syncing.catch(() => {})
      await worker.close()
      await queue.close()
      for (const c of connections) c.disconnect()
    },
  }
}
