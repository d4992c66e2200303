import { createDeps, createLogger, type Deps, OutboxRelay, routeCase } from '@filo/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createOffice, createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { handlers } from '../src/handlers/index.ts'
import { startWorkers } from '../src/workers.ts'

let testDb: TestDb
let deps: Deps
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []
let roadsOffice: number
let roadsQueue: number
let otherOffice: number

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps(testDb.config, 'filo-test')
  roadsOffice = (await createOffice(deps.db, 'Lavori Pubblici')).id
  otherOffice = (await createOffice(deps.db, 'Polizia Municipale')).id
  roadsQueue = (
    await deps.db
      .insertInto('queues')
      .values({ code: 'strade', name: 'Strade', officeId: roadsOffice })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const admin = await createUser(deps.db, 'admin')
  await deps.services.routing.create(admin, {
    name: 'Buche stradali',
    position: 10,
    conditions: { words: { any: ['buca', 'asfalto'] } },
    actions: { queueId: roadsQueue, officeId: roadsOffice, priority: 'high', tags: ['strade'] },
  })
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
  const workers = startWorkers(deps, log, { handlers })
  running.push({ stop: () => workers.close() })
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, {
    pollMs: 100,
    republishAfterMs: 60_000,
  })
  await relay.start()
  running.push({ stop: () => relay.stop() })
}

const routedEvents = (caseId: number) =>
  deps.db
    .selectFrom('caseEvents')
    .selectAll()
    .where('caseId', '=', caseId)
    .where('kind', '=', 'routed')
    .execute()

const caseRow = (id: number) =>
  deps.db
    .selectFrom('cases')
    .select(['queueId', 'officeId', 'priority', 'tags', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

describe('routing new cases (case.route)', () => {
  it('routes a new case by the first matching rule and explains it on the timeline', async () => {
    await startPipeline()
    const operator = await createUser(deps.db, 'operator')
    const created = await deps.services.cases.create(operator, {
      subject: 'Buca in via Roma',
      description: 'Una buca profonda davanti al civico 12.',
      channel: 'phone',
    })
    const [event] = await waitFor(async () => {
      const events = await routedEvents(created.id)
      return events.length ? events : null
    })
    expect(event?.data).toMatchObject({
      ruleName: 'Buche stradali',
      actions: { queueId: roadsQueue, officeId: roadsOffice },
      explanation: expect.arrayContaining([expect.stringMatching(/Applicata la regola «Buche stradali»/)]),
    })
    expect(await caseRow(created.id)).toMatchObject({
      queueId: roadsQueue,
      officeId: roadsOffice,
      priority: 'high',
      tags: ['strade'],
    })
  })

  it('never overrides an office an operator chose', async () => {
    await startPipeline()
    const operator = await createUser(deps.db, 'operator')
    const created = await deps.services.cases.create(operator, {
      subject: 'Asfalto rovinato e rumore',
      channel: 'phone',
      officeId: otherOffice,
    })
    await waitFor(async () => (await routedEvents(created.id)).length > 0)
    const row = await caseRow(created.id)
    expect(row.officeId).toBe(otherOffice)
    // The rule's queue belongs to another office: it is not applied either.
    expect(row.queueId).toBeNull()
    expect(row.priority).toBe('high')
  })

  it('routes once: running the handler twice adds one event and changes nothing', async () => {
    const operator = await createUser(deps.db, 'operator')
    const created = await deps.services.cases.create(operator, { subject: 'Buca', channel: 'web' })
    const run = () =>
      deps.db
        .transaction()
        .execute((trx) => handlers['case.route']({ deps, trx, payload: { caseId: created.id }, outboxId: 0 }))
    await run()
    const after = await caseRow(created.id)
    await run()
    await deps.db.transaction().execute((trx) => routeCase(trx, created.id))
    expect(await routedEvents(created.id)).toHaveLength(1)
    expect(await caseRow(created.id)).toEqual(after)
    expect(after.version).toBe(created.version + 1)
  })
})
