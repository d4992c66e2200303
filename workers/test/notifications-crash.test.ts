import { createDeps, createLogger, type Deps, fiscalCodeCheckChar, OutboxRelay } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { type Run, run, testEnv } from '../../server/test/spawn.ts'
import { type RunningWorkers, startWorkers } from '../src/workers.ts'

/**
 * A real worker process (`pnpm workers`) is SIGKILLed the moment IO has accepted a
 * notification, before the 201 reaches it. Another worker takes over: it never
 * sends the message again, and says on the timeline that delivery is uncertain.
 */
let testDb: TestDb
let deps: Deps
let io: FakeIo
let worker: Run | undefined
let workers: RunningWorkers | undefined
let relay: OutboxRelay | undefined
const log = createLogger({ logLevel: 'silent' }, 'test')

beforeAll(async () => {
  testDb = await createTestDb()
  io = await startFakeIo()
  deps = createDeps(
    { ...testDb.config, ioApiUrl: io.url, ioApiKey: io.key, notificationDigestSeconds: 0 },
    'filo-test',
  )
})
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await relay?.stop()
  await workers?.close()
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await io.stop()
  await testDb.drop()
})

describe('a worker killed after IO accepted a notification', { timeout: 90_000 }, () => {
  it('is not followed by a second message: the next worker marks the notification uncertain', async () => {
    const first15 = 'VRDNNA80A41G999'
    const cf = `${first15}${fiscalCodeCheckChar(first15)}`
    io.profiles.set(cf, { senderAllowed: true })
    const admin = await createUser(deps.db, 'admin')
    const contact = await deps.db
      .insertInto('contacts')
      .values({ kind: 'person', firstName: 'Anna', lastName: 'Verdi', fiscalCode: cf })
      .returning('id')
      .executeTakeFirstOrThrow()

    const proc = run('workers/src/main.ts', {
      ...testEnv(testDb),
      IO_API_URL: io.url,
      IO_API_KEY: io.key,
      NOTIFICATION_DIGEST_SECONDS: '0',
    })
    worker = proc
    io.onAccepted = async () => {
      proc.child.kill('SIGKILL')
      await proc.exited
    }
    const kase = await deps.services.cases.create(admin, {
      subject: 'Buca',
      channel: 'phone',
      contactId: contact.id,
    })
    await waitFor(async () => io.messages.length === 1, 60_000).catch((err) => {
      throw new Error(`${(err as Error).message}\n${proc.output()}`)
    })
    await proc.exited
    io.onAccepted = null
    const row = await deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('caseId', '=', kase.id)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('sending')

    workers = startWorkers(deps, log, { timerSweepMs: 300, notificationGraceMs: 0 })
    relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, { pollMs: 100 })
    await relay.start()
    await waitFor(
      async () =>
        (
          await deps.db
            .selectFrom('notifications')
            .select('state')
            .where('id', '=', row.id)
            .executeTakeFirst()
        )?.state === 'uncertain',
      20_000,
    )
    await new Promise((r) => setTimeout(r, 2000))
    expect(io.messages).toHaveLength(1)
    const events = await deps.services.cases.events(admin, kase.id)
    expect(events.filter((e) => e.kind === 'notification_uncertain')).toHaveLength(1)
    expect(events.filter((e) => e.kind === 'notification_sent')).toHaveLength(0)
  })
})
