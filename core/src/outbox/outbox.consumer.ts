import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { lockForProcessing, markProcessed } from './outbox.repository.ts'

export type ConsumeOutcome = 'done' | 'duplicate'

/**
 * Runs a job's effect exactly once per outbox row: the row is locked, skipped if
 * already processed, and marked processed in the same transaction as the effect.
 * A job delivered twice (republished after a Redis loss, or retried) changes nothing the second time.
 */
export async function consumeOutboxRow(
  db: Database,
  outboxId: number,
  effect: (trx: Executor) => Promise<void>,
): Promise<ConsumeOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await lockForProcessing(trx, outboxId)
    if (!row) throw new DomainError('not_found', 'not_found', `outbox row ${outboxId} does not exist`)
    if (row.processedAt) return 'duplicate'
    await effect(trx)
    await markProcessed(trx, outboxId)
    return 'done'
  })
}
