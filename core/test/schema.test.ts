import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCodegen } from '../src/db/codegen.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'

// A clone, not the template itself: a connection to the template would block other files' clones.
let testDb: TestDb
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(() => testDb.drop())

describe('generated table types', () => {
  it('match the migrated schema (run `pnpm db:codegen` after adding a migration)', () => {
    const { ok, output } = runCodegen(testDb.url, true)
    expect(ok, output).toBe(true)
  })
})
