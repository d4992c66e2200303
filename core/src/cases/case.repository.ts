import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely'
import { countRows } from '../db/count.ts'
import type { Executor } from '../db/db.ts'
import type { Cases, DB } from '../db/schema.gen.ts'
import { DomainError } from '../errors.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { asList, decodeCursor, encodeCursor, type ListQuery, type ListResult } from '../list.ts'
import { recordNotifiable } from '../notifications/notification.triggers.ts'
import type { CASE_SORTS, CaseEventView, CaseFilter, CaseView } from './case.schemas.ts'

/** Every column a case is read with: all but the search vector, which only the database needs. */
export const CASE_COLUMNS = [
  'id',
  'number',
  'subject',
  'description',
  'channel',
  'status',
  'priority',
  'priorityRank',
  'categoryId',
  'queueId',
  'officeId',
  'assigneeId',
  'contactId',
  'latitude',
  'longitude',
  'address',
  'civicNumber',
  'tags',
  'slaPolicyId',
  'firstResponseWarnAt',
  'firstResponseDueAt',
  'resolutionWarnAt',
  'resolutionDueAt',
  'slaPausedAt',
  'firstRespondedAt',
  'resolvedAt',
  'closedAt',
  'createdBy',
  'mergedIntoId',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Cases)[]

export type CaseRow = Pick<Selectable<Cases>, (typeof CASE_COLUMNS)[number]>
const qualified = CASE_COLUMNS.map((c) => `cases.${c}` as const)
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
    slaPolicyId: row.slaPolicyId,
    firstResponseWarnAt: iso(row.firstResponseWarnAt),
    firstResponseDueAt: iso(row.firstResponseDueAt),
    firstRespondedAt: iso(row.firstRespondedAt),
    resolutionWarnAt: iso(row.resolutionWarnAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    slaPausedAt: iso(row.slaPausedAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    createdBy: row.createdBy,
    mergedIntoId: row.mergedIntoId,
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
  return db
    .selectFrom('cases')
    .select(qualified)
    .where('id', '=', id)
    .where(visibleTo(actor))
    .executeTakeFirst()
}

const CASE_NUMBER = /^[a-z]{2,6}-\d{4}-\d{1,6}$/i

/** Contacts whose names match the words of a search (a few hundred at most: names are specific). */
async function contactsNamed(db: Executor, text: string): Promise<number[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where(
      sql<boolean>`to_tsvector('filo_it', filo_fts_text(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(organisation_name, ''))) @@ websearch_to_tsquery('filo_it', filo_fts_text(${text}))`,
    )
    .limit(500)
    .execute()
  return rows.map((r) => r.id)
}

function filtered(db: Executor, actor: Actor, filter: CaseFilter, contactIds: number[] = []) {
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
  if (filter.tags !== undefined)
    q = q.where('cases.tags', '&&', sql<string[]>`${asList(filter.tags)}::text[]`)
  if (filter.unassigned) q = q.where('cases.assigneeId', 'is', null)
  if (filter.updatedFrom) q = q.where('cases.updatedAt', '>=', new Date(filter.updatedFrom))
  if (filter.updatedTo) q = q.where('cases.updatedAt', '<', new Date(filter.updatedTo))
  if (filter.slaState) {
    // Each branch repeats the predicate of its partial index (sql/0010_sla.sql), so both are index scans.
    const running = sql<boolean>`cases.sla_paused_at is null and cases.status not in ('resolved', 'closed')`
    const breached = sql<boolean>`(${running} and (
        (cases.first_responded_at is null and cases.first_response_warn_at <= now() and cases.first_response_due_at <= now())
        or (cases.resolution_warn_at <= now() and cases.resolution_due_at <= now())))`
    const warned = sql<boolean>`(${running} and (
        (cases.first_responded_at is null and cases.first_response_warn_at <= now())
        or cases.resolution_warn_at <= now()))`
    if (filter.slaState === 'breached') q = q.where(breached)
    if (filter.slaState === 'at_risk') q = q.where(warned).where(sql<boolean>`not ${breached}`)
    if (filter.slaState === 'on_time')
      q = q.where(sql<boolean>`${running} and cases.sla_policy_id is not null and not ${warned}`)
  }
  const text = filter.q?.trim()
  if (text) {
    if (CASE_NUMBER.test(text)) {
      q = q.where('cases.number', '=', text.toUpperCase())
    } else {
      // One indexable condition (or two), so the planner can pick between walking the
      // list's order and collecting the matches from the GIN index, by how common the words are.
      const query = sql`websearch_to_tsquery('filo_it', filo_fts_text(${text}))`
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`cases.search @@ ${query}`,
          ...(contactIds.length
            ? [eb('cases.contactId', '=', sql<number>`any(${contactIds}::bigint[])`)]
            : []),
        ]),
      )
    }
  }
  return q
}

/** The column a sort reads: priority sorts by rank (urgent first when descending), not alphabetically. */
const SORT_COLUMN = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  number: 'number',
  priority: 'priorityRank',
  status: 'status',
  subject: 'subject',
  id: 'id',
} as const satisfies Record<CaseSort, keyof CaseRow>

/**
 * A page of cases: by offset (react-admin's range) or, given `after`, by keyset —
 * which costs the same on page 1 and page 40,000. The total is exact up to COUNT_CAP, estimated beyond.
 */
export async function listCases(
  db: Executor,
  actor: Actor,
  query: ListQuery<CaseFilter, CaseSort>,
): Promise<ListResult<CaseRow>> {
  const text = query.filter.q?.trim()
  const contactIds = text && !CASE_NUMBER.test(text) ? await contactsNamed(db, text) : []
  const base = filtered(db, actor, query.filter, contactIds)
  const column = SORT_COLUMN[query.sort]
  let page = base.select(qualified)
  if (query.after !== undefined) {
    const cursor = decodeCursor(query.after, query.sort, query.order)
    if (!cursor) throw new DomainError('invalid', 'invalid_cursor', 'cursor does not match this sort')
    const value = column === 'createdAt' || column === 'updatedAt' ? new Date(cursor.value) : cursor.value
    page = page.where((eb) =>
      eb(
        eb.refTuple(`cases.${column}`, 'cases.id'),
        query.order === 'desc' ? '<' : '>',
        eb.tuple(value as never, cursor.id),
      ),
    )
  }
  const [rows, count] = await Promise.all([
    page
      .orderBy(`cases.${column}`, query.order)
      .orderBy('cases.id', query.order)
      .offset(query.after === undefined ? query.offset : 0)
      .limit(query.limit)
      .execute(),
    countRows(db, base),
  ])
  const last = rows.at(-1)
  const nextCursor =
    last && rows.length === query.limit
      ? encodeCursor({
          sort: query.sort,
          order: query.order,
          value:
            last[column] instanceof Date ? last[column].toISOString() : (last[column] as string | number),
          id: last.id,
        })
      : undefined
  return { rows, ...count, nextCursor }
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
  // What the citizen must be told about is recorded with the change itself.
  if (row)
    await recordNotifiable(db, { id: row.id, caseId: event.caseId, kind: event.kind, data: event.data })
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

/** Locks a visible case for a change in `trx`; undefined when the actor cannot see it. */
export async function lockCase(trx: Executor, actor: Actor, id: number): Promise<CaseRow | undefined> {
  return trx
    .selectFrom('cases')
    .select(qualified)
    .where('id', '=', id)
    .where(visibleTo(actor))
    .forUpdate()
    .executeTakeFirst()
}

/** Where anything addressed to `caseId` belongs: the case itself, or the case it was merged into (followed to the end). */
export async function resolveMergeTarget(db: Executor, caseId: number): Promise<number> {
  const row = await sql<{ id: number }>`
    with recursive chain(id, merged_into_id, depth) as (
      select id, merged_into_id, 0 from cases where id = ${caseId}
      union all
      select c.id, c.merged_into_id, chain.depth + 1 from cases c join chain on c.id = chain.merged_into_id
      where chain.depth < 20
    )
    select id from chain where merged_into_id is null limit 1`.execute(db)
  return row.rows[0]?.id ?? caseId
}

/** The public status page of a case: the link every message to the citizen carries. */
export const statusPageUrl = (publicUrl: string, publicToken: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/stato/${publicToken}`
