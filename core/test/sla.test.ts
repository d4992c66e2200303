import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeNewCase } from '../src/cases/case.create.ts'
import { listCases } from '../src/cases/case.repository.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import { ingest } from '../src/ingest/ingest.service.ts'
import { PRATO_CALENDAR_SETTINGS } from '../src/sla/calendar.schemas.ts'
import { fireDueTimers, matchPolicy, syncSla } from '../src/sla/sla.engine.ts'
import type { Escalation } from '../src/sla/sla.schemas.ts'
import { createOffice, createUser } from './fixtures.ts'

let testDb: TestDb
let prato: number
let allDay: number
let categories: { roads: number; potholes: number; other: number }
let queues: { first: number; escalation: number }
let supervisor: number

beforeAll(async () => {
  testDb = await createTestDb()
  const { db } = testDb
  const calendars = await db
    .insertInto('businessCalendars')
    .values([
      { code: 'prato', name: 'Prato', settings: JSON.stringify(PRATO_CALENDAR_SETTINGS) },
      {
        code: 'h24',
        name: 'Always open',
        settings: JSON.stringify({
          weeklyHours: Object.fromEntries(
            ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
              d,
              [{ from: '00:00', to: '24:00' }],
            ]),
          ),
        }),
      },
    ])
    .returning('id')
    .execute()
  prato = calendars[0]?.id ?? 0
  allDay = calendars[1]?.id ?? 0
  const roads = await db
    .insertInto('categories')
    .values({ code: 'roads', nameIt: 'Strade', nameEn: 'Roads' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const [potholes, other] = await db
    .insertInto('categories')
    .values([
      { code: 'roads.potholes', nameIt: 'Buche', nameEn: 'Potholes', parentId: roads.id },
      { code: 'other', nameIt: 'Altro', nameEn: 'Other' },
    ])
    .returning('id')
    .execute()
  categories = { roads: roads.id, potholes: potholes?.id ?? 0, other: other?.id ?? 0 }
  const office = await createOffice(db)
  const [q1, q2] = await db
    .insertInto('queues')
    .values([
      { code: 'first', name: 'First', officeId: office.id },
      { code: 'escalation', name: 'Escalation', officeId: office.id },
    ])
    .returning('id')
    .execute()
  queues = { first: q1?.id ?? 0, escalation: q2?.id ?? 0 }
  supervisor = (await createUser(db, 'supervisor')).id
})
afterAll(() => testDb.drop())

async function policy(values: {
  name?: string
  categoryId?: number | null
  priority?: string | null
  calendarId?: number
  firstResponseMinutes: number
  resolutionMinutes: number
  warnPercent?: number
  onWarning?: Escalation
  onBreach?: Escalation
}) {
  const row = await testDb.db
    .insertInto('slaPolicies')
    .values({
      name: values.name ?? 'policy',
      categoryId: values.categoryId ?? null,
      priority: values.priority ?? null,
      calendarId: values.calendarId ?? prato,
      firstResponseMinutes: values.firstResponseMinutes,
      resolutionMinutes: values.resolutionMinutes,
      warnPercent: values.warnPercent ?? 75,
      onWarning: JSON.stringify(values.onWarning ?? {}),
      onBreach: JSON.stringify(values.onBreach ?? {}),
      // Inactive unless a test says otherwise: each test picks its policy explicitly.
      active: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A case created at `createdAt`, with the given SLA policy applied at that moment. */
async function caseWithPolicy(
  policyId: number,
  createdAt: Date,
  extra: { assigneeId?: number; status?: string; priority?: string } = {},
) {
  return testDb.db.transaction().execute(async (trx) => {
    const row = await writeNewCase(
      trx,
      null,
      {
        subject: 'Buca',
        channel: 'web',
        priority: extra.priority ?? 'normal',
        queueId: queues.first,
        assigneeId: extra.assigneeId ?? null,
        status: extra.status ?? 'open',
      },
      'TST',
    )
    await trx.updateTable('cases').set({ createdAt }).where('id', '=', row.id).execute()
    await syncSla(trx, row.id, { now: createdAt, policyId })
    return row.id
  })
}

const read = (id: number) =>
  testDb.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const events = (id: number, kinds: string[]) =>
  testDb.db
    .selectFrom('caseEvents')
    .select(['kind', 'data'])
    .where('caseId', '=', id)
    .where('kind', 'in', kinds)
    .orderBy('id')
    .execute()
const sync = (id: number, now: Date, restart = false) =>
  testDb.db.transaction().execute((trx) => syncSla(trx, id, { now, restart }))
const fire = (id: number, now: Date) => testDb.db.transaction().execute((trx) => fireDueTimers(trx, id, now))
const setStatus = (id: number, status: string) =>
  testDb.db.updateTable('cases').set({ status }).where('id', '=', id).execute()

// Friday 4 December 2026, 12:00 in Rome (UTC+1). Tuesday 8 December is the Immacolata.
const FRIDAY_NOON = new Date('2026-12-04T11:00:00Z')

describe('SLA policies', () => {
  it('picks the nearest category up the tree, the exact priority before any priority, then the default', async () => {
    const { db } = testDb
    const ids = await db
      .insertInto('slaPolicies')
      .values(
        [
          { name: 'default', categoryId: null, priority: null },
          { name: 'urgent anywhere', categoryId: null, priority: 'urgent' },
          { name: 'roads', categoryId: categories.roads, priority: null },
          { name: 'potholes urgent', categoryId: categories.potholes, priority: 'urgent' },
        ].map((p) => ({ ...p, calendarId: prato, firstResponseMinutes: 60, resolutionMinutes: 600 })),
      )
      .returning(['id', 'name'])
      .execute()
    try {
      const name = async (categoryId: number | null, priority: string) =>
        (await matchPolicy(db, categoryId, priority))?.name
      expect(await name(categories.potholes, 'urgent')).toBe('potholes urgent')
      // The parent's policy covers the child before any category-wide one.
      expect(await name(categories.potholes, 'normal')).toBe('roads')
      expect(await name(categories.roads, 'urgent')).toBe('roads')
      expect(await name(categories.other, 'urgent')).toBe('urgent anywhere')
      expect(await name(categories.other, 'low')).toBe('default')
      expect(await name(null, 'normal')).toBe('default')
    } finally {
      await db
        .deleteFrom('slaPolicies')
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .execute()
    }
  })

  it('one active policy per category and priority', async () => {
    const values = { name: 'x', categoryId: categories.other, priority: 'low', calendarId: prato }
    const targets = { firstResponseMinutes: 10, resolutionMinutes: 20 }
    await testDb.db
      .insertInto('slaPolicies')
      .values({ ...values, ...targets })
      .execute()
    await expect(
      testDb.db
        .insertInto('slaPolicies')
        .values({ ...values, ...targets })
        .execute(),
    ).rejects.toMatchObject({ constraint: 'sla_policies_scope_idx' })
    await testDb.db.deleteFrom('slaPolicies').where('categoryId', '=', categories.other).execute()
  })
})

describe('SLA deadlines on the business calendar', () => {
  it('counts opening hours only, skips the weekend and the Immacolata, warns at the share set', async () => {
    const id = await caseWithPolicy(
      await policy({ firstResponseMinutes: 540, resolutionMinutes: 600 }),
      FRIDAY_NOON,
    )
    const row = await read(id)
    // 60 min on Friday, 270 on Monday, none on Tuesday 8th, then 210 of Wednesday: 12:00 in Rome.
    expect(row.firstResponseDueAt?.toISOString()).toBe('2026-12-09T11:00:00.000Z')
    // 405 minutes: 330 by Monday 13:00, 75 more on Wednesday: 09:45.
    expect(row.firstResponseWarnAt?.toISOString()).toBe('2026-12-09T08:45:00.000Z')
    // 600 minutes end exactly at Wednesday's closing time, 13:00.
    expect(row.resolutionDueAt?.toISOString()).toBe('2026-12-09T12:00:00.000Z')
    expect(row.slaNextAt?.toISOString()).toBe('2026-12-09T08:45:00.000Z')
    const [applied] = await events(id, ['sla_applied'])
    expect(applied?.data).toMatchObject({ resolutionDueAt: '2026-12-09T12:00:00.000Z' })
    // Syncing again with nothing changed writes nothing.
    await sync(id, new Date('2026-12-07T09:00:00Z'))
    expect(await events(id, ['sla_applied'])).toHaveLength(1)
    expect((await read(id)).version).toBe(row.version)
  })

  it('stands still while the case waits for the citizen, by the business time it waited', async () => {
    const id = await caseWithPolicy(
      await policy({ firstResponseMinutes: 60, resolutionMinutes: 600 }),
      FRIDAY_NOON,
    )
    // First response given; resolution has run 60 min on Friday and 90 on Monday by 10:00.
    await testDb.db.updateTable('cases').set({ firstRespondedAt: FRIDAY_NOON }).where('id', '=', id).execute()
    await setStatus(id, 'waiting_citizen')
    await sync(id, new Date('2026-12-07T09:00:00Z'))
    let row = await read(id)
    expect(row.slaPausedAt?.toISOString()).toBe('2026-12-07T09:00:00.000Z')
    expect(row.slaNextAt).toBeNull()

    // Breach time passes while paused: nothing fires.
    expect(await fire(id, new Date('2026-12-09T12:30:00Z'))).toEqual([])

    // The citizen answers on Wednesday 10:30: 180 + 120 business minutes paused; 450 remain:
    // 150 on Wednesday, 270 on Thursday morning, 30 on Thursday afternoon → 15:00 in Rome.
    await setStatus(id, 'in_progress')
    await sync(id, new Date('2026-12-09T09:30:00Z'))
    row = await read(id)
    expect(row.slaPausedAt).toBeNull()
    expect(row.resolutionPausedMinutes).toBe(300)
    expect(row.resolutionDueAt?.toISOString()).toBe('2026-12-10T14:00:00.000Z')
    const [resumed] = await events(id, ['sla_resumed'])
    expect(resumed?.data).toMatchObject({ pausedBusinessMinutes: 300 })
  })

  it('does not move a deadline that had already passed when the case started waiting', async () => {
    const id = await caseWithPolicy(
      await policy({ calendarId: allDay, firstResponseMinutes: 30, resolutionMinutes: 60 }),
      new Date('2026-11-16T10:00:00Z'),
    )
    await setStatus(id, 'waiting_citizen')
    await sync(id, new Date('2026-11-16T10:45:00Z'))
    await setStatus(id, 'in_progress')
    await sync(id, new Date('2026-11-16T12:45:00Z'))
    const row = await read(id)
    // First response was breached at 10:30, before the pause: it stays. Resolution had 15 min left: 13:00.
    expect(row.firstResponseDueAt?.toISOString()).toBe('2026-11-16T10:30:00.000Z')
    expect(row.resolutionDueAt?.toISOString()).toBe('2026-11-16T13:00:00.000Z')
  })
})

describe('SLA timers and escalation', () => {
  it('fires each timer once, in order, and escalates as the policy says', async () => {
    const agent = await createUser(testDb.db, 'office_staff')
    const policyId = await policy({
      calendarId: allDay,
      firstResponseMinutes: 60,
      resolutionMinutes: 120,
      warnPercent: 50,
      onWarning: { notifySupervisors: true },
      onBreach: { notifySupervisors: true, raisePriority: true, moveToQueueId: queues.escalation },
    })
    const created = new Date('2026-11-16T08:00:00Z')
    const id = await caseWithPolicy(policyId, created, { assigneeId: agent.id, status: 'assigned' })

    // 08:45: only the first-response warning (08:30) is due.
    expect(await fire(id, new Date('2026-11-16T08:45:00Z'))).toEqual(['first_response.warning'])
    expect(await fire(id, new Date('2026-11-16T08:45:00Z'))).toEqual([])
    let row = await read(id)
    expect(row.slaNextAt?.toISOString()).toBe('2026-11-16T09:00:00.000Z')
    expect(row.priority).toBe('normal')

    // 10:30, long after: the first-response breach (09:00), the resolution warning (09:00) and breach (10:00).
    expect(await fire(id, new Date('2026-11-16T10:30:00Z'))).toEqual([
      'first_response.breach',
      'resolution.warning',
      'resolution.breach',
    ])
    row = await read(id)
    // One step per breach, as if each had fired on time (normal → high → urgent); moved to the
    // escalation queue, back from its agent.
    expect(row.priority).toBe('urgent')
    expect(row.queueId).toBe(queues.escalation)
    expect(row.assigneeId).toBeNull()
    expect(row.status).toBe('open')
    expect(row.slaNextAt).toBeNull()
    // The running policy stays, though the priority changed.
    expect(row.slaPolicyId).toBe(policyId)
    // The escalation queue assigns it again; the agent's queues may give them other work.
    const jobs = await testDb.db
      .selectFrom('outbox')
      .select(['jobName', 'payload'])
      .where('jobName', 'in', ['case.assign', 'queue.dispatch'])
      .execute()
    expect(jobs).toContainEqual({ jobName: 'case.assign', payload: { caseId: id } })
    expect(await fire(id, new Date('2026-11-16T11:00:00Z'))).toEqual([])

    const timeline = await events(id, ['sla_warning', 'sla_breach', 'escalated'])
    expect(timeline.map((e) => e.kind)).toEqual([
      'sla_warning',
      'sla_breach',
      'sla_warning',
      'sla_breach',
      'escalated',
    ])
    const notified = await testDb.db
      .selectFrom('staffNotifications')
      .select(['userId', 'kind'])
      .where('caseId', '=', id)
      .orderBy('id')
      .execute()
    // Four timers, each to the supervisor and the agent holding the case then.
    expect(notified.filter((n) => n.userId === supervisor)).toHaveLength(4)
    expect(notified.filter((n) => n.userId === agent.id)).toHaveLength(4)
  })

  it('a reopened case gets a new resolution clock, whose timers fire again', async () => {
    const policyId = await policy({ calendarId: allDay, firstResponseMinutes: 60, resolutionMinutes: 120 })
    const id = await caseWithPolicy(policyId, new Date('2026-11-17T08:00:00Z'))
    await testDb.db
      .updateTable('cases')
      .set({ firstRespondedAt: new Date('2026-11-17T08:10:00Z') })
      .where('id', '=', id)
      .execute()
    expect(await fire(id, new Date('2026-11-17T11:00:00Z'))).toEqual([
      'resolution.warning',
      'resolution.breach',
    ])
    await setStatus(id, 'resolved')
    await sync(id, new Date('2026-11-17T12:00:00Z'))
    expect((await read(id)).slaNextAt).toBeNull()

    await setStatus(id, 'open')
    await sync(id, new Date('2026-11-18T09:00:00Z'), true)
    const row = await read(id)
    expect(row.resolutionDueAt?.toISOString()).toBe('2026-11-18T11:00:00.000Z')
    expect(row.slaFired).toEqual([])
    expect(await fire(id, new Date('2026-11-18T11:00:00Z'))).toEqual([
      'resolution.warning',
      'resolution.breach',
    ])
  })

  it('lists cases at risk and breached from the deadline columns', async () => {
    const policyId = await policy({ calendarId: allDay, firstResponseMinutes: 600, resolutionMinutes: 1200 })
    const now = Date.now()
    const minutesAgo = (m: number) => new Date(now - m * 60_000)
    // Warned at 450 min of 600, not breached; breached past 600; fresh.
    const atRisk = await caseWithPolicy(policyId, minutesAgo(500))
    const breached = await caseWithPolicy(policyId, minutesAgo(700))
    const fresh = await caseWithPolicy(policyId, minutesAgo(10))
    const paused = await caseWithPolicy(policyId, minutesAgo(700))
    await setStatus(paused, 'waiting_citizen')
    await sync(paused, new Date())
    const admin = await createUser(testDb.db, 'admin')
    const ids = async (slaState: 'at_risk' | 'breached' | 'on_time') => {
      const { rows } = await listCases(testDb.db, admin, {
        filter: { slaState, id: [atRisk, breached, fresh, paused] },
        sort: 'id',
        order: 'asc',
        offset: 0,
        limit: 10,
      })
      return rows.map((r) => r.id)
    }
    expect(await ids('at_risk')).toEqual([atRisk])
    expect(await ids('breached')).toEqual([breached])
    expect(await ids('on_time')).toEqual([fresh])
  })
})

describe('messages on cases with a clock', () => {
  const opts = { caseNumberPrefix: 'TST' }
  let seq = 0
  const message = (extra: Record<string, unknown> = {}) => ({
    channel: 'email' as const,
    externalId: `<sla-${++seq}@mail.example>`,
    threadKey: 'thread-sla',
    sender: { email: 'cittadina@example.it', name: 'Anna Bianchi' },
    subject: 'Lampione spento',
    text: 'Il lampione è ancora spento.',
    receivedAt: '2026-11-18T10:00:00Z',
    ...extra,
  })

  it('a citizen answering a case that waits for them puts it back in progress; an auto-reply does not', async () => {
    const first = await ingest(testDb.db, message({ threadKey: 'waiting' }), opts)
    await setStatus(first.caseId, 'waiting_citizen')
    const auto = await ingest(testDb.db, message({ threadKey: 'waiting', autoReply: true }), opts)
    expect(auto).toMatchObject({ outcome: 'threaded', caseId: first.caseId })
    expect((await read(first.caseId)).status).toBe('waiting_citizen')
    await ingest(testDb.db, message({ threadKey: 'waiting' }), opts)
    expect((await read(first.caseId)).status).toBe('in_progress')
    const jobs = await testDb.db
      .selectFrom('outbox')
      .select('payload')
      .where('jobName', '=', 'case.message_received')
      .execute()
    // The auto-reply tells nobody.
    expect(jobs.filter((j) => (j.payload as { caseId: number }).caseId === first.caseId)).toHaveLength(1)
  })

  it('reopens a closed case, or opens a linked follow-up, by policy', async () => {
    const first = await ingest(testDb.db, message({ threadKey: 'closed' }), opts)
    await setStatus(first.caseId, 'closed')
    const reopened = await ingest(testDb.db, message({ threadKey: 'closed' }), opts)
    expect(reopened).toMatchObject({ outcome: 'threaded', caseId: first.caseId, reopened: true })
    expect((await read(first.caseId)).status).toBe('open')
    expect((await events(first.caseId, ['reopened']))[0]?.data).toMatchObject({ cause: 'citizen_message' })

    await setStatus(first.caseId, 'closed')
    const followUp = await ingest(testDb.db, message({ threadKey: 'closed' }), {
      ...opts,
      closedCasePolicy: 'follow_up',
    })
    expect(followUp.outcome).toBe('follow_up')
    expect(followUp.caseId).not.toBe(first.caseId)
    expect((await read(first.caseId)).status).toBe('closed')
    const link = await testDb.db
      .selectFrom('caseLinks')
      .select(['fromCaseId', 'toCaseId', 'kind'])
      .where('toCaseId', '=', followUp.caseId)
      .executeTakeFirstOrThrow()
    expect(link).toEqual({ fromCaseId: first.caseId, toCaseId: followUp.caseId, kind: 'related' })
    // The thread now continues on the follow-up.
    const next = await ingest(testDb.db, message({ threadKey: 'closed' }), opts)
    expect(next).toMatchObject({ outcome: 'threaded', caseId: followUp.caseId })
  })

  it('threads into the case the channel named, following merges', async () => {
    const target = await ingest(testDb.db, message({ threadKey: 'a' }), opts)
    const merged = await ingest(testDb.db, message({ threadKey: 'b' }), opts)
    await testDb.db
      .updateTable('cases')
      .set({ mergedIntoId: target.caseId, status: 'closed' })
      .where('id', '=', merged.caseId)
      .execute()
    const result = await ingest(testDb.db, message({ threadKey: 'c', threadCaseId: merged.caseId }), opts)
    expect(result).toMatchObject({ outcome: 'threaded', caseId: target.caseId })
    const unknown = await ingest(testDb.db, message({ threadKey: 'd', threadCaseId: 999_999 }), opts)
    expect(unknown.outcome).toBe('created')
  })
})
