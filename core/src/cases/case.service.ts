import { recordAudit } from '../audit/audit.repository.ts'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import {
  findCase,
  insertEvent,
  listCases,
  listEvents,
  nextCaseNumber,
  toCaseView,
} from './case.repository.ts'
import type { CASE_SORTS, CaseEventView, CaseFilter, CaseView, CreateCaseBody } from './case.schemas.ts'

export type CaseService = ReturnType<typeof createCaseService>

const REFERENCES = [
  ['categoryId', 'categories'],
  ['queueId', 'queues'],
  ['officeId', 'offices'],
  ['contactId', 'contacts'],
] as const

const caseNotFound = (id: number) =>
  new DomainError('not_found', 'case_not_found', `case ${id} not found`, { params: { id } })

/** Cases: creation writes the case, its first timeline event and its outbox row in one transaction. */
export function createCaseService(db: Database, opts: { caseNumberPrefix: string }) {
  return {
    async create(actor: Actor, input: CreateCaseBody): Promise<CaseView> {
      if ((input.latitude === undefined) !== (input.longitude === undefined)) {
        throw new DomainError('invalid', 'coordinates_pair', 'latitude and longitude go together')
      }
      const subject = input.subject.trim()
      if (!subject) throw new DomainError('invalid', 'subject_blank', 'the subject is blank')
      const row = await db.transaction().execute(async (trx) => {
        for (const [field, table] of REFERENCES) {
          const id = input[field]
          if (id == null) continue
          const found = await trx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
          if (!found) {
            throw new DomainError('invalid', 'unknown_reference', `${field} ${id} does not exist`, {
              params: { field, id },
            })
          }
        }
        const now = new Date()
        const number = await nextCaseNumber(trx, opts.caseNumberPrefix, now.getUTCFullYear())
        const created = await trx
          .insertInto('cases')
          .values({
            number,
            subject,
            description: input.description ?? '',
            channel: input.channel,
            priority: input.priority ?? 'normal',
            categoryId: input.categoryId ?? null,
            queueId: input.queueId ?? null,
            officeId: input.officeId ?? null,
            contactId: input.contactId ?? null,
            latitude: input.latitude ?? null,
            longitude: input.longitude ?? null,
            address: input.address ?? null,
            civicNumber: input.civicNumber ?? null,
            tags: [...new Set(input.tags ?? [])],
            createdBy: actor.id,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        await insertEvent(trx, {
          caseId: created.id,
          kind: 'created',
          actorId: actor.id,
          data: { number, channel: created.channel, subject: created.subject, priority: created.priority },
        })
        await enqueue(trx, 'case.created', { caseId: created.id })
        await recordAudit(trx, actor, {
          action: 'case.create',
          entityType: 'case',
          entityId: created.id,
          after: toCaseView(created),
        })
        return created
      })
      return toCaseView(row)
    },

    async get(actor: Actor, id: number): Promise<CaseView> {
      const row = await findCase(db, actor, id)
      if (!row) throw caseNotFound(id)
      return toCaseView(row)
    },

    async list(
      actor: Actor,
      query: ListQuery<CaseFilter, (typeof CASE_SORTS)[number]>,
    ): Promise<ListResult<CaseView>> {
      const result = await listCases(db, actor, query)
      return { ...result, rows: result.rows.map(toCaseView) }
    },

    /** The timeline of a case the actor can see, oldest first. */
    async events(actor: Actor, caseId: number, ids?: number[]): Promise<CaseEventView[]> {
      const visible = await findCase(db, actor, caseId)
      if (!visible) throw caseNotFound(caseId)
      return listEvents(db, actor, caseId, ids)
    },
  }
}
