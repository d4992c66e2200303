import type { Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { insertEvent } from './case.repository.ts'

/**
 * The first effect of the pipeline: the system confirms on the timeline that the
 * case was received and queued. Keyed so that running it twice adds one event.
 */
export async function acknowledgeCase(trx: Executor, caseId: number): Promise<void> {
  const found = await trx
    .selectFrom('cases')
    .select(['id', 'number'])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (!found)
    throw new DomainError('not_found', 'case_not_found', `case ${caseId} not found`, {
      params: { id: caseId },
    })
  await insertEvent(trx, {
    caseId,
    kind: 'acknowledged',
    actorId: null,
    data: { number: found.number },
    dedupeKey: 'acknowledged',
  })
}
