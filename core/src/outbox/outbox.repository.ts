import { sql } from 'kysely'
import Value from 'typebox/value'
import type { Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { JOBS, type JobName, type JobPayload } from '../jobs/jobs.ts'

export interface OutboxRow {
  id: number
  queue: string
  jobName: string
  payload: unknown
}

/**
 * Records that `jobName` must run, in the caller's transaction: the job exists
 * exactly when the change that caused it is committed.
 */
export async function enqueue<N extends JobName>(
  trx: Executor,
  jobName: N,
  payload: JobPayload<N>,
): Promise<number> {
  const job = JOBS[jobName]
  if (!Value.Check(job.payload, payload)) {
    throw new DomainError('invalid', 'invalid_job_payload', `payload of ${jobName} does not match its schema`)
  }
  const row = await trx
    .insertInto('outbox')
    .values({ queue: job.queue, jobName, payload: JSON.stringify(payload) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Locks up to `limit` rows that still need publishing: never published, or
 * published more than `republishAfterMs` ago and still not processed (the job
 * may have been lost with Redis). SKIP LOCKED lets several relays share the work.
 */
export async function lockPublishable(
  trx: Executor,
  limit: number,
  republishAfterMs: number,
): Promise<OutboxRow[]> {
  return trx
    .selectFrom('outbox')
    .select(['id', 'queue', 'jobName', 'payload'])
    .where('processedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb('publishedAt', 'is', null),
        eb('publishedAt', '<', sql<Date>`now() - make_interval(secs => ${republishAfterMs / 1000})`),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export async function markPublished(trx: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await trx
    .updateTable('outbox')
    .set((eb) => ({ publishedAt: sql`now()`, publishCount: eb('publishCount', '+', 1) }))
    .where('id', 'in', ids)
    .execute()
}

/** Locks one row for its consumer; null when it does not exist. */
export async function lockForProcessing(
  trx: Executor,
  id: number,
): Promise<{ processedAt: Date | null; jobName: string } | null> {
  const row = await trx
    .selectFrom('outbox')
    .select(['processedAt', 'jobName'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return row ?? null
}

export async function markProcessed(trx: Executor, id: number): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ processedAt: sql`now()`, lastError: null })
    .where('id', '=', id)
    .execute()
}

export async function recordFailure(db: Executor, id: number, message: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ lastError: message.slice(0, 2000) })
    .where('id', '=', id)
    .execute()
}
