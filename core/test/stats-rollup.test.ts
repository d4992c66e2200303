import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Database } from '../src/db/db.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import type { Actor } from '../src/iam/iam.schemas.ts'
import { countFromCases } from '../src/stats/stats.direct.ts'
import type { StatsBucket } from '../src/stats/stats.schemas.ts'
import { createStatsService } from '../src/stats/stats.service.ts'
import { createOffice, createUser } from './fixtures.ts'

/**
 * The dashboard's rollups (sql/0019) against the cases they summarise: after inserts,
 * moves between offices, categories, channels, days and statuses, merges, deletes, bulk
 * statements and concurrent transactions, the rollup tables hold exactly what a count of
 * the cases gives, and the dashboard's answers equal the direct count from cases for
 * ranges and instants around Rome's DST changes (30 March and 26 October 2025).
 */

let testDb: TestDb
let db: Database
let supervisor: Actor
/** Two call-centre operators and an office clerk: who opened a case and who acted on it. */
let operators: number[]
let clerk: number
let offices: number[]
let categories: number[]
const CHANNELS = ['phone', 'email', 'pec', 'web', 'counter'] as const
const OPEN = ['new', 'open', 'assigned', 'in_progress', 'waiting_citizen'] as const
let caseNo = 0

// A small deterministic PRNG: the same cases on every run, so a failure can be replayed.
let seed = 20250330
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed / 2 ** 31
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
const maybe = <T>(x: T): T | null => (random() < 0.2 ? null : x)

/** Instants around the two DST changes of 2025 in Rome, a few ordinary days, and around now. */
const INSTANTS = [
  '2025-03-29T22:59:59Z', // 23:59:59 CET on the 29th
  '2025-03-29T23:00:00Z', // midnight of the 30th, the 23-hour day
  '2025-03-30T00:59:59Z', // 01:59:59 CET, just before the clock jumps
  '2025-03-30T01:00:00Z', // 03:00 CEST
  '2025-03-30T21:59:59Z', // 23:59:59 CEST, the last second of the 30th
  '2025-03-30T22:00:00Z', // midnight of the 31st
  '2025-10-25T21:59:59Z', // 23:59:59 CEST on the 25th
  '2025-10-25T22:00:00Z', // midnight of the 26th, the 25-hour day
  '2025-10-26T00:30:00Z', // 02:30 CEST, first time round
  '2025-10-26T01:30:00Z', // 02:30 CET, second time round
  '2025-10-26T22:59:59Z', // 23:59:59 CET, the last second of the 26th
  '2025-10-26T23:00:00Z', // midnight of the 27th
  '2025-06-15T10:00:00Z',
  '2025-12-31T22:59:59Z', // the last second of 2025 in Rome
  '2025-12-31T23:00:00Z', // the first of 2026
].map((iso) => new Date(iso))

const nearNow = () => new Date(Date.now() + (random() - 0.5) * 40 * 86_400_000)
const someInstant = () => {
  const base = random() < 0.6 ? pick(INSTANTS) : nearNow()
  // Mostly exactly on an edge, otherwise up to two days either side of it.
  return random() < 0.4 ? base : new Date(base.getTime() + (random() - 0.5) * 4 * 86_400_000)
}
const after = (d: Date, hours: number) => new Date(d.getTime() + hours * 3_600_000)

function caseValues() {
  const createdAt = someInstant()
  const resolutionDueAt = random() < 0.8 ? after(createdAt, random() * 96) : null
  const firstResponseDueAt = random() < 0.8 ? after(createdAt, random() * 24) : null
  const done = random() < 0.5
  return {
    number: `T-${++caseNo}`,
    subject: 'Caso di prova',
    channel: pick(CHANNELS),
    status: done ? pick(['resolved', 'closed'] as const) : pick(OPEN),
    categoryId: maybe(pick(categories)),
    officeId: maybe(pick(offices)),
    createdAt,
    resolutionDueAt,
    firstResponseDueAt,
    resolvedAt: done ? after(createdAt, random() * 120) : null,
    firstRespondedAt: random() < 0.6 ? after(createdAt, random() * 30) : null,
    createdBy: random() < 0.7 ? pick(operators) : maybe(clerk),
  }
}

const EVENT_KINDS = ['resolved', 'resolved', 'note', 'reopened', 'created'] as const

/** Timeline events for cases: resolutions by the opener or someone else, sooner or later, notes, reopenings. */
async function insertEvents(caseIds: number[], on: Database = db) {
  const cases = await on
    .selectFrom('cases')
    .select(['id', 'createdAt', 'createdBy'])
    .where('id', 'in', caseIds)
    .execute()
  const values = cases.flatMap((c) =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const kind = pick(EVENT_KINDS)
      const actorId = random() < 0.7 ? c.createdBy : pick([clerk, ...operators, null])
      return {
        caseId: c.id,
        kind: kind === 'resolved' ? 'status_changed' : kind,
        actorId,
        data: JSON.stringify(kind === 'resolved' ? { from: 'new', to: 'resolved' } : {}),
        // Within the first-contact window or after it, the 30th minute exactly included.
        createdAt: after(new Date(c.createdAt), pick([0.1, 0.5, 29 / 60, 0.5, 2])),
      }
    }),
  )
  if (values.length) await on.insertInto('caseEvents').values(values).execute()
}

async function insertCases(count: number, on: Database = db): Promise<number[]> {
  const rows = await on
    .insertInto('cases')
    .values(Array.from({ length: count }, caseValues))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** The rollups recounted from cases; rows of zero in the tables are no rows at all. */
async function expectRollupsExact() {
  const diff = await sql<{ rollup: string; row: string }>`
    with opened as (
      select (created_at at time zone 'Europe/Rome')::date as day, channel, category_id, office_id
        from cases where merged_into_id is null
    ), expected_volumes as (
      select day, 'channel' as dimension, channel, null::bigint as category_id, null::bigint as office_id,
             count(*)::int as cases from opened group by 1, 3
      union all
      select day, 'category', null, category_id, null, count(*)::int from opened group by 1, 4
      union all
      select day, 'office', null, null, office_id, count(*)::int from opened group by 1, 5
    ), volumes as (
      select day, dimension, channel, category_id, office_id, sum(cases)::int as cases
        from case_volume_days group by 1, 2, 3, 4, 5 having sum(cases) <> 0
    ), deadlines as (
      select x.deadline, (x.due at time zone 'Europe/Rome')::date as day, c.office_id,
             count(*) filter (where x.done <= x.due)::int as met,
             count(*) filter (where x.done > x.due)::int as late,
             count(*) filter (where x.done is null)::int as undone
        from cases c
        cross join lateral (values ('resolution', c.resolution_due_at, c.resolved_at),
                                   ('first_response', c.first_response_due_at, c.first_responded_at)) x (deadline, due, done)
       where c.merged_into_id is null and x.due is not null
       group by 1, 2, 3
    ), stored_deadlines as (
      select deadline, day, office_id, sum(met)::int as met, sum(late)::int as late, sum(undone)::int as undone
        from case_deadline_days group by 1, 2, 3 having (sum(met), sum(late), sum(undone)) <> (0, 0, 0)
    ), backlog as (
      select (created_at at time zone 'Europe/Rome')::date as day, count(*)::int as cases,
             count(*) filter (where assignee_id is null)::int as unassigned
        from cases
       where merged_into_id is null
         and status in ('new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party')
       group by 1
    ), first_contact as (
      select (c.created_at at time zone 'Europe/Rome')::date as day, c.created_by, count(*)::int as eligible,
             count(*) filter (where exists (
                 select 1 from case_events r
                  where r.case_id = c.id and r.kind = 'status_changed' and r.data->>'to' = 'resolved'
                    and r.actor_id = c.created_by and r.created_at <= c.created_at + interval '30 minutes'
                    and not exists (select 1 from case_events o
                                     where o.case_id = c.id and o.id < r.id
                                       and o.actor_id is not null and o.actor_id <> c.created_by))
               and not exists (select 1 from case_events x where x.case_id = c.id and x.kind = 'reopened'))::int as resolved
        from cases c
       where c.merged_into_id is null and c.created_by is not null
       group by 1, 2
    ), stored_first_contact as (
      select day, created_by, sum(eligible)::int as eligible, sum(resolved)::int as resolved
        from case_first_contact_days group by 1, 2 having (sum(eligible), sum(resolved)) <> (0, 0)
    ), stored_backlog as (
      select day, sum(cases)::int as cases, sum(unassigned)::int as unassigned
        from case_backlog_days group by 1 having (sum(cases), sum(unassigned)) <> (0, 0)
    )
    select 'volumes' as rollup, row(d.*)::text as row
      from ((select * from expected_volumes except all select * from volumes)
            union all (select * from volumes except all select * from expected_volumes)) d
    union all
    select 'deadlines', row(d.*)::text
      from ((select * from deadlines except all select * from stored_deadlines)
            union all (select * from stored_deadlines except all select * from deadlines)) d
    union all
    select 'backlog', row(d.*)::text
      from ((select * from backlog except all select * from stored_backlog)
            union all (select * from stored_backlog except all select * from backlog)) d
    union all
    select 'first contact', row(d.*)::text
      from ((select * from first_contact except all select * from stored_first_contact)
            union all (select * from stored_first_contact except all select * from first_contact)) d`.execute(
    db,
  )
  expect(diff.rows).toEqual([])
}

/** Folds the appended rows, then checks the rollups again: one row per key, the same sums. */
async function expectFoldedExact() {
  await expectRollupsExact()
  await sql`select case_rollups_compact()`.execute(db)
  const duplicated = await sql<{ n: string }>`
    select (select count(*) from (select 1 from case_volume_days group by day, dimension, channel, category_id, office_id
                                  having count(*) > 1) v)
         + (select count(*) from (select 1 from case_deadline_days group by deadline, day, office_id
                                  having count(*) > 1) d)
         + (select count(*) from (select 1 from case_backlog_days group by day having count(*) > 1) b)
         + (select count(*) from (select 1 from case_first_contact_days group by day, created_by
                                  having count(*) > 1) f) as n`.execute(db)
  expect(Number(duplicated.rows[0]?.n)).toBe(0)
  await expectRollupsExact()
}

const RANGES: { from: string; to: string }[] = [
  { from: '2025-03-29', to: '2025-03-31' },
  { from: '2025-03-30', to: '2025-03-30' },
  { from: '2025-10-26', to: '2025-10-26' },
  { from: '2025-10-20', to: '2025-11-02' },
  { from: '2025-01-01', to: '2025-12-31' },
  { from: '2025-06-01', to: '2026-05-31' },
]
const BUCKETS: StatsBucket[] = ['day', 'week', 'month']

/** Every answer of the rollup-based service equals the direct count, for many ranges and instants. */
async function expectSameAnswers() {
  const stats = createStatsService(db)
  const direct = countFromCases(db)
  const today = new Date()
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  const ranges = [...RANGES, { from: day(-45), to: day(45) }, { from: day(0), to: day(0) }]
  const instants = [...INSTANTS, today, new Date(today.getTime() - 86_400_000), after(today, 5)]
  for (const range of ranges)
    for (const bucket of BUCKETS) {
      const query = { ...range, bucket }
      for (const by of ['channel', 'category', 'office'] as const)
        expect(await stats.volumes(supervisor, { ...query, by }, 'en')).toEqual(
          await direct.volumes({ ...query, by }, 'en'),
        )
      expect(await stats.firstContact(supervisor, query)).toEqual(await direct.firstContact(query))
      // SLA judged from inside the range (its deadlines today split by the hour) and outside it.
      for (const now of [today, ...INSTANTS.filter((_, i) => i % 3 === 0)])
        expect(await stats.sla(supervisor, query, 'it', now)).toEqual(await direct.sla(query, 'it', now))
    }
  for (const now of instants) {
    // Ages are counted back from instants whose boundaries fall on DST days and edges.
    for (const shift of [0, 86_400_000, 3 * 86_400_000, 7 * 86_400_000, 14 * 86_400_000, 30 * 86_400_000]) {
      const at = new Date(now.getTime() + shift)
      expect(await stats.backlog(supervisor, at)).toEqual(await direct.backlog(at))
    }
  }
}

beforeAll(async () => {
  testDb = await createTestDb()
  db = testDb.db
  supervisor = await createUser(db, 'supervisor')
  operators = [(await createUser(db, 'operator')).id, (await createUser(db, 'operator')).id]
  clerk = (await createUser(db, 'office_staff')).id
  offices = []
  for (const name of ['Lavori Pubblici', 'Ambiente', 'Anagrafe'])
    offices.push((await createOffice(db, name)).id)
  categories = []
  for (const [i, office] of offices.entries()) {
    const row = await db
      .insertInto('categories')
      .values({ code: `cat-${i}`, nameIt: `Categoria ${i}`, nameEn: `Category ${i}`, officeId: office })
      .returning('id')
      .executeTakeFirstOrThrow()
    categories.push(row.id)
  }
})
afterAll(() => testDb.drop())

describe('dashboard rollups', () => {
  it('count inserted cases by their Rome day, across both DST changes', async () => {
    await insertEvents(await insertCases(300))
    // One by one too: the trigger works per statement, whatever its size.
    for (let i = 0; i < 20; i++) await insertEvents(await insertCases(1))
    await expectFoldedExact()
    const stats = createStatsService(db)
    // 23:59:59 CET on 29 March and 23:59:59 CEST on 30 March are different days.
    const edge = await db
      .insertInto('cases')
      .values([
        { number: 'EDGE-1', subject: 'x', channel: 'field', createdAt: new Date('2025-03-29T22:59:59Z') },
        { number: 'EDGE-2', subject: 'x', channel: 'field', createdAt: new Date('2025-03-30T21:59:59Z') },
        { number: 'EDGE-3', subject: 'x', channel: 'field', createdAt: new Date('2025-10-26T22:59:59Z') },
      ])
      .returning('id')
      .execute()
    const field = async (from: string, to: string) =>
      (await stats.volumes(supervisor, { from, to, bucket: 'day', by: 'channel' })).points.filter(
        (p) => p.key === 'field',
      )
    expect(await field('2025-03-29', '2025-03-30')).toEqual([
      { period: '2025-03-29', key: 'field', count: 1 },
      { period: '2025-03-30', key: 'field', count: 1 },
    ])
    expect(await field('2025-10-26', '2025-10-27')).toEqual([
      { period: '2025-10-26', key: 'field', count: 1 },
    ])
    await db
      .deleteFrom('cases')
      .where(
        'id',
        'in',
        edge.map((e) => e.id),
      )
      .execute()
    await expectSameAnswers()
  })

  it('move a case between offices, categories, channels, days and statuses', async () => {
    const ids = await insertCases(60)
    for (const id of ids) {
      const next = caseValues()
      const change = pick([
        { officeId: maybe(pick(offices)) },
        { categoryId: maybe(pick(categories)), officeId: maybe(pick(offices)) },
        { channel: next.channel },
        { createdAt: next.createdAt },
        { status: next.status, resolvedAt: next.resolvedAt },
        { assigneeId: random() < 0.5 ? supervisor.id : null, status: pick(OPEN) },
        { resolutionDueAt: next.resolutionDueAt, firstRespondedAt: next.firstRespondedAt },
        { priority: 'high' as const },
      ])
      await db.updateTable('cases').set(change).where('id', '=', id).execute()
    }
    // Reopened: resolved cases back to open, without their resolution.
    await db
      .updateTable('cases')
      .set({ status: 'open', resolvedAt: null })
      .where('id', 'in', ids.slice(0, 10))
      .execute()
    // One statement moving many cases, some of them back and forth between two keys.
    await db
      .updateTable('cases')
      .set((eb) => ({
        officeId: eb
          .case()
          .when('officeId', '=', offices[0] as number)
          .then(offices[1] as number)
          .else(offices[0] as number)
          .end(),
        createdAt: sql`created_at + interval '1 hour'`,
      }))
      .where('id', '>', ids[20] as number)
      .execute()
    await expectRollupsExact()
    await expectSameAnswers()
    await expectFoldedExact()
    await expectSameAnswers()
  })

  it('judge first contact again when a timeline, an opening or a role changes', async () => {
    const ids = await insertCases(60)
    await insertEvents(ids)
    await expectRollupsExact()
    // The opening moved by a quarter of an hour either way: resolutions enter or leave the window.
    await db
      .updateTable('cases')
      .set({ createdAt: sql`created_at + interval '15 minutes'` })
      .where('id', 'in', ids.slice(0, 10))
      .execute()
    await db
      .updateTable('cases')
      .set({ createdAt: sql`created_at - interval '15 minutes'` })
      .where('id', 'in', ids.slice(10, 20))
      .execute()
    // Another opener: the resolution is no longer theirs, or becomes theirs.
    await db
      .updateTable('cases')
      .set({ createdBy: operators[1] as number })
      .where('id', 'in', ids.slice(20, 30))
      .execute()
    await db
      .updateTable('cases')
      .set({ createdBy: null })
      .where('id', '=', ids[30] as number)
      .execute()
    await expectRollupsExact()
    // Reopened, a colleague's note before the resolution, the resolution written by another.
    await db
      .insertInto('caseEvents')
      .values(ids.slice(31, 40).map((caseId) => ({ caseId, kind: 'reopened', actorId: clerk })))
      .execute()
    const events = await db
      .selectFrom('caseEvents')
      .select(['id', 'caseId'])
      .where('caseId', 'in', ids.slice(40))
      .orderBy('id')
      .execute()
    await db
      .updateTable('caseEvents')
      .set({ actorId: clerk })
      .where(
        'id',
        'in',
        events.filter((_, i) => i % 3 === 0).map((e) => e.id),
      )
      .execute()
    await db
      .deleteFrom('caseEvents')
      .where(
        'id',
        'in',
        events.filter((_, i) => i % 3 === 1).map((e) => e.id),
      )
      .execute()
    // A case deleted with its timeline.
    await db.deleteFrom('cases').where('id', 'in', ids.slice(55)).execute()
    await expectFoldedExact()
    // Both counts have something to agree on: some cases resolved at first contact, some not.
    const year = await countFromCases(db).firstContact({
      from: '2025-01-01',
      to: '2025-12-31',
      bucket: 'month',
    })
    expect(year.total.resolved).toBeGreaterThan(0)
    expect(year.total.eligible).toBeGreaterThan(year.total.resolved)
    // An operator who becomes a supervisor no longer opens call-centre cases, in either count.
    await db
      .updateTable('staffUsers')
      .set({ role: 'supervisor' })
      .where('id', '=', operators[0] as number)
      .execute()
    await expectSameAnswers()
    await db
      .updateTable('staffUsers')
      .set({ role: 'operator' })
      .where('id', '=', operators[0] as number)
      .execute()
    await expectSameAnswers()
  })

  it('leave merged and deleted cases out, and count them again when unmerged', async () => {
    const [target, ...duplicates] = await insertCases(12)
    await db
      .updateTable('cases')
      .set({ mergedIntoId: target as number, status: 'closed' })
      .where('id', 'in', duplicates.slice(0, 6))
      .execute()
    await expectRollupsExact()
    await db
      .updateTable('cases')
      .set({ mergedIntoId: null, status: 'open' })
      .where('id', '=', duplicates[0] as number)
      .execute()
    await db.deleteFrom('cases').where('id', 'in', duplicates.slice(6)).execute()
    // A statement that changes nothing the rollups count, and one that changes no row.
    await db.updateTable('cases').set({ priority: 'low' }).execute()
    await db.updateTable('cases').set({ priority: 'low' }).where('id', '<', 0).execute()
    await expectFoldedExact()
    await expectSameAnswers()
  })

  it('stay exact under concurrent transactions writing the same days and keys', async () => {
    // More connections than the test database's pool, so the transactions really overlap.
    const wide = createDb(testDb.url, { poolSize: 12, applicationName: 'filo-test-concurrent' })
    try {
      const ids = await insertCases(80)
      // The next statement folds the rollups while the others append to them.
      await sql`select setval('case_rollup_statements', 499)`.execute(db)
      const sameKey = { channel: 'web' as const, officeId: offices[2] as number, categoryId: null }
      const fixed = new Date('2025-10-26T00:30:00Z')
      const work: Promise<unknown>[] = Array.from({ length: 24 }, (_, i) =>
        wide.transaction().execute(async (trx) => {
          if (i % 3 === 0) {
            // New cases on one day and key: every writer upserts the same rollup rows.
            await trx
              .insertInto('cases')
              .values({
                ...caseValues(),
                ...sameKey,
                createdAt: fixed,
                resolutionDueAt: after(fixed, 30),
                status: 'new',
              })
              .execute()
          } else {
            // Moves of different cases, each in its own transaction, onto and off the same key.
            const id = ids[i] as number
            await trx
              .updateTable('cases')
              .set(
                i % 2
                  ? { ...sameKey, createdAt: fixed }
                  : { officeId: offices[0] as number, status: 'resolved' },
              )
              .where('id', '=', id)
              .execute()
          }
          await sql`select pg_sleep(${random() * 0.05})`.execute(trx)
          // The same case again, in the same transaction: its first move is moved once more.
          await trx
            .updateTable('cases')
            .set({ assigneeId: supervisor.id, status: 'assigned' })
            .where('id', '=', ids[40 + i] as number)
            .where('mergedIntoId', 'is', null)
            .execute()
        }),
      )
      // Timelines written at once for the same cases: a resolution by the opener and a
      // reopening or a colleague's note, each in its own transaction.
      const contested = ids.slice(24, 32)
      for (const [k, kind] of ['resolved', 'reopened', 'note', 'resolved'].entries())
        work.push(
          wide.transaction().execute(async (trx) => {
            const cases = await trx
              .selectFrom('cases')
              .select(['id', 'createdAt', 'createdBy'])
              .where('id', 'in', contested)
              .execute()
            await trx
              .insertInto('caseEvents')
              .values(
                cases.map((c) => ({
                  caseId: c.id,
                  kind: kind === 'resolved' ? 'status_changed' : kind,
                  actorId: k === 2 ? clerk : c.createdBy,
                  data: JSON.stringify(kind === 'resolved' ? { to: 'resolved' } : {}),
                  createdAt: after(new Date(c.createdAt), 0.2),
                })),
              )
              .execute()
            await sql`select pg_sleep(${random() * 0.05})`.execute(trx)
          }),
        )
      // Bulk statements racing the transactions for the rows they move (disjoint from each
      // other: two statements locking overlapping rows in different orders deadlock with or
      // without rollups).
      work.push(
        wide
          .updateTable('cases')
          .set({ officeId: offices[1] as number })
          .where('id', 'in', ids.slice(40, 60))
          .execute(),
        wide.updateTable('cases').set({ createdAt: fixed }).where('id', 'in', ids.slice(60, 80)).execute(),
      )
      const results = await Promise.allSettled(work)
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
      // The 500th statement came and folded amid the others.
      const { rows } = await sql<{ n: string }>`select last_value as n from case_rollup_statements`.execute(
        db,
      )
      expect(Number(rows[0]?.n)).toBeGreaterThan(500)
      await expectFoldedExact()
      await expectSameAnswers()
    } finally {
      await wide.destroy()
    }
  })

  it('are cleared when cases are truncated', async () => {
    await sql`truncate cases cascade`.execute(db)
    await expectFoldedExact()
    const { n } = await db
      .selectFrom('caseVolumeDays')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBe(0)
  })
})
