import {
  consumeOutboxRow,
  createConnectionRegistry,
  createRedis,
  type Deps,
  isPermanent,
  JOB_NAMES,
  JOBS,
  type JobName,
  type Logger,
  type OutboxJobData,
  offlineIfDisconnected,
  QUEUES,
  type QueueName,
  TIMER_QUEUES,
} from '@filo/core'
import { type Job, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import Value from 'typebox/value'
import { handlers as defaultHandlers } from './handlers/index.ts'
import type { HandlerRegistry, JobHandler } from './job-handler.ts'
import { processNotificationTimerJob, reconcileNotifications } from './notification-timers.ts'
import { processTimerJob, reconcileSlaTimers } from './sla-timers.ts'

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

/** Puts offline every agent who had a console open and has no live connection left. */
async function sweepDisconnected(deps: Deps, registry: ReturnType<typeof createConnectionRegistry>) {
  for (const userId of await registry.knownUsers()) await offlineIfDisconnected(deps, registry, userId)
}

export interface RunningWorkers {
  workers: Worker[]
  close(): Promise<void>
}

/**
 * One BullMQ worker per queue — the outbox queues and the timer queues — and the
 * SLA timer reconciliation every `timerSweepMs` (it also runs at once); each
 * worker finishes its jobs in flight on close().
 */
export function startWorkers(
  deps: Deps,
  log: Logger,
  opts: {
    concurrency?: number
    handlers?: HandlerRegistry
    timerSweepMs?: number
    /** How late notification work must be before the sweep does it itself. */
    notificationGraceMs?: number
  } = {},
): RunningWorkers {
  const handlers = opts.handlers ?? defaultHandlers
  checkHandlers(handlers)
  // A connection per worker (BullMQ blocks on it); BullMQ does not close connections it was given.
  const connections: Redis[] = []
  const startWorker = (queue: string, processor: (job: Job) => Promise<unknown>): Worker => {
    const connection = createRedis(deps.config.redisUrl)
    connections.push(connection)
    const worker = new Worker(queue, processor, {
      connection,
      prefix: deps.config.queuePrefix,
      concurrency: opts.concurrency ?? 5,
      lockDuration: deps.config.jobLockMs,
      stalledInterval: deps.config.jobLockMs,
    })
    worker.on('failed', (job, err) =>
      log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    )
    worker.on('error', (err) => log.error({ queue, err }, 'worker error'))
    return worker
  }
  const workers = [
    ...QUEUES.map((queue) =>
      startWorker(queue, (job) => processJob(deps, handlers, queue, job as Job<OutboxJobData>)),
    ),
    ...TIMER_QUEUES.map((queue) =>
      startWorker(queue, (job) =>
        queue === 'notification-timers' ? processNotificationTimerJob(deps, job) : processTimerJob(deps, job),
      ),
    ),
  ]
  // Redis is disposable: timers lost with it are rebuilt from PostgreSQL, late ones fired.
  let sweeping: Promise<unknown> = Promise.resolve()
  const registry = createConnectionRegistry(deps.redis, deps.config.queuePrefix)
  const sweep = () => {
    sweeping = Promise.all([
      reconcileSlaTimers(deps, log).catch((err) => log.warn({ err }, 'SLA timer reconciliation failed')),
      // Citizen notifications whose timers were lost with Redis, or are late.
      reconcileNotifications(deps, log, opts.notificationGraceMs).catch((err) =>
        log.warn({ err }, 'notification reconciliation failed'),
      ),
      // Agents whose consoles died with an API process go offline too.
      sweepDisconnected(deps, registry).catch((err) => log.warn({ err }, 'presence sweep failed')),
    ])
  }
  sweep()
  const sweeper = setInterval(sweep, opts.timerSweepMs ?? 30_000)
  return {
    workers,
    async close() {
      clearInterval(sweeper)
      await sweeping
      await Promise.all(workers.map((w) => w.close()))
      for (const c of connections) c.disconnect()
    },
  }
}
