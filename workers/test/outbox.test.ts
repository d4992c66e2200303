import {
  createDeps,
  createLogger,
  type Deps,
  type OutboxJobData,
  OutboxRelay,
  publishBatch,
} from '@filo/core'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { handlers } from '../src/handlers/index.ts'
import type { HandlerRegistry } from '../src/job-handler.ts'
import { checkHandlers, type RunningWorkers, startWorkers } from '../src/workers.ts'

let testDb: TestDb
let deps: Deps
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps(testDb.config, 'filo-test')
})
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})
afterAll(async () => {
  await flushOurRedis()
  await deps.close()
  await testDb.drop()
})

const flushOurRedis = () => deleteRedisPrefix(deps.redis, deps.config.queuePrefix)

async function newCase(subject = 'Lampione spento in Via Roma') {
  const actor = await createUser(deps.db, 'operator')
  return deps.services.cases.create(actor, { subject, channel: 'phone' })
}

const ackEvents = (caseId: number) =>
  deps.db
    .selectFrom('caseEvents')
    .selectAll()
    .where('caseId', '=', caseId)
    .where('kind', '=', 'acknowledged')
    .execute()

const outboxRowOf = (caseId: number) =>
  deps.db
    .selectFrom('outbox')
    .selectAll()
    .where('jobName', '=', 'case.created')
    .where(sql<boolean>`payload->>'caseId' = ${String(caseId)}`)
    .executeTakeFirstOrThrow()

function startAll(opts: { republishAfterMs?: number; registry?: HandlerRegistry } = {}): RunningWorkers {
  const workers = startWorkers(deps, log, { handlers: opts.registry ?? handlers })
  running.push({ stop: () => workers.close() })
  return workers
}

async function startRelay(republishAfterMs = 60_000): Promise<OutboxRelay> {
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, { pollMs: 100, republishAfterMs })
  await relay.start()
  running.push({ stop: () => relay.stop() })
  return relay
}

describe('outbox relay and consumer', () => {
  it('carries a new case to its consumer, which acknowledges it on the timeline', async () => {
    startAll()
    await startRelay()
    const created = await newCase()
    const [event] = await waitFor(async () => {
      const events = await ackEvents(created.id)
      return events.length ? events : null
    })
    expect(event).toMatchObject({ actorId: null, data: { number: created.number } })
    const row = await outboxRowOf(created.id)
    expect(row.publishedAt).not.toBeNull()
    expect(row.processedAt).not.toBeNull()
  })

  it('still delivers, exactly once, when Redis is flushed before the relay runs', async () => {
    const created = await newCase()
    await flushOurRedis()
    startAll()
    await startRelay()
    await waitFor(async () => (await outboxRowOf(created.id)).processedAt)
    expect(await ackEvents(created.id)).toHaveLength(1)
  })

  it('republishes a job Redis lost after it was published, and it takes effect exactly once', async () => {
    const created = await newCase()
    // The relay publishes while no worker runs; then Redis loses everything.
    expect(
      await publishBatch(deps.db, deps.queues, { batchSize: 100, republishAfterMs: 60_000 }),
    ).toBeGreaterThan(0)
    expect((await outboxRowOf(created.id)).publishedAt).not.toBeNull()
    await flushOurRedis()
    expect(await deps.queues['case-events'].getJobCounts('waiting')).toEqual({ waiting: 0 })

    startAll()
    await startRelay(200) // a published row unprocessed for 200 ms is published again
    const row = await waitFor(async () => {
      const r = await outboxRowOf(created.id)
      return r.processedAt ? r : null
    })
    expect(row.publishCount).toBeGreaterThanOrEqual(2)
    expect(await ackEvents(created.id)).toHaveLength(1)
  })

  it('ignores a duplicate delivery of a job already processed', async () => {
    startAll()
    await startRelay()
    const created = await newCase()
    const row = await waitFor(async () => {
      const r = await outboxRowOf(created.id)
      return r.processedAt ? r : null
    })
    // The same outbox row delivered again under another job id (as after a Redis restore).
    const job = await deps.queues['case-events'].add(
      'case.created',
      { outboxId: row.id, payload: { caseId: created.id } } satisfies OutboxJobData,
      {
        jobId: `replay-${row.id}`,
      },
    )
    await waitFor(async () => (await job.getState()) === 'completed')
    expect(await job.getState()).toBe('completed')
    expect(await ackEvents(created.id)).toHaveLength(1)
  })

  it('retries a transient failure and still applies the effect once', async () => {
    let calls = 0
    startAll({
      registry: {
        ...handlers,
        'case.created': async (ctx) => {
          calls++
          if (calls === 1) throw new Error('database hiccup')
          await handlers['case.created'](ctx)
        },
      },
    })
    await startRelay()
    const created = await newCase()
    await waitFor(async () => (await outboxRowOf(created.id)).processedAt, 8000)
    expect(calls).toBe(2)
    expect(await ackEvents(created.id)).toHaveLength(1)
  })

  it('fails a job with an invalid payload at once, without retrying', async () => {
    startAll()
    const queue = deps.queues['case-events']
    const job = await queue.add(
      'case.created',
      { outboxId: 1, payload: { caseId: 'seven' } },
      { jobId: 'bad-payload' },
    )
    await waitFor(async () => (await job.getState()) === 'failed')
    const failed = await queue.getJob('bad-payload')
    expect(failed?.attemptsMade).toBe(1)
    expect(failed?.failedReason).toMatch(/payload of case.created is invalid: \/caseId/)
  })

  it('refuses to start when a job name has no handler', () => {
    const { 'case.created': _, ...incomplete } = handlers
    expect(() => checkHandlers(incomplete)).toThrow(/missing case.created/)
    expect(() => checkHandlers({ ...handlers, 'case.vanished': async () => {} })).toThrow(
      /unknown case.vanished/,
    )
  })
})
