import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDeps, type Deps } from '@filo/core'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeNewCase } from '../../core/src/cases/case.create.ts'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
let testDb: TestDb
let deps: Deps
const children: ChildProcess[] = []

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps(testDb.config, 'filo-test')
})
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await testDb.drop()
})

/** A real worker process (relay and workers), as `pnpm workers` starts it. */
function startWorkerProcess(): { child: ChildProcess; output: () => string } {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: testDb.url,
      REDIS_URL: testDb.config.redisUrl,
      QUEUE_PREFIX: testDb.config.queuePrefix,
      LOG_LEVEL: 'warn',
      // A dead worker's job goes to another after 2 s instead of 30.
      JOB_LOCK_MS: '2000',
    },
  })
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  children.push(child)
  return { child, output: () => output }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))

describe('a worker killed in the middle of a job', { timeout: 90_000 }, () => {
  it('the job is retried by another worker and its effects happen once', async () => {
    const caseId = await deps.db.transaction().execute(async (trx) => {
      const row = await writeNewCase(trx, null, { subject: 'Buca in via Roma', channel: 'web' }, 'TST')
      return row.id
    })

    // Hold the case's row so the routing job blocks half-way, inside its transaction.
    let release = () => {}
    const released = new Promise<void>((r) => {
      release = r
    })
    let locked = () => {}
    const isLocked = new Promise<void>((r) => {
      locked = r
    })
    const holder = deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute()
      locked()
      await released
    })
    await isLocked

    const first = startWorkerProcess()
    // The routing job is running: its transaction waits on our lock.
    await waitFor(async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'filo-workers' and wait_event_type = 'Lock'`.execute(
        deps.db,
      )
      return (rows[0]?.n ?? 0) > 0
    }, 60_000)

    first.child.kill('SIGKILL')
    await exited(first.child)
    release()
    await holder

    // Nothing of the killed job's transaction survived.
    const routedNow = await deps.db
      .selectFrom('caseEvents')
      .select('id')
      .where('caseId', '=', caseId)
      .where('kind', '=', 'routed')
      .execute()
    expect(routedNow).toHaveLength(0)

    const second = startWorkerProcess()
    await waitFor(async () => {
      const row = await deps.db
        .selectFrom('outbox')
        .select('processedAt')
        .where('jobName', '=', 'case.route')
        .where(sql<boolean>`(payload->>'caseId')::bigint = ${caseId}`)
        .executeTakeFirst()
      return row?.processedAt
    }, 60_000)
    // Time for a duplicate delivery to show itself, if there were one.
    await new Promise((r) => setTimeout(r, 2500))

    const events = await deps.db
      .selectFrom('caseEvents')
      .select('kind')
      .where('caseId', '=', caseId)
      .where('kind', 'in', ['routed', 'acknowledged', 'sla_applied'])
      .execute()
    expect(events.map((e) => e.kind).sort()).toEqual(['acknowledged', 'routed'].sort())
    second.child.kill('SIGTERM')
    await exited(second.child)
    expect(second.output()).not.toMatch(/"level":(50|60)/)
  })
})
