import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
let supervisor: string
let operator: string
let officeId: number
let queueId: number

beforeAll(async () => {
  t = await createTestApp()
  officeId = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  queueId = (
    await t.deps.db
      .insertInto('queues')
      .values({ code: 'lavori-strade', name: 'Strade', officeId })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
})
afterAll(() => t.close())

const call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) })

const potholes = () => ({
  name: 'Buche stradali',
  position: 10,
  conditions: { words: { any: ['buca', 'asfalto'] } },
  actions: { queueId, officeId, priority: 'high' },
})

describe('routing rules API', () => {
  it('creates, reads, lists by position and changes rules, auditing each change', async () => {
    const created = await call('POST', '/api/v1/routing-rules', admin, potholes())
    expect(created.statusCode).toBe(201)
    const rule = created.json()
    expect(rule).toMatchObject({ name: 'Buche stradali', position: 10, enabled: true, version: 1 })
    const first = await call('POST', '/api/v1/routing-rules', admin, {
      name: 'Email PEC',
      position: 1,
      conditions: { channel: ['pec'] },
      actions: { tags: ['pec'] },
    })
    expect(first.statusCode).toBe(201)

    const got = await call('GET', `/api/v1/routing-rules/${rule.id}`, supervisor)
    expect(got.statusCode).toBe(200)
    expect(got.headers.etag).toBe('"1"')
    expect(got.json().conditions).toEqual({ words: { any: ['buca', 'asfalto'] } })

    const list = await call('GET', '/api/v1/routing-rules', supervisor)
    expect(list.statusCode).toBe(200)
    expect(list.json().map((r: { name: string }) => r.name)).toEqual(['Email PEC', 'Buche stradali'])
    expect(list.headers['content-range']).toBe('routing-rules 0-1/2')

    const changed = await call(
      'PATCH',
      `/api/v1/routing-rules/${rule.id}`,
      admin,
      { position: 0 },
      { 'if-match': '"1"' },
    )
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ position: 0, version: 2 })
    expect(changed.headers.etag).toBe('"2"')

    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'routing_rule')
      .where('entityId', '=', rule.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['routing_rule.create', 'routing_rule.update'])
  })

  it('answers 409 routing_version_conflict with the current rule on a stale version', async () => {
    const rule = (
      await call('POST', '/api/v1/routing-rules', admin, { ...potholes(), name: 'Conflitto' })
    ).json()
    expect(
      (await call('PATCH', `/api/v1/routing-rules/${rule.id}`, admin, { enabled: false, version: 1 }))
        .statusCode,
    ).toBe(200)
    const stale = await call('PATCH', `/api/v1/routing-rules/${rule.id}`, admin, {
      name: 'Altro',
      version: 1,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'routing_version_conflict',
      details: { current: { id: rule.id, enabled: false, version: 2 } },
    })
    const missing = await call('PATCH', `/api/v1/routing-rules/${rule.id}`, admin, { name: 'Altro' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.code).toBe('admin_version_required')
  })

  it('explains an invalid rule in Italian, and in English on request', async () => {
    const bad = { ...potholes(), conditions: { words: { any: ['buca'], none: ['buche'] } } }
    const it_ = await call('POST', '/api/v1/routing-rules', admin, bad)
    expect(it_.statusCode).toBe(400)
    expect(it_.json().error.code).toBe('routing_words_contradictory')
    expect(it_.json().error.message).toMatch(/sia cercata sia esclusa/)
    const en = await call('POST', '/api/v1/routing-rules', admin, bad, { 'accept-language': 'en' })
    expect(en.json().error.code).toBe('routing_words_contradictory')
    expect(en.json().error.message).not.toMatch(/sia cercata/)

    const unknown = await call('POST', '/api/v1/routing-rules', admin, {
      ...potholes(),
      conditions: { colour: 'red' },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({
      code: 'routing_rule_unknown_field',
      details: [expect.objectContaining({ path: '/conditions', code: 'routing_rule_unknown_field' })],
    })
    const noActions = await call('POST', '/api/v1/routing-rules', admin, { ...potholes(), actions: {} })
    expect(noActions.statusCode).toBe(400)
    expect(noActions.json().error.code).toBe('routing_section_empty')

    const badQueue = await call('POST', '/api/v1/routing-rules', admin, {
      ...potholes(),
      actions: { queueId: 999999 },
    })
    expect(badQueue.statusCode).toBe(400)
    expect(badQueue.json().error.code).toBe('routing_unknown_queue')
    const missing = await call('GET', '/api/v1/routing-rules/999999', admin)
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('routing_rule_not_found')
  })

  it('lets only admins write and only admins and supervisors read', async () => {
    expect((await call('POST', '/api/v1/routing-rules', supervisor, potholes())).statusCode).toBe(403)
    expect((await call('GET', '/api/v1/routing-rules', operator)).statusCode).toBe(403)
    const rule = (
      await call('POST', '/api/v1/routing-rules', admin, { ...potholes(), name: 'Permessi' })
    ).json()
    expect(
      (await call('PATCH', `/api/v1/routing-rules/${rule.id}`, supervisor, { version: 1, name: 'x' }))
        .statusCode,
    ).toBe(403)
    expect(
      (
        await call('POST', '/api/v1/routing-rules/test', operator, {
          channel: 'web',
          subject: 'x',
          text: 'y',
        })
      ).statusCode,
    ).toBe(403)
  })

  it('tests a sample message: which rule fires and why, in the caller’s language', async () => {
    const list = (await call('GET', '/api/v1/routing-rules?range=[0,99]', admin)).json() as {
      id: number
      name: string
    }[]
    const potholeRule = list.find((r) => r.name === 'Buche stradali')
    const hit = await call('POST', '/api/v1/routing-rules/test', supervisor, {
      channel: 'web',
      subject: 'Una buca enorme',
      text: 'In via Roma c’è una buca pericolosa.',
    })
    expect(hit.statusCode).toBe(200)
    const body = hit.json()
    expect(body.rule).toEqual({ id: potholeRule?.id, name: 'Buche stradali' })
    expect(body.actions).toMatchObject({ queueId, officeId, priority: 'high' })
    expect(body.explanation[0]).toMatchObject({ code: 'rule_matched' })
    expect(body.text.join(' ')).toMatch(/Applicata la regola «Buche stradali»/)

    const en = await call(
      'POST',
      '/api/v1/routing-rules/test',
      admin,
      { channel: 'phone', subject: 'Rumore', text: 'Musica alta di notte' },
      { 'accept-language': 'en' },
    )
    expect(en.statusCode).toBe(200)
    expect(en.json().rule).toBeNull()
    expect(en.json().explanation).toEqual([{ code: 'default_applied', params: {} }])
    expect(en.json().rejected.map((r: { ruleName: string }) => r.ruleName)).toContain('Buche stradali')
    expect(en.json().text.at(-1)).toMatch(/default/i)
  })
})
