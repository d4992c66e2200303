import {
  consumeOutboxRow,
  createRedis,
  type Deps,
  isPermanent,
  JOB_NAMES,
  JOBS,
  type JobName,
  type Logger,
  type OutboxJobData,
  QUEUES,
  type QueueName,
} from '@filo/core'
import { type Job, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import Value from 'typebox/value'
import { handlers as defaultHandlers } from './handlers/index.ts'
import type { HandlerRegistry, JobHandler } from './job-handler.ts'

/** Refuses to start when a job name has no handler or a handler has no job. */
export function checkHandlers(handlers: Record<string, unknown>): void {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function')
  const unknown = Object.keys(handlers).filter((name) => !(JOB_NAMES as string[]).includes(name))
  if (missing.length || unknown.length) {
    throw new Error(
      `job handlers do not match the job contract: missing ${missing.join(', ') || 'none'}, unknown ${unknown.join(', ') || 'none'}`,
    )
  }
}

const isJobName = (name: string): name is JobName => (JOB_NAMES as string[]).includes(name)

/**
 * Processes one job: checks its name and payload against the contract, then runs
 * its handler exactly once per outbox row. Input that can never succeed fails at
 * once (UnrecoverableError); anything else is retried with backoff.
 */
export async function processJob(
  deps: Deps,
  handlers: HandlerRegistry,
  queue: QueueName,
  job: Job<OutboxJobData>,
) {
  const name = job.name
  if (!isJobName(name) || JOBS[name].queue !== queue) {
    throw new UnrecoverableError(`job "${name}" does not belong on queue ${queue}`)
  }
  const { outboxId, payload } = job.data ?? {}
  if (!Number.isInteger(outboxId) || outboxId < 1)
    throw new UnrecoverableError(`job ${job.id} has no outbox id`)
  if (!Value.Check(JOBS[name].payload, payload)) {
    const first = [...Value.Errors(JOBS[name].payload, payload)][0]
    throw new UnrecoverableError(
      `payload of ${name} is invalid: ${first?.instancePath || '/'} ${first?.message ?? ''}`,
    )
  }
  const handler = handlers[name] as JobHandler<typeof name>
  try {
    return await consumeOutboxRow(deps.db, outboxId, (trx) =>
      handler({ deps, trx, payload: payload as never, outboxId }),
    )
  } catch (err) {
    await deps.db
      .updateTable('outbox')
      .set({ lastError: String((err as Error).message).slice(0, 2000) })
      .where('id', '=', outboxId)
      .execute()
      .catch(() => {})
    if (isPermanent(err)) throw new UnrecoverableError((err as Error).message)
    throw err
  }
}

export interface RunningWorkers {
  workers: Worker[]
  close(): Promise<void>
}

/** One BullMQ worker per queue; each finishes its jobs in flight on close(). */
export function startWorkers(
  deps: Deps,
  log: Logger,
  opts: { concurrency?: number; handlers?: HandlerRegistry } = {},
): RunningWorkers {
  const handlers = opts.handlers ?? defaultHandlers
  checkHandlers(handlers)
  // A connection per worker (BullMQ blocks on it); BullMQ does not close connections it was given.
  const connections: Redis[] = []
  const workers = QUEUES.map((queue) => {
    const connection = createRedis(deps.config.redisUrl)
    connections.push(connection)
    const worker = new Worker<OutboxJobData>(queue, (job) => processJob(deps, handlers, queue, job), {
      connection,
      prefix: deps.config.queuePrefix,
      concurrency: opts.concurrency ?? 5,
    })
    worker.on('failed', (job, err) =>
      log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    )
    worker.on('error', (err) => log.error({ queue, err }, 'worker error'))
    return worker
  })
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()))
      for (const c of connections) c.disconnect()
    },
  }
}
