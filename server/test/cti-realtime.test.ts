import { createDeps, type Deps } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import {
  createOffice,
  createUser,
  deleteRedisPrefix,
  TEST_PASSWORD,
  waitFor,
} from '../../core/test/fixtures.ts'
import { buildApp } from '../src/app.ts'
import { FakePbx } from './fake-pbx.ts'

/**
 * A call from the fake PBX to one API process, seen by consoles connected over
 * websockets to another: the ringing on the queue, the screen-pop for the one who
 * answered only, the end.
 */
let testDb: TestDb
const nodes: { deps: Deps; app: FastifyInstance; url: string }[] = []
let queueId: number
let token: string
const staff: Record<'alice' | 'bob' | 'office' | 'admin', { id: number; email: string }> = {} as never

beforeAll(async () => {
  testDb = await createTestDb()
  for (let i = 0; i < 2; i++) {
    const deps = createDeps(testDb.config, `filo-test-${i}`)
    const app = await buildApp(deps)
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    nodes.push({ deps, app, url })
  }
  const db = (nodes[0] as (typeof nodes)[number]).deps.db
  const officeId = (await createOffice(db, 'Tributi')).id
  staff.admin = await createUser(db, 'admin')
  staff.alice = await createUser(db, 'operator')
  staff.bob = await createUser(db, 'operator')
  staff.office = await createUser(db, 'office_staff', { officeIds: [officeId] })
  await db.updateTable('staffUsers').set({ extension: '201' }).where('id', '=', staff.alice.id).execute()
  await db.updateTable('staffUsers').set({ extension: '202' }).where('id', '=', staff.bob.id).execute()
  queueId = (
    await db
      .insertInto('queues')
      .values({ code: 'call-centre', name: 'Call centre unico' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const admin = await login(staff.admin.email)
  const res = await fetch(`${base(0)}/api/v1/cti-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ name: 'Centralino' }),
  })
  token = ((await res.json()) as { token: string }).token
}, 60_000)

afterAll(async () => {
  for (const node of nodes) await node.app.close()
  await deleteRedisPrefix((nodes[0] as (typeof nodes)[number]).deps.redis, testDb.config.queuePrefix)
  for (const node of nodes) await node.deps.close()
  await testDb.drop()
})

const base = (i: number) => (nodes[i] as (typeof nodes)[number]).url

async function login(email: string): Promise<string> {
  const res = await fetch(`${base(0)}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (!res.ok || !cookie) throw new Error(`login failed: ${res.status}`)
  return cookie
}

interface Event {
  type: string
  data: Record<string, unknown>
}

/** A console on node `on`, subscribed to the call-centre queue when it may be. */
async function connect(on: number, email: string) {
  const ws = new WebSocket(`${base(on).replace('http', 'ws')}/api/v1/ws`, {
    headers: { cookie: await login(email) },
  })
  const messages: { type: string; event?: Event; queues?: number[] }[] = []
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  await waitFor(async () => messages.find((m) => m.type === 'welcome'))
  ws.send(JSON.stringify({ type: 'subscribe', queues: [queueId] }))
  const subscribed = await waitFor(async () => messages.find((m) => m.type === 'subscribed'))
  const events = () => messages.flatMap((m) => (m.type === 'event' && m.event ? [m.event] : []))
  const about = (type: string, callId: string) =>
    events().filter((e) => e.type === type && (e.data.call as { externalId?: string }).externalId === callId)
  return {
    subscribed: subscribed.queues ?? [],
    about,
    next: (type: string, callId: string) => waitFor(async () => about(type, callId)[0]),
    close: () => ws.close(),
  }
}

describe('call events over websockets', { timeout: 30_000 }, () => {
  it('ring the queue, pop the caller up for the operator who answered only, and end for everyone', async () => {
    const alice = await connect(1, staff.alice.email)
    const bob = await connect(1, staff.bob.email)
    const office = await connect(0, staff.office.email)
    expect(alice.subscribed).toEqual([queueId])
    expect(office.subscribed).toEqual([])

    const pbx = new FakePbx((nodes[0] as (typeof nodes)[number]).app, token, { baseUrl: base(0) })
    const call = pbx.call('0574654321', '0574183911', { queue: 'call-centre' })
    await call.ring(['Alice', 'Bob'])
    expect((await alice.next('call.ringing', call.callId)).data.call).toMatchObject({ state: 'ringing' })
    await bob.next('call.ringing', call.callId)

    await call.answer('201')
    const pop = await alice.next('call.screen_pop', call.callId)
    expect(pop.data).toMatchObject({ recognition: 'unknown', newCase: { channel: 'phone', contactId: null } })
    await bob.next('call.answered', call.callId)

    await call.answer('202')
    await bob.next('call.screen_pop', call.callId)
    await call.hangup('normalClearing')
    await alice.next('call.ended', call.callId)
    await bob.next('call.ended', call.callId)

    // Every event is in by now: Alice's pop went to her only, Bob's to him only.
    expect(alice.about('call.screen_pop', call.callId)).toHaveLength(1)
    expect(bob.about('call.screen_pop', call.callId)).toHaveLength(1)
    expect(bob.about('call.screen_pop', call.callId)[0]?.data.call).toMatchObject({
      operatorId: staff.bob.id,
    })
    for (const type of ['call.ringing', 'call.screen_pop', 'call.answered', 'call.ended']) {
      expect(office.about(type, call.callId), type).toHaveLength(0)
    }
    alice.close()
    bob.close()
    office.close()
  })
})
