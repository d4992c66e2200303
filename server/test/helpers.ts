import { type Config, createDeps, type Deps } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { TEST_PASSWORD } from '../../core/test/fixtures.ts'
import { buildApp } from '../src/app.ts'

export interface TestApp {
  app: FastifyInstance
  deps: Deps
  testDb: TestDb
  /** Logs in and returns the cookie header to send on later requests. */
  login(email: string, password?: string): Promise<string>
  close(): Promise<void>
}

/** The real API on a fresh database of its own, driven through app.inject(); `config` overrides settings (IO's address, say). */
export async function createTestApp(config: Partial<Config> = {}): Promise<TestApp> {
  const testDb = await createTestDb()
  const deps = createDeps({ ...testDb.config, ...config }, 'filo-test')
  const app = await buildApp(deps)
  await app.ready()
  return {
    app,
    deps,
    testDb,
    async login(email, password = TEST_PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      })
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
      const cookie = res.cookies.find((c) => c.name === 'filo_session')
      if (!cookie) throw new Error('no session cookie')
      return `filo_session=${cookie.value}`
    },
    async close() {
      await app.close()
      await deps.close()
      await testDb.drop()
    },
  }
}
