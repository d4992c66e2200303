import type { Insertable } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Executor } from '../db/db.ts'
import type { Cases } from '../db/schema.gen.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import { CASE_COLUMNS, type CaseRow, insertEvent, nextCaseNumber, toCaseView } from './case.repository.ts'

/** What a new case is made of; its number, author and timestamps are added here. */
export type NewCaseValues = Omit<Insertable<Cases>, 'number' | 'createdBy' | 'id' | 'search' | 'priorityRank'>

/**
 * Every write a new case needs, in the caller's transaction, whoever opens it (a staff
 * member through the API, or the system through ingest, `actor` null): the yearly
 * number, the row, its first timeline event, the outbox row that starts the pipeline,
 * and the audit entry.
 */
export async function writeNewCase(
  trx: Executor,
  actor: Actor | null,
  values: NewCaseValues,
  caseNumberPrefix: string,
): Promise<CaseRow> {
  const number = await nextCaseNumber(trx, caseNumberPrefix, new Date().getUTCFullYear())
  const created = await trx
    .insertInto('cases')
    .values({ ...values, number, createdBy: actor?.id ?? null })
    .returning(CASE_COLUMNS)
    .executeTakeFirstOrThrow()
  await insertEvent(trx, {
    caseId: created.id,
    kind: 'created',
    actorId: actor?.id ?? null,
    data: { number, channel: created.channel, subject: created.subject, priority: created.priority },
  })
  await enqueue(trx, 'case.created', { caseId: created.id })
  await enqueue(trx, 'case.route', { caseId: created.id })
  await recordAudit(trx, actor, {
    action: 'case.create',
    entityType: 'case',
    entityId: created.id,
    after: toCaseView(created),
  })
  return created
}
