import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallService } from '../src/channels/phone/call.service.ts'
import { createCtiAdminService } from '../src/channels/phone/cti.admin.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import type { RealtimeBus } from '../src/realtime/realtime.ts'
import { createUser } from './fixtures.ts'

let testDb: TestDb
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(() => testDb.drop())

describe('the CTI webhook when Redis does not answer', () => {
  it('still answers the PBX promptly, with the call logged', async () => {
    const warnings: unknown[] = []
    // A bus whose Redis queues every command while it reconnects: publish never settles.
    const stuck = { publish: () => new Promise<string>(() => {}) } as unknown as RealtimeBus
    const calls = createCallService(testDb.db, {
      caseNumberPrefix: 'TST',
      realtime: stuck,
      log: { warn: (...args: unknown[]) => warnings.push(args) },
    })
    const admin = await createUser(testDb.db, 'admin')
    const { token } = await createCtiAdminService(testDb.db).createToken(admin, { name: 'PBX' })
    const tokenId = await calls.authenticate(token)

    const started = Date.now()
    const answer = await calls.handleEvent(tokenId, {
      event: 'newCall',
      from: '0574123456',
      to: '0574183911',
      direction: 'in',
      callId: 'redis-down-1',
    })
    expect(answer).toEqual({})
    expect(Date.now() - started).toBeLessThan(3000)
    const row = await testDb.db
      .selectFrom('calls')
      .select(['state', 'fromE164'])
      .where('externalId', '=', 'redis-down-1')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ state: 'ringing', fromE164: '+390574123456' })
    calls.close()
  })
})
