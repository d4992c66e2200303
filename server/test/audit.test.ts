import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
let operator: string
let operatorId: number
beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  const op = await createUser(t.deps.db, 'operator')
  operatorId = op.id
  operator = await t.login(op.email)
})
afterAll(() => t.close())

describe('audit log', () => {
  it('records who created a case, from where, with the created state', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: operator, 'x-request-id': 'req-audit-0001' },
      payload: { subject: 'Graffiti sul muro della scuola', channel: 'email' },
    })
    const id = created.json().id
    const res = await t.app.inject({
      url: '/api/v1/audit-log',
      headers: { cookie: admin },
      query: { filter: JSON.stringify({ entityType: 'case', entityId: id }) },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      expect.objectContaining({
        action: 'case.create',
        actorId: operatorId,
        actorName: 'Test operator',
        requestId: 'req-audit-0001',
        ip: '127.0.0.1',
        before: null,
        after: expect.objectContaining({ id, subject: 'Graffiti sul muro della scuola' }),
      }),
    ])
  })

  it('is for administrators only', async () => {
    const res = await t.app.inject({ url: '/api/v1/audit-log', headers: { cookie: operator } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('forbidden')
  })

  it('cannot be changed or emptied, not even by the database owner', async () => {
    const { n } = await t.deps.db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(n).toBeGreaterThan(0)
    await expect(sql`update audit_log set action = 'case.forged'`.execute(t.deps.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`delete from audit_log`.execute(t.deps.db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(t.deps.db)).rejects.toThrow(/append-only/)
    const after = await t.deps.db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(n)
  })
})
