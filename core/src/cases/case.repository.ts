import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely'
import type { Executor } from '../db/db.ts'
import type { Cases, DB } from '../db/schema.gen.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { asList, COUNT_CAP, type ListQuery, type ListResult } from '../list.ts'
import type { CASE_SORTS, CaseEventView, CaseFilter, CaseView } from './case.schemas.ts'

export type CaseRow = Selectable<Cases>
type CaseSort = (typeof CASE_SORTS)[number]

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null)

export function toCaseView(row: CaseRow): CaseView {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    description: row.description,
    channel: row.channel as CaseView['channel'],
    status: row.status as CaseView['status'],
    priority: row.priority as CaseView['priority'],
    categoryId: row.categoryId,
    queueId: row.queueId,
    officeId: row.officeId,
    assigneeId: row.assigneeId,
    contactId: row.contactId,
    latitude: row.latitude,
    longitude: row.longitude,
    address: row.address,
    civicNumber: row.civicNumber,
    tags: row.tags,
    firstResponseDueAt: iso(row.firstResponseDueAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  }
}

/**
 * Which cases an actor may see, as a WHERE clause: office staff their offices'
 * cases, field workers the cases they reported or were assigned; the call
 * centre, supervisors and admins every case.
 */
export function visibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'cases'>): Expression<SqlBool> => {
    switch (actor.role) {
      case 'office_staff':
        return actor.officeIds.length > 0 ? eb('cases.officeId', 'in', actor.officeIds) : eb.val(false)
      case 'field_worker':
        return eb.or([eb('cases.createdBy', '=', actor.id), eb('cases.assigneeId', '=', actor.id)])
      default:
        return eb.val(true)
    }
  }
}

/** Hands out the next case number of `year`; the counter row lock keeps numbers gap-free. */
export async function nextCaseNumber(trx: Executor, prefix: string, year: number): Promise<string> {
  const { lastValue } = await trx
    .insertInto('caseNumberCounters')
    .values({ year, lastValue: 1 })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({ lastValue: eb('caseNumberCounters.lastValue', '+', 1) })),
    )
    .returning('lastValue')
    .executeTakeFirstOrThrow()
  return `${prefix}-${year}-${String(lastValue).padStart(6, '0')}`
}

export async function findCase(db: Executor, actor: Actor, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).where(visibleTo(actor)).executeTakeFirst()
}

function filtered(db: Executor, actor: Actor, filter: CaseFilter) {
  let q = db.selectFrom('cases').where(visibleTo(actor))
  for (const column of ['id', 'officeId', 'queueId', 'categoryId', 'assigneeId', 'contactId'] as const) {
    const value = filter[column]
    if (value !== undefined) q = q.where(`cases.${column}`, 'in', asList(value))
  }
  for (const column of ['status', 'priority', 'channel'] as const) {
    const value = filter[column]
    if (value !== undefined) q = q.where(`cases.${column}`, 'in', asList<string>(value))
  }
  if (filter.createdFrom) q = q.where('cases.createdAt', '>=', new Date(filter.createdFrom))
  if (filter.createdTo) q = q.where('cases.createdAt', '<', new Date(filter.createdTo))
  const text = filter.q?.trim()
  if (text) {
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) =>
      eb.or([eb('cases.number', '=', text.toUpperCase()), eb('cases.subject', 'ilike', pattern)]),
    )
  }
  return q
}

export async function listCases(
  db: Executor,
  actor: Actor,
  query: ListQuery<CaseFilter, CaseSort>,
): Promise<ListResult<CaseRow>> {
  const base = filtered(db, actor, query.filter)
  const [rows, count] = await Promise.all([
    base
      .selectAll('cases')
      .orderBy(`cases.${query.sort}`, query.order)
      .orderBy('cases.id', query.order)
      .offset(query.offset)
      .limit(query.limit)
      .execute(),
    db
      .selectFrom(
        base
          .select(sql.lit(1).as('one'))
          .limit(COUNT_CAP + 1)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: Math.min(count.n, COUNT_CAP), exact: count.n <= COUNT_CAP }
}

export interface NewEvent {
  caseId: number
  kind: string
  actorId: number | null
  data: Record<string, unknown>
  /** Set by workers: the same key twice on a case adds one event. */
  dedupeKey?: string
}

/** Adds a timeline event; returns its id, or null when its dedupe key was already used. */
export async function insertEvent(db: Executor, event: NewEvent): Promise<number | null> {
  const row = await db
    .insertInto('caseEvents')
    .values({
      caseId: event.caseId,
      kind: event.kind,
      actorId: event.actorId,
      data: JSON.stringify(event.data),
      dedupeKey: event.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.columns(['caseId', 'dedupeKey']).where('dedupeKey', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export async function listEvents(
  db: Executor,
  actor: Actor,
  caseId: number,
  ids?: number[],
): Promise<CaseEventView[]> {
  let q = db
    .selectFrom('caseEvents as e')
    .innerJoin('cases', 'cases.id', 'e.caseId')
    .leftJoin('staffUsers as u', 'u.id', 'e.actorId')
    .select(['e.id', 'e.caseId', 'e.kind', 'e.actorId', 'u.fullName as actorName', 'e.data', 'e.createdAt'])
    .where('e.caseId', '=', caseId)
    .where(visibleTo(actor))
    .orderBy('e.id')
  if (ids) q = q.where('e.id', 'in', ids)
  const rows = await q.execute()
  return rows.map((r) => ({
    ...r,
    data: (r.data ?? {}) as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
  }))
}
