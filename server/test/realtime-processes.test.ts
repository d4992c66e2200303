import { createDb, createDeps } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, TEST_PASSWORD } from '../../core/test/fixtures.ts'
import { freePort, type Run, ready, run, testEnv, until } from './spawn.ts'

let testDb: TestDb
const processes: Run[] = []
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL')
  const deps = createDeps(testDb.config, 'filo-test')
  await deleteRedisPrefix(deps.redis, testDb.config.queuePrefix)
  await deps.close()
  await testDb.drop()
})

describe('realtime across processes', { timeout: 120_000 }, () => {
  it('two API processes on one Redis: an event produced through one reaches a console connected to the other', async () => {
    const db = createDb(testDb.url, { poolSize: 1 })
    const operator = await createUser(db, 'operator')
    await db.destroy()

    const ports = [await freePort(), await freePort()]
    for (const port of ports)
      processes.push(run('server/src/main.ts', { ...testEnv(testDb), PORT: String(port) }))
    const workers = run('workers/src/main.ts', testEnv(testDb))
    processes.push(workers)
    await Promise.all(ports.map((port) => ready(port, 90_000)))
    await until(() => workers.output().includes('Filo workers started'), 90_000)
    const [first, second] = ports

    const login = await fetch(`http://127.0.0.1:${first}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: operator.email, password: TEST_PASSWORD }),
    })
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? ''
    const ws = new WebSocket(`ws://127.0.0.1:${second}/api/v1/ws`, { headers: { cookie } })
    const messages: { type: string; event?: { type: string; data: Record<string, unknown> } }[] = []
    ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())))
    await until(() => messages.some((m) => m.type === 'welcome'), 30_000)

    const created = await fetch(`http://127.0.0.1:${first}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ subject: 'Semaforo guasto in viale Piave', channel: 'phone' }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: number }
    await until(
      () => messages.some((m) => m.event?.type === 'case.created' && m.event.data.caseId === id),
      30_000,
    )
    // The worker's acknowledgement travels the same way.
    await until(
      () => messages.some((m) => m.event?.data.kind === 'acknowledged' && m.event.data.caseId === id),
      30_000,
    )
    ws.close()
  })
})
