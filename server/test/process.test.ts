import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { freePort, ready, run, testEnv, until } from './spawn.ts'

let testDb: TestDb
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(() => testDb.drop())

const env = () => testEnv(testDb)

// Each test starts real processes: on a loaded 2-core machine start-up alone can take many seconds.
describe('processes', { timeout: 90_000 }, () => {
  it('the API refuses to start on a malformed variable and names it', async () => {
    const api = run('server/src/main.ts', { ...env(), PORT: 'eighty', REDIS_URL: 'nope' })
    expect(await api.exited).toBe(1)
    expect(api.output()).toContain('PORT must be a whole number from 1 to 65535 (got "eighty")')
    expect(api.output()).toContain('REDIS_URL must be a URL')
  })

  it('the API serves /readyz and exits cleanly on SIGTERM', async () => {
    const port = await freePort()
    const api = run('server/src/main.ts', { ...env(), PORT: String(port) })
    await ready(port)
    const readiness = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()
    expect(readiness).toEqual({ status: 'ready', postgres: true, redis: true })
    api.child.kill('SIGTERM')
    expect(await api.exited).toBe(0)
    expect(api.output()).toContain('shutting down')
  })

  it('the workers start, then stop on SIGTERM after finishing what they hold', async () => {
    const workers = run('workers/src/main.ts', env())
    await until(() => workers.output().includes('Filo workers started'), 60_000)
    workers.child.kill('SIGTERM')
    const code = await workers.exited
    expect(code, workers.output()).toBe(0)
    expect(workers.output()).toContain('finishing jobs in flight')
  })
})
