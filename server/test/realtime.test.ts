import { createDeps, createLogger, type Deps, RealtimeFeed } from '@filo/core'
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

/**
 * The realtime layer with two API processes' worth of everything — each its own
 * Fastify server, Redis connections and hub — on one PostgreSQL and one Redis, and
 * the workers' feed turning committed timeline events into live events.
 */
let testDb: TestDb
const nodes: { deps: Deps; app: FastifyInstance; port: number }[] = []
let feed: RealtimeFeed
let officeA: number
let officeB: number
const users: Record<string, { id: number; email: string }> = {}

beforeAll(async () => {
  testDb = await createTestDb()
  for (let i = 0; i < 2; i++) {
    const deps = createDeps({ ...testDb.config, presenceGraceMs: 300 }, `filo-test-${i}`)
    const app = await buildApp(deps)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    nodes.push({ deps, app, port: typeof address === 'object' && address ? address.port : 0 })
  }
  const deps = nodes[0]?.deps as Deps
  feed = new RealtimeFeed(deps, {
    databaseUrl: testDb.url,
    prefix: testDb.config.queuePrefix,
    log: createLogger({ logLevel: 'silent' }, 'test'),
    pollMs: 100,
  })
  await feed.start()
  officeA = (await createOffice(deps.db, 'Lavori Pubblici')).id
  officeB = (await createOffice(deps.db, 'Tributi')).id
  users.operator = await createUser(deps.db, 'operator')
  users.staffA = await createUser(deps.db, 'office_staff', { officeIds: [officeA] })
  users.supervisor = await createUser(deps.db, 'supervisor')
}, 60_000)
afterAll(async () => {
  await feed.stop()
  for (const node of nodes) {
    await node.app.close()
  }
  await deleteRedisPrefix(nodes[0]?.deps.redis as Deps['redis'], testDb.config.queuePrefix)
  for (const node of nodes) await node.deps.close()
  await testDb.drop()
})

const node = (i: number) => nodes[i] as (typeof nodes)[number]
const base = (i: number) => `http://127.0.0.1:${node(i).port}`

async function login(email: string, on = 0): Promise<string> {
  const res = await fetch(`${base(on)}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (!res.ok || !cookie) throw new Error(`login failed: ${res.status}`)
  return cookie
}

interface Message {
  type: string
  seq?: string
  event?: { seq: string; type: string; data: Record<string, unknown> }
  [key: string]: unknown
}

/** A console's socket, keeping every message it was sent. */
async function connect(on: number, cookie: string, since?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${node(on).port}/api/v1/ws${since ? `?since=${since}` : ''}`, {
    headers: { cookie },
  })
  const messages: Message[] = []
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as Message))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = (pred: (m: Message) => boolean, ms = 8000) => waitFor(async () => messages.find(pred), ms)
  await next((m) => m.type === 'welcome' || m.type === 'reload')
  return {
    ws,
    messages,
    next,
    events: () =>
      messages.filter((m) => m.type === 'event').map((m) => m.event as NonNullable<Message['event']>),
    send: (m: object) => ws.send(JSON.stringify(m)),
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve())
        ws.close()
      }),
  }
}

async function createCase(cookie: string, body: Record<string, unknown>, on = 0): Promise<number> {
  const res = await fetch(`${base(on)}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ channel: 'phone', ...body }),
  })
  if (res.status !== 201) throw new Error(`case not created: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: number }).id
}

const aboutCase =
  (id: number, type = 'case.created') =>
  (m: Message) =>
    m.type === 'event' && m.event?.type === type && m.event.data.caseId === id

describe('realtime over websockets', { timeout: 30_000 }, () => {
  it('refuses a connection without a staff session', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${node(0).port}/api/v1/ws`)
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.once('open', () => resolve(101))
    })
    expect(status).toBe(401)
  })

  it('an event produced on one API process reaches a client connected to the other', async () => {
    const cookie = await login(users.operator?.email ?? '')
    const client = await connect(1, cookie)
    const id = await createCase(cookie, { subject: 'Buca in via Roma', officeId: officeA }, 0)
    const message = await client.next(aboutCase(id))
    expect(message.event?.data).toMatchObject({ caseId: id, kind: 'created', subject: 'Buca in via Roma' })
    await client.close()
  })

  it('a case event names who did it, and a note event whom it mentions', async () => {
    const cookie = await login(users.operator?.email ?? '')
    const client = await connect(0, cookie)
    const id = await createCase(cookie, { subject: 'Semaforo spento', officeId: officeA })
    const handle = (users.staffA?.email ?? '').split('@')[0]
    const note = await fetch(`${base(0)}/api/v1/cases/${id}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ text: `@${handle} passi tu in via Roma?` }),
    })
    expect(note.status).toBe(201)
    const operator = await node(0)
      .deps.db.selectFrom('staffUsers')
      .select('fullName')
      .where('id', '=', users.operator?.id ?? 0)
      .executeTakeFirstOrThrow()
    const created = await client.next(aboutCase(id))
    expect(created.event?.data).toMatchObject({ actorId: users.operator?.id, actorName: operator.fullName })
    expect(created.event?.data).not.toHaveProperty('mentions')
    const noted = await client.next(
      (m) => m.event?.type === 'case.updated' && m.event.data.caseId === id && m.event.data.kind === 'note',
    )
    expect(noted.event?.data).toMatchObject({ actorName: operator.fullName, mentions: [users.staffA?.id] })
    await client.close()
  })

  it('office staff receive no event about another office’s case', async () => {
    const operator = await login(users.operator?.email ?? '')
    const staff = await connect(1, await login(users.staffA?.email ?? '', 1))
    const other = await createCase(operator, { subject: 'TARI 2026', officeId: officeB })
    const own = await createCase(operator, { subject: 'Marciapiede rotto', officeId: officeA })
    await staff.next(aboutCase(own))
    // The other office's case was created first: had it been sent, it would be here already.
    expect(staff.events().some((e) => e.data.caseId === other)).toBe(false)
    await staff.close()
  })

  it('a client that reconnects after a short break is sent what it missed; one too far behind is told to reload', async () => {
    const cookie = await login(users.supervisor?.email ?? '')
    const first = await connect(0, cookie)
    const seen = await createCase(cookie, { subject: 'Prima' })
    const last = (await first.next(aboutCase(seen))).event?.seq ?? ''
    await first.close()

    const missed = [
      await createCase(cookie, { subject: 'Seconda' }),
      await createCase(cookie, { subject: 'Terza' }),
    ]
    // Wait until the feed has published them, then come back on the other process.
    await waitFor(async () => {
      const entries = await node(0).deps.realtime.since(last)
      return entries?.filter((e) => e.type === 'case.created').length === 2
    })
    const again = await connect(1, cookie, last)
    const replayed = again
      .events()
      .filter((e) => e.type === 'case.created')
      .map((e) => e.data.caseId)
    expect(replayed).toEqual(missed)
    expect(replayed).not.toContain(seen)
    await again.close()

    const stale = await connect(1, cookie, '1-0')
    expect(stale.messages[0]?.type).toBe('reload')
    await stale.close()
  })

  it('presence follows the connection: closing the last console puts the agent offline, and supervisors see it live', async () => {
    const cookie = await login(users.operator?.email ?? '')
    const put = await fetch(`${base(0)}/api/v1/me/presence`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ state: 'available' }),
    })
    expect(put.status).toBe(200)
    const watcher = await connect(0, await login(users.supervisor?.email ?? ''))
    const busy = await fetch(`${base(1)}/api/v1/me/presence`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ state: 'busy' }),
    })
    expect(busy.status).toBe(200)
    const chosen = await watcher.next((m) => m.event?.type === 'presence' && m.event.data.state === 'busy')
    expect(chosen.event?.data).toMatchObject({ userId: users.operator?.id, cause: 'user' })
    const console1 = await connect(1, cookie)
    const console2 = await connect(0, cookie)
    await console1.close()
    // Still one console open: present.
    await new Promise((r) => setTimeout(r, 600))
    const state = async () =>
      (
        (await (await fetch(`${base(0)}/api/v1/me/presence`, { headers: { cookie } })).json()) as {
          state: string
        }
      ).state
    expect(await state()).toBe('busy')
    await console2.close()
    await waitFor(async () => (await state()) === 'offline')
    const event = await watcher.next(
      (m) =>
        m.event?.type === 'presence' &&
        m.event.data.userId === users.operator?.id &&
        m.event.data.state === 'offline',
    )
    expect(event.event?.data).toMatchObject({ state: 'offline', cause: 'disconnected' })
    await watcher.close()
  })

  it('tells everyone looking at a case who else is viewing it, within what they may see', async () => {
    const operatorCookie = await login(users.operator?.email ?? '')
    const id = await createCase(operatorCookie, { subject: 'Lampione spento', officeId: officeA })
    const operator = await connect(0, operatorCookie)
    const staff = await connect(1, await login(users.staffA?.email ?? '', 1))
    operator.send({ type: 'view', caseId: id })
    staff.send({ type: 'view', caseId: id })
    const both = await operator.next(
      (m) =>
        m.event?.type === 'case.viewers' &&
        (m.event.data.viewers as { id: number }[]).length === 2 &&
        m.event.data.caseId === id,
    )
    expect(((both.event?.data.viewers ?? []) as { id: number }[]).map((v) => v.id).sort()).toEqual(
      [users.operator?.id, users.staffA?.id].sort(),
    )
    staff.send({ type: 'unview', caseId: id })
    await operator.next(
      (m) =>
        m.event?.type === 'case.viewers' &&
        m.event.data.caseId === id &&
        (m.event.data.viewers as unknown[]).length === 1,
    )

    // Another office's case cannot be viewed (or learnt about) by office staff.
    const hidden = await createCase(operatorCookie, { subject: 'IMU', officeId: officeB })
    staff.send({ type: 'view', caseId: hidden })
    const refused = await staff.next((m) => m.type === 'error')
    expect(refused).toMatchObject({ code: 'case_not_found', caseId: hidden })
    staff.send({ nonsense: true })
    await staff.next((m) => m.type === 'error' && m.code === 'ws_invalid_message')
    await operator.close()
    await staff.close()
  })
})
