import { createDeps, createLogger, type Deps, OutboxRelay, slaTimerJobId } from '@filo/core'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { writeNewCase } from '../../core/src/cases/case.create.ts'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { startWorkers } from '../src/workers.ts'

let testDb: TestDb
let deps: Deps
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []
let categoryId: number

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps(testDb.config, 'filo-test')
  const calendar = await deps.db
    .insertInto('businessCalendars')
    .values({
      code: 'h24',
      name: 'Always open',
      settings: JSON.stringify({
        weeklyHours: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]),
        ),
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  categoryId = (
    await deps.db
      .insertInto('categories')
      .values({ code: 'urgent-things', nameIt: 'Urgenze', nameEn: 'Urgent things' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  // One minute to answer: the warning at 30 s, the breach at 60 s.
  await deps.db
    .insertInto('slaPolicies')
    .values({
      name: 'one minute',
      categoryId,
      calendarId: calendar.id,
      firstResponseMinutes: 1,
      resolutionMinutes: 600,
      warnPercent: 50,
      onWarning: JSON.stringify({ notifySupervisors: true }),
      onBreach: JSON.stringify({ notifySupervisors: true, raisePriority: true }),
    })
    .execute()
  await createUser(deps.db, 'supervisor')
})
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})
afterAll(async () => {
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await testDb.drop()
})

async function startPipeline() {
  const workers = startWorkers(deps, log, { timerSweepMs: 500 })
  running.push({ stop: () => workers.close() })
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, {
    pollMs: 100,
    republishAfterMs: 60_000,
  })
  await relay.start()
  running.push({ stop: () => relay.stop() })
}

async function stopPipeline() {
  for (const r of running.splice(0).reverse()) await r.stop()
}

/** A new case whose clock started `secondsAgo` (as if it had arrived then). */
const caseStartedAgo = (secondsAgo: number) =>
  deps.db.transaction().execute(async (trx) => {
    const row = await writeNewCase(
      trx,
      null,
      { subject: 'Albero caduto', channel: 'phone', categoryId },
      'TST',
    )
    await trx
      .updateTable('cases')
      .set({ createdAt: sql`now() - make_interval(secs => ${secondsAgo})` })
      .where('id', '=', row.id)
      .execute()
    return row.id
  })

const slaEvents = (caseId: number) =>
  deps.db
    .selectFrom('caseEvents')
    .select(['kind', 'data'])
    .where('caseId', '=', caseId)
    .where('kind', 'in', ['sla_warning', 'sla_breach'])
    .orderBy('id')
    .execute()

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('SLA timers in the workers', { timeout: 30_000 }, () => {
  it('routing starts the clock, and the delayed jobs fire the warning and the breach once each', async () => {
    await startPipeline()
    // Warning due 28 s ago (fires at once), breach in 2 s (a delayed job).
    const id = await caseStartedAgo(58)
    const fired = await waitFor(async () => {
      const events = await slaEvents(id)
      return events.length === 2 && events
    }, 15_000)
    expect(fired.map((e) => [e.kind, (e.data as { target: string }).target])).toEqual([
      ['sla_warning', 'first_response'],
      ['sla_breach', 'first_response'],
    ])
    const row = await deps.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.priority).toBe('high')
    expect(row.slaFired).toEqual(['first_response.warning', 'first_response.breach'])
    await pause(1500)
    expect(await slaEvents(id)).toHaveLength(2)
  })

  it('timers pending when Redis lost everything are scheduled again from PostgreSQL and fire once', async () => {
    await startPipeline()
    // The breach is 4 s away: its delayed job waits in Redis.
    const id = await caseStartedAgo(56)
    const at = await waitFor(async () => {
      const row = await deps.db
        .selectFrom('cases')
        .select('slaNextAt')
        .where('id', '=', id)
        .executeTakeFirst()
      // Past the warning (fired at once), waiting for the breach.
      if (!row?.slaNextAt || row.slaNextAt.getTime() < Date.now()) return null
      const job = await deps.queues['sla-timers'].getJob(slaTimerJobId(id, row.slaNextAt))
      return job && row.slaNextAt
    })
    await stopPipeline()

    // Redis loses every job and marker of this test's world.
    await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
    expect(await deps.queues['sla-timers'].getJob(slaTimerJobId(id, at))).toBeUndefined()

    await startPipeline()
    const breach = await waitFor(async () => {
      const events = await slaEvents(id)
      return events.find((e) => e.kind === 'sla_breach')
    }, 15_000)
    expect(breach.data).toMatchObject({ target: 'first_response' })
    await pause(1500)
    const events = await slaEvents(id)
    expect(events.map((e) => e.kind)).toEqual(['sla_warning', 'sla_breach'])
  })

  it('a timer whose job was lost while the workers ran is fired by the sweep', async () => {
    await startPipeline()
    const id = await caseStartedAgo(58)
    await waitFor(async () => (await slaEvents(id)).some((e) => e.kind === 'sla_warning'))
    // Remove the breach's delayed job behind the workers' back, leaving the marker in place.
    const row = await deps.db
      .selectFrom('cases')
      .select('slaNextAt')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    if (row.slaNextAt) await deps.queues['sla-timers'].remove(slaTimerJobId(id, row.slaNextAt))
    await waitFor(async () => (await slaEvents(id)).some((e) => e.kind === 'sla_breach'), 15_000)
    expect((await slaEvents(id)).map((e) => e.kind)).toEqual(['sla_warning', 'sla_breach'])
  })
})
