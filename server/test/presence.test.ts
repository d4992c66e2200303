import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
let supervisor: string
let operator: string
let agentCookie: string
let agentId: number
let officeId: number

beforeAll(async () => {
  t = await createTestApp()
  officeId = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  const agent = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
  agentId = agent.id
  agentCookie = await t.login(agent.email)
})
afterAll(() => t.close())

const call = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  cookie: string | null,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  })

describe('GET and PUT /me/presence', () => {
  it('answers 401 without a session', async () => {
    for (const [method, payload] of [
      ['GET', undefined],
      ['PUT', { state: 'available' }],
    ] as const) {
      const res = await call(method, '/api/v1/me/presence', null, payload)
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('unauthenticated')
    }
    expect((await call('GET', '/api/v1/agents', null)).statusCode).toBe(401)
  })

  it('starts offline, changes when set, and audits the change', async () => {
    const first = await call('GET', '/api/v1/me/presence', agentCookie)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ state: 'offline', changedAt: null })

    const set = await call('PUT', '/api/v1/me/presence', agentCookie, { state: 'available' })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toMatchObject({ state: 'available', changedAt: expect.any(String) })
    expect((await call('GET', '/api/v1/me/presence', agentCookie)).json().state).toBe('available')

    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'before', 'after'])
      .where('action', '=', 'presence.update')
      .where('actorId', '=', agentId)
      .execute()
    expect(audit).toEqual([
      { action: 'presence.update', before: { state: 'offline' }, after: { state: 'available' } },
    ])
  })

  it('refuses an unknown state or extra fields with a 400 naming the field, in the reader’s language', async () => {
    const bad = await call('PUT', '/api/v1/me/presence', agentCookie, { state: 'on_holiday' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({
      code: 'invalid_request',
      details: [expect.objectContaining({ path: '/body/state' })],
    })
    const english = await call(
      'PUT',
      '/api/v1/me/presence',
      agentCookie,
      { state: 'available', mood: 'great' },
      { 'accept-language': 'en' },
    )
    expect(english.statusCode).toBe(400)
    expect(english.json().error.message).toMatch(/^Invalid request/)
    const missing = await call('PUT', '/api/v1/me/presence', agentCookie, {})
    expect(missing.statusCode).toBe(400)
  })

  it('going offline reports how many cases went back to their queues', async () => {
    const other = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
    const cookie = await t.login(other.email)
    const queue = await call('POST', '/api/v1/queues', supervisor, {
      code: 'strade-presenza',
      name: 'Strade',
      officeId,
      assignmentStrategy: 'least_loaded',
      memberIds: [other.id],
    })
    expect(queue.statusCode).toBe(201)
    await t.deps.db
      .insertInto('cases')
      .values({
        number: 'PRA-2026-900001',
        subject: 'Buca',
        channel: 'phone',
        status: 'assigned',
        queueId: queue.json().id,
        officeId,
        assigneeId: other.id,
      })
      .execute()
    expect(
      (await call('PUT', '/api/v1/me/presence', cookie, { state: 'available' })).json(),
    ).not.toHaveProperty('released')
    const off = await call('PUT', '/api/v1/me/presence', cookie, { state: 'offline' })
    expect(off.statusCode).toBe(200)
    expect(off.json()).toMatchObject({ state: 'offline', released: 1 })
  })
})

describe('GET /agents', () => {
  it('is for supervisors and admins only', async () => {
    for (const cookie of [operator, agentCookie]) {
      const res = await call('GET', '/api/v1/agents', cookie)
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('forbidden')
    }
    expect((await call('GET', '/api/v1/agents', admin)).statusCode).toBe(200)
  })

  it('lists agents with presence, load, capacity and queues, filtered by queue and state', async () => {
    const member = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
    const queue = await call('POST', '/api/v1/queues', admin, {
      code: 'verde-agenti',
      name: 'Verde',
      officeId,
      assignmentStrategy: 'round_robin',
      memberIds: [member.id],
    })
    const queueId = queue.json().id
    await t.deps.db
      .insertInto('cases')
      .values(
        (['assigned', 'in_progress', 'resolved'] as const).map((status, i) => ({
          number: `PRA-2026-90010${i}`,
          subject: 'Potatura',
          channel: 'web',
          status,
          queueId,
          officeId,
          assigneeId: member.id,
        })),
      )
      .execute()

    const res = await call('GET', `/api/v1/agents?queueId=${queueId}`, supervisor)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      {
        id: member.id,
        fullName: 'Test office_staff',
        role: 'office_staff',
        state: 'offline',
        changedAt: null,
        load: 2,
        capacity: 10,
        skills: [],
        queueIds: [queueId],
      },
    ])
    const available = await call('GET', '/api/v1/agents?state=available', supervisor)
    expect(available.json().map((a: { id: number }) => a.id)).toContain(agentId)
    expect(available.json().map((a: { id: number }) => a.id)).not.toContain(member.id)

    const bad = await call('GET', '/api/v1/agents?state=sleeping', supervisor)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('invalid_request')
  })
})

describe('queue assignment settings', () => {
  it('creates and changes a queue with its strategy, release rule and members, audited and versioned', async () => {
    const a = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
    const b = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
    const created = await call('POST', '/api/v1/queues', admin, {
      code: 'segnaletica',
      name: 'Segnaletica',
      officeId,
      memberIds: [b.id, a.id],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      assignmentStrategy: 'manual',
      releaseOnOffline: true,
      memberIds: [a.id, b.id],
      version: 1,
    })
    const id = created.json().id
    const changed = await call(
      'PATCH',
      `/api/v1/queues/${id}`,
      supervisor,
      { assignmentStrategy: 'skill', releaseOnOffline: false, memberIds: [b.id] },
      { 'if-match': '"1"' },
    )
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({
      assignmentStrategy: 'skill',
      releaseOnOffline: false,
      memberIds: [b.id],
      version: 2,
    })
    const listed = await call(
      'GET',
      `/api/v1/queues?filter=${encodeURIComponent(JSON.stringify({ id }))}`,
      admin,
    )
    expect(listed.json()).toEqual([changed.json()])
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('after')
      .where('action', '=', 'queue.update')
      .where('entityId', '=', id)
      .executeTakeFirstOrThrow()
    expect(audit.after).toMatchObject({ memberIds: [b.id], assignmentStrategy: 'skill' })

    const unknown = await call(
      'PATCH',
      `/api/v1/queues/${id}`,
      admin,
      { memberIds: [999999] },
      { 'if-match': '"2"' },
    )
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({ code: 'unknown_reference' })
    expect(unknown.json().error.message).toContain('999999')
    const badStrategy = await call('PATCH', `/api/v1/queues/${id}`, admin, {
      assignmentStrategy: 'random',
      version: 2,
    })
    expect(badStrategy.statusCode).toBe(400)
  })

  it('gives categories the skills their cases require', async () => {
    const created = await call('POST', '/api/v1/categories', admin, {
      code: 'verde.alberi',
      nameIt: 'Alberi',
      nameEn: 'Trees',
      requiredSkills: ['potature', 'piattaforma'],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().requiredSkills).toEqual(['potature', 'piattaforma'])
    const dup = await call('POST', '/api/v1/categories', admin, {
      code: 'verde.siepi',
      nameIt: 'Siepi',
      nameEn: 'Hedges',
      requiredSkills: ['potature', 'potature'],
    })
    expect(dup.statusCode).toBe(400)
    const changed = await call('PATCH', `/api/v1/categories/${created.json().id}`, admin, {
      requiredSkills: [],
      version: 1,
    })
    expect(changed.json()).toMatchObject({ requiredSkills: [], version: 2 })
  })
})
