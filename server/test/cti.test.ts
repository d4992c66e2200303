import { createLogger, createRedis, type DeliveredEvent } from '@filo/core'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser, waitFor } from '../../core/test/fixtures.ts'
import { buildApp } from '../src/app.ts'
import { FakePbx } from './fake-pbx.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let subscriber: ReturnType<typeof createRedis>
const events: DeliveredEvent[] = []
let adminCookie: string
let supervisorCookie: string
let operatorCookie: string
let officeCookie: string
let alice: { id: number; email: string }
let bob: { id: number; email: string }
let officeStaff: { id: number }
let queueId: number
let pbx: FakePbx
let token: string
let ipCounter = 0

/** A number that is nobody's yet, in the national spelling a PBX sends and in E.164. */
let numberSeq = 100000
const freshNumber = () => {
  numberSeq += 1
  const national = `0574${numberSeq}`
  return { national, e164: `+39${national}` }
}

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
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

const callRow = (externalId: string) =>
  t.deps.db.selectFrom('calls').selectAll().where('externalId', '=', externalId).executeTakeFirstOrThrow()

/** Moves a call's clock back, as if it had rung (or been talked) that much longer. */
const age = async (externalId: string, column: 'startedAt' | 'answeredAt', seconds: number) => {
  await t.deps.db
    .updateTable('calls')
    .set({
      [column]: sql`${sql.ref(column === 'startedAt' ? 'started_at' : 'answered_at')} - make_interval(secs => ${seconds})`,
    })
    .where('externalId', '=', externalId)
    .execute()
}

const eventsOf = (type: string, externalId: string) =>
  events.filter(
    (e) => e.type === type && (e.data.call as { externalId?: string } | undefined)?.externalId === externalId,
  )

async function createContact(phone: string, lastName: string, firstName = 'Mario'): Promise<number> {
  const res = await api('POST', '/api/v1/contacts', operatorCookie, {
    kind: 'person',
    firstName,
    lastName,
    phones: [{ phone }],
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

beforeAll(async () => {
  t = await createTestApp()
  subscriber = createRedis(t.deps.config.redisUrl)
  await t.deps.realtime.subscribe(subscriber, (e) => events.push(e))

  const officeId = (await createOffice(t.deps.db, 'Tributi')).id
  const admin = await createUser(t.deps.db, 'admin')
  adminCookie = await t.login(admin.email)
  supervisorCookie = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  alice = await createUser(t.deps.db, 'operator')
  bob = await createUser(t.deps.db, 'operator')
  operatorCookie = await t.login(alice.email)
  const office = await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })
  officeStaff = office
  officeCookie = await t.login(office.email)
  await t.deps.db
    .updateTable('staffUsers')
    .set({ extension: '201', fullName: 'Alice Operatrice' })
    .where('id', '=', alice.id)
    .execute()
  await t.deps.db
    .updateTable('staffUsers')
    .set({ extension: '202', fullName: 'Bruno Operatore' })
    .where('id', '=', bob.id)
    .execute()
  queueId = (
    await t.deps.db
      .insertInto('queues')
      .values({ code: 'call-centre', name: 'Call centre unico' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id

  const created = await api('POST', '/api/v1/cti-tokens', adminCookie, { name: 'Centralino Asterisk' })
  expect(created.statusCode, created.body).toBe(201)
  token = created.json().token
  pbx = new FakePbx(t.app, token)
})

afterAll(async () => {
  subscriber.disconnect()
  await t.close()
})

describe('CTI tokens (admin)', () => {
  it('shows the secret once, keeps only its hash, lists and audits without it, and revokes at once', async () => {
    const res = await api('POST', '/api/v1/cti-tokens', adminCookie, { name: 'PBX di prova' })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      name: 'PBX di prova',
      revokedAt: null,
      webhookPath: `/api/v1/cti/${body.token}`,
    })
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.hint).toBe(body.token.slice(-4))

    const stored = await t.deps.db
      .selectFrom('ctiTokens')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow()
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(body.token)
    const list = await api('GET', '/api/v1/cti-tokens', adminCookie)
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(body.token)
    expect(list.json().map((x: { id: number }) => x.id)).toContain(body.id)
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('entityType', '=', 'cti_token')
      .where('entityId', '=', body.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['cti_token.create'])
    expect(JSON.stringify(audit)).not.toContain(body.token)

    const own = new FakePbx(t.app, body.token, { ip: '10.9.0.1' })
    const ok = await own.send({
      event: 'newCall',
      from: '0574000001',
      to: '0574999999',
      direction: 'in',
      callId: 'tok-1',
    })
    expect(ok.statusCode).toBe(200)
    const revoked = await api('DELETE', `/api/v1/cti-tokens/${body.id}`, adminCookie)
    expect(revoked.statusCode).toBe(200)
    expect(revoked.json().revokedAt).toEqual(expect.any(String))
    const after = await own.send({
      event: 'hangup',
      from: '0574000001',
      to: '0574999999',
      direction: 'in',
      callId: 'tok-1',
    })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('cti_token_invalid')
    const actions = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'cti_token')
      .where('entityId', '=', body.id)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['cti_token.create', 'cti_token.revoke'])
  })

  it('is for administrators only', async () => {
    expect((await api('GET', '/api/v1/cti-tokens', supervisorCookie)).statusCode).toBe(403)
    expect((await api('POST', '/api/v1/cti-tokens', operatorCookie, { name: 'x' })).statusCode).toBe(403)
    expect((await api('GET', '/api/v1/cti-tokens', null)).statusCode).toBe(401)
  })
})

describe('an answered call', () => {
  it('logs the lifecycle with durations and operator, rings the queue and pops the caller up on the answering operator’s screen', async () => {
    const caller = freshNumber()
    const contactId = await createContact(caller.e164, 'Bianchi', 'Giulia')
    const opened = await api('POST', '/api/v1/cases', operatorCookie, {
      subject: 'Buca in via Roma',
      channel: 'email',
      contactId,
    })
    expect(opened.statusCode).toBe(201)

    const call = pbx.call(caller.national, '0574183911', { queue: 'call-centre' })
    expect(await call.ring()).toEqual({})
    const ringing = await waitFor(async () => eventsOf('call.ringing', call.callId)[0])
    expect(ringing.queueId).toBe(queueId)
    expect(ringing.userIds).toBeUndefined()
    expect(ringing.data.call).toMatchObject({ state: 'ringing', recognition: 'known', contactId })

    await age(call.callId, 'startedAt', 30)
    expect(await call.answer('201', 'Alice Operatrice')).toEqual({})
    const pop = await waitFor(async () => eventsOf('call.screen_pop', call.callId)[0])
    expect(pop.userIds).toEqual([alice.id])
    expect(pop.data).toMatchObject({
      recognition: 'known',
      contact: { id: contactId, displayName: 'Giulia Bianchi' },
      openCases: [{ id: opened.json().id, subject: 'Buca in via Roma' }],
      newCase: { channel: 'phone', contactId, subject: 'Chiamata da Giulia Bianchi' },
    })
    expect((pop.data.newCase as { callId: number }).callId).toBe((pop.data.call as { id: number }).id)
    // Showing the card to Alice is a read of Giulia's personal data.
    const reads = await t.deps.db
      .selectFrom('auditLog')
      .select('actorId')
      .where('action', '=', 'contact.read')
      .where('entityId', '=', contactId)
      .execute()
    expect(reads.map((r) => r.actorId)).toContain(alice.id)

    await age(call.callId, 'answeredAt', 95)
    expect(await call.hangup('normalClearing', '201')).toEqual({})
    const row = await callRow(call.callId)
    expect(row).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      direction: 'in',
      fromNumber: caller.national,
      fromE164: caller.e164,
      remoteE164: caller.e164,
      toE164: '+390574183911',
      queueId,
      operatorId: alice.id,
      answeringNumber: '201',
      cause: 'normalClearing',
      contactId,
      caseId: null,
    })
    expect(row.waitingSeconds).toBeGreaterThanOrEqual(30)
    expect(row.waitingSeconds).toBeLessThanOrEqual(32)
    expect(row.talkingSeconds).toBeGreaterThanOrEqual(95)
    expect(row.talkingSeconds).toBeLessThanOrEqual(97)
    await waitFor(async () => eventsOf('call.ended', call.callId)[0])
    // Nobody else got Alice's screen-pop.
    expect(eventsOf('call.screen_pop', call.callId)).toHaveLength(1)
  })

  it('recognises a number several contacts share as probable, and one nobody has as unknown', async () => {
    const shared = freshNumber()
    const a = await createContact(shared.e164, 'Rossi')
    const b = await createContact(shared.e164, 'Verdi')
    const call = pbx.call(shared.national, '0574183911')
    await call.ring()
    await call.answer('202')
    const pop = await waitFor(async () => eventsOf('call.screen_pop', call.callId)[0])
    expect(pop.userIds).toEqual([bob.id])
    expect(pop.data).toMatchObject({ recognition: 'probable', contact: null, newCase: { contactId: null } })
    expect((pop.data.candidates as { id: number }[]).map((c) => c.id).sort()).toEqual([a, b].sort())
    expect(await callRow(call.callId)).toMatchObject({ recognition: 'probable', contactId: null })

    const nobody = pbx.call(freshNumber().national, '0574183911')
    await nobody.ring()
    expect(await callRow(nobody.callId)).toMatchObject({ recognition: 'unknown', contactId: null })
    await nobody.hangup('normalClearing')
  })
})

describe('missed and abandoned calls', () => {
  it('open one callback case in the callback queue per call, however often the hangup comes', async () => {
    const caller = freshNumber()
    const contactId = await createContact(caller.e164, 'Neri')
    const form = new FakePbx(t.app, token, { encoding: 'form' })
    const call = form.call(caller.national, '0574183911')
    await call.ring(['Alice Operatrice', 'Bruno Operatore'])
    expect((await callRow(call.callId)).users).toEqual(['Alice Operatrice', 'Bruno Operatore'])
    await age(call.callId, 'startedAt', 40)
    await call.hangup('noAnswer')
    await call.hangup('noAnswer')
    const row = await callRow(call.callId)
    expect(row).toMatchObject({ state: 'ended', outcome: 'missed', callback: true, operatorId: null })
    expect(row.waitingSeconds).toBeGreaterThanOrEqual(40)
    const cases = await t.deps.db
      .selectFrom('cases')
      .innerJoin('queues', 'queues.id', 'cases.queueId')
      .select(['cases.id', 'cases.channel', 'cases.contactId', 'cases.subject', 'queues.code'])
      .where('cases.contactId', '=', contactId)
      .execute()
    expect(cases).toEqual([
      {
        id: row.caseId,
        channel: 'phone',
        contactId,
        subject: 'Richiamare Mario Neri: chiamata senza risposta',
        code: 'callback',
      },
    ])
    const linked = await t.deps.db
      .selectFrom('caseEvents')
      .select('data')
      .where('caseId', '=', row.caseId as number)
      .where('kind', '=', 'call_linked')
      .execute()
    expect(linked).toEqual([
      { data: expect.objectContaining({ callId: row.id, callback: true, outcome: 'missed' }) },
    ])
  })

  it('call an abandoned call abandoned, and leave forwarded calls, outbound calls and anonymous callers without a callback', async () => {
    const abandoned = pbx.call(freshNumber().national, '0574183911')
    await abandoned.ring()
    await abandoned.hangup('cancel')
    const row = await callRow(abandoned.callId)
    expect(row).toMatchObject({ outcome: 'abandoned', callback: true })
    const subject = await t.deps.db
      .selectFrom('cases')
      .select('subject')
      .where('id', '=', row.caseId as number)
      .executeTakeFirstOrThrow()
    expect(subject.subject).toMatch(/^Richiamare \+390574\d+: chiamata abbandonata in attesa$/)

    const forwarded = pbx.call(freshNumber().national, '0574183911')
    await forwarded.ring()
    await forwarded.hangup('forwarded')
    expect(await callRow(forwarded.callId)).toMatchObject({ outcome: 'forwarded', caseId: null })

    const outbound = pbx.call('0574183911', freshNumber().national, { direction: 'out' })
    await outbound.ring('Alice Operatrice')
    await outbound.hangup('noAnswer')
    expect(await callRow(outbound.callId)).toMatchObject({
      outcome: 'unanswered',
      caseId: null,
      operatorId: alice.id,
    })

    const anonymous = pbx.call('anonymous', '0574183911')
    await anonymous.ring()
    await anonymous.hangup('cancel')
    expect(await callRow(anonymous.callId)).toMatchObject({
      outcome: 'abandoned',
      caseId: null,
      remoteE164: null,
    })
  })
})

describe('voicemail and calls on no known queue', () => {
  it('calls back a caller the voicemail answered, and tells only the call centre about a call on an unknown queue', async () => {
    const call = pbx.call(freshNumber().national, '0574183911', { queue: 'coda-sconosciuta' })
    await call.ring()
    const ringing = await waitFor(async () => eventsOf('call.ringing', call.callId)[0])
    expect(ringing.queueId).toBeUndefined()
    expect(ringing.userIds).toEqual(expect.arrayContaining([alice.id, bob.id]))
    expect(ringing.userIds).not.toContain(officeStaff.id)
    await call.answer(undefined, 'voicemail')
    expect(eventsOf('call.screen_pop', call.callId)).toHaveLength(0)
    await call.hangup('normalClearing')
    const row = await callRow(call.callId)
    expect(row).toMatchObject({
      queueName: 'coda-sconosciuta',
      queueId: null,
      outcome: 'voicemail',
      callback: true,
    })
    const subject = await t.deps.db
      .selectFrom('cases')
      .select('subject')
      .where('id', '=', row.caseId as number)
      .executeTakeFirstOrThrow()
    expect(subject.subject).toMatch(/messaggio in segreteria$/)
    const ended = await waitFor(async () => eventsOf('call.ended', call.callId)[0])
    expect(ended.userIds).not.toContain(officeStaff.id)
  })
})

describe('a transferred call', () => {
  it('records each later answer by someone else as a transfer, and pops the caller up for the new operator', async () => {
    const call = pbx.call(freshNumber().national, '0574183911')
    await call.ring()
    await call.answer('201')
    await call.answer('201')
    await call.answer(bob.email)
    const row = await callRow(call.callId)
    expect(row.operatorId).toBe(bob.id)
    expect(row.transfers).toEqual([
      { fromUserId: alice.id, toUserId: bob.id, answeringNumber: bob.email, at: expect.any(String) },
    ])
    const pops = await waitFor(async () => {
      const found = eventsOf('call.screen_pop', call.callId)
      return found.length === 2 ? found : null
    })
    expect(pops.map((p) => p.userIds)).toEqual([[alice.id], [bob.id]])
    await call.hangup('normalClearing')
    expect(await callRow(call.callId)).toMatchObject({ outcome: 'answered', operatorId: bob.id })
  })
})

describe('events out of order or repeated', () => {
  it('keeps one call for a repeated newCall', async () => {
    const call = pbx.call(freshNumber().national, '0574183911')
    await call.ring()
    await call.ring()
    const rows = await t.deps.db
      .selectFrom('calls')
      .select('id')
      .where('externalId', '=', call.callId)
      .execute()
    expect(rows).toHaveLength(1)
    expect(eventsOf('call.ringing', call.callId).length).toBeLessThanOrEqual(1)
    await call.hangup('normalClearing')
  })

  it('logs a call first heard of at its answer, and one first heard of at its hangup', async () => {
    const late = pbx.call(freshNumber().national, '0574183911')
    await late.answer('201')
    expect(await callRow(late.callId)).toMatchObject({
      state: 'answered',
      operatorId: alice.id,
      waitingSeconds: 0,
    })
    await late.hangup('normalClearing')
    expect(await callRow(late.callId)).toMatchObject({ state: 'ended', outcome: 'answered' })

    const onlyHangup = pbx.call(freshNumber().national, '0574183911')
    await onlyHangup.hangup('cancel')
    expect(await callRow(onlyHangup.callId)).toMatchObject({
      state: 'ended',
      outcome: 'abandoned',
      callback: true,
    })
  })

  it('does not bring back a call whose hangup came before its answer: the late answer only names the operator', async () => {
    const call = pbx.call(freshNumber().national, '0574183911')
    await call.ring()
    await call.hangup('normalClearing')
    expect(await callRow(call.callId)).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      operatorId: null,
      caseId: null,
    })
    await call.answer('202')
    expect(await callRow(call.callId)).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      operatorId: bob.id,
    })
    expect(eventsOf('call.screen_pop', call.callId)).toHaveLength(0)

    // A caller who gave up stays a caller who gave up, whatever comes after.
    const gaveUp = pbx.call(freshNumber().national, '0574183911')
    await gaveUp.ring()
    await gaveUp.hangup('cancel')
    await gaveUp.answer('202')
    expect(await callRow(gaveUp.callId)).toMatchObject({
      state: 'ended',
      outcome: 'abandoned',
      operatorId: null,
    })
  })

  it('applies concurrent deliveries of the same events once', async () => {
    const call = pbx.call(freshNumber().national, '0574183911')
    await Promise.all([call.ring(), call.ring(), call.ring()])
    await Promise.all([call.hangup('noAnswer'), call.hangup('noAnswer')])
    const rows = await t.deps.db
      .selectFrom('calls')
      .select(['id', 'caseId'])
      .where('externalId', '=', call.callId)
      .execute()
    expect(rows).toHaveLength(1)
    const cases = await t.deps.db
      .selectFrom('caseEvents')
      .select('caseId')
      .where('kind', '=', 'call_linked')
      .where(sql<boolean>`(data->>'callId')::bigint = ${rows[0]?.id}`)
      .execute()
    expect(cases).toHaveLength(1)
  })
})

describe('the block list', () => {
  it('rejects a blocked caller as Zammad does, logs the call, rings nobody and opens no callback', async () => {
    const caller = freshNumber()
    const blocked = await api('POST', '/api/v1/cti-blocked-numbers', adminCookie, {
      number: `+39 ${caller.national}`,
      note: 'Molestie',
    })
    expect(blocked.statusCode, blocked.body).toBe(201)
    expect(blocked.json()).toMatchObject({ number: caller.e164, note: 'Molestie' })
    const again = await api('POST', '/api/v1/cti-blocked-numbers', adminCookie, { number: caller.national })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('cti_blocked_number_taken')

    const call = pbx.call(caller.national, '0574183911', { queue: 'call-centre' })
    expect(await call.ring()).toEqual({ action: 'reject', reason: 'busy' })
    expect(await call.ring()).toEqual({ action: 'reject', reason: 'busy' })
    expect(await call.hangup('cancel')).toEqual({})
    expect(await callRow(call.callId)).toMatchObject({ blocked: true, outcome: 'blocked', caseId: null })
    expect(eventsOf('call.ringing', call.callId)).toHaveLength(0)

    // Outbound calls to the number are not the block list's business (as in Zammad).
    const out = pbx.call('0574183911', caller.national, { direction: 'out' })
    expect(await out.ring('Alice Operatrice')).toEqual({})

    const bad = await api('POST', '/api/v1/cti-blocked-numbers', adminCookie, { number: 'non è un numero' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('cti_blocked_number_invalid')
    expect(
      (await api('POST', '/api/v1/cti-blocked-numbers', operatorCookie, { number: '0574000000' })).statusCode,
    ).toBe(403)

    const removed = await api('DELETE', `/api/v1/cti-blocked-numbers/${blocked.json().id}`, adminCookie)
    expect(removed.statusCode).toBe(204)
    const next = pbx.call(caller.national, '0574183911')
    expect(await next.ring()).toEqual({})
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'cti_blocked_number')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['cti_blocked_number.create', 'cti_blocked_number.delete'])
  })

  it('can block callers without a number', async () => {
    const res = await api('POST', '/api/v1/cti-blocked-numbers', adminCookie, { number: 'Anonymous' })
    expect(res.json().number).toBe('anonymous')
    const call = pbx.call('anonymous', '0574183911')
    expect(await call.ring()).toEqual({ action: 'reject', reason: 'busy' })
    await api('DELETE', `/api/v1/cti-blocked-numbers/${res.json().id}`, adminCookie)
  })
})

describe('request bodies', () => {
  const fields = (callId: string) => ({
    event: 'newCall',
    from: freshNumber().national,
    to: '0574183911',
    direction: 'in',
    callId,
    user: ['Alice Operatrice', 'Bruno Operatore'],
  })

  it('accepts JSON, form-encoded (user[]=…) and multipart bodies alike', async () => {
    for (const encoding of ['json', 'form', 'multipart'] as const) {
      const callId = `enc-${encoding}`
      const res = await pbx.send(fields(callId), encoding)
      expect(res.statusCode, `${encoding}: ${res.body}`).toBe(200)
      expect(res.json()).toEqual({})
      expect((await callRow(callId)).users).toEqual(['Alice Operatrice', 'Bruno Operatore'])
    }
    // A single user as a plain form field, as Zammad's outbound examples send it.
    const single = await pbx.send({ ...fields('enc-single'), user: 'Alice Operatrice' }, 'form')
    expect(single.statusCode).toBe(200)
    expect((await callRow('enc-single')).users).toEqual(['Alice Operatrice'])
  })

  it('refuses an unknown event or direction with the stable error body, in Italian by default and in English on request', async () => {
    const it_ = await pbx.send({ ...fields('bad-1'), event: 'ring', direction: 'sideways' }, 'form')
    expect(it_.statusCode).toBe(400)
    expect(it_.json().error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^Richiesta non valida/),
      details: expect.arrayContaining([
        expect.objectContaining({ path: '/body/event' }),
        expect.objectContaining({ path: '/body/direction' }),
      ]),
    })
    const en = new FakePbx(t.app, token, { headers: { 'accept-language': 'en' } })
    const res = await en.send({ ...fields('bad-2'), event: undefined })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/^Invalid request/)
    expect(res.json().error.details).toEqual([expect.objectContaining({ path: '/body/event' })])

    const noCallId = await en.send({ ...fields('x'), callId: undefined })
    expect(noCallId.statusCode).toBe(400)
    expect(noCallId.json().error).toEqual({
      code: 'cti_call_id_required',
      message: 'CTI event without a callId: every event must name its call.',
    })
    const noFrom = await pbx.send({ ...fields('bad-3'), from: undefined })
    expect(noFrom.statusCode).toBe(400)
    expect(noFrom.json().error).toMatchObject({
      code: 'cti_number_required',
      message: 'Evento CTI newCall senza «from»: il numero è obbligatorio.',
    })
    expect(
      await t.deps.db
        .selectFrom('calls')
        .select('id')
        .where('externalId', 'in', ['bad-1', 'bad-2', 'bad-3'])
        .execute(),
    ).toEqual([])
  })

  it('refuses bodies over the size limit and unsupported types', async () => {
    const big = await pbx.send({ ...fields('big'), note: 'x'.repeat(20_000) }, 'form')
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('payload_too_large')
    const xml = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cti/${token}`,
      payload: '<event/>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(xml.statusCode).toBe(415)
  })
})

describe('over a real socket', () => {
  it('takes a whole call from a PBX posting form bodies over HTTP', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const real = new FakePbx(t.app, token, { encoding: 'form', baseUrl: address })
    const call = real.call(freshNumber().national, '0574183911', { queue: 'call-centre' })
    expect(await call.ring(['Alice Operatrice'])).toEqual({})
    expect(await call.answer('201')).toEqual({})
    expect(await call.hangup('normalClearing')).toEqual({})
    expect(await callRow(call.callId)).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      operatorId: alice.id,
      queueId,
    })
    const unknown = await new FakePbx(t.app, 'D'.repeat(43), { baseUrl: address }).send({ event: 'newCall' })
    expect(unknown.statusCode).toBe(401)
  })
})

describe('bad tokens', () => {
  it('answer the same 401 for an unknown, a revoked and a malformed token, and throttle an address that keeps trying', async () => {
    const ip = `10.66.0.${++ipCounter}`
    const created = await api('POST', '/api/v1/cti-tokens', adminCookie, { name: 'Da revocare' })
    await api('DELETE', `/api/v1/cti-tokens/${created.json().id}`, adminCookie)
    const event = {
      event: 'newCall',
      from: '0574000002',
      to: '0574183911',
      direction: 'in',
      callId: 'tok-bad',
    }
    const bodies = []
    for (const bad of ['A'.repeat(43), created.json().token, 'short', `${token.slice(0, -1)}x`]) {
      const res = await new FakePbx(t.app, bad, { ip }).send(event)
      expect(res.statusCode).toBe(401)
      bodies.push(res.json())
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1)
    expect(bodies[0]).toEqual({ error: { code: 'cti_token_invalid', message: expect.any(String) } })
    // A bad token fails before the body is looked at: no hint that the body was wrong.
    const invalidBody = await new FakePbx(t.app, 'B'.repeat(43), { ip }).send({ event: 'nonsense' })
    expect(invalidBody.statusCode).toBe(401)

    let last = 0
    for (let i = 0; i < 20; i++)
      last = (await new FakePbx(t.app, 'C'.repeat(43), { ip }).send(event)).statusCode
    expect(last).toBe(429)
    const throttled = await new FakePbx(t.app, token, { ip }).send(event)
    expect(throttled.statusCode).toBe(429)
    expect(throttled.headers['retry-after']).toBe('600')
    expect(throttled.json().error.code).toBe('cti_rate_limited')
    // Another address is not affected.
    expect(
      (await new FakePbx(t.app, token, { ip: `10.67.0.${ipCounter}` }).send({ ...event, callId: 'tok-ok' }))
        .statusCode,
    ).toBe(200)
  })
})

describe('new case from this call', () => {
  it('opens a phone case for the caller, linked to the call, once', async () => {
    const caller = freshNumber()
    const contactId = await createContact(caller.e164, 'Gialli')
    const call = pbx.call(caller.national, '0574183911')
    await call.ring()
    await call.answer('201')
    const id = (await callRow(call.callId)).id

    const res = await api('POST', `/api/v1/calls/${id}/case`, operatorCookie, {
      description: 'Chiede del bollo',
    })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      created: true,
      case: {
        channel: 'phone',
        contactId,
        subject: 'Chiamata da Mario Gialli',
        description: 'Chiede del bollo',
        createdBy: alice.id,
      },
      call: { id, caseId: body.case.id, contactId },
    })
    const timeline = await api('GET', `/api/v1/cases/${body.case.id}/events`, operatorCookie)
    expect(timeline.json().map((e: { kind: string }) => e.kind)).toEqual(['created', 'call_linked'])

    const again = await api('POST', `/api/v1/calls/${id}/case`, operatorCookie, {})
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ created: false, case: { id: body.case.id } })
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'call')
      .where('entityId', '=', id)
      .execute()
    expect(audit).toEqual([{ action: 'call.case' }])
  })

  it('takes the contact the operator picked among several, and refuses contacts that do not exist', async () => {
    const shared = freshNumber()
    await createContact(shared.e164, 'Uno')
    const chosen = await createContact(shared.e164, 'Due')
    const call = pbx.call(shared.national, '0574183911')
    await call.ring()
    const id = (await callRow(call.callId)).id
    const missing = await api('POST', `/api/v1/calls/${id}/case`, operatorCookie, { contactId: 99_999_999 })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.code).toBe('unknown_reference')
    const res = await api('POST', `/api/v1/calls/${id}/case`, operatorCookie, {
      contactId: chosen,
      subject: 'Informazioni TARI',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      case: { contactId: chosen, subject: 'Informazioni TARI' },
      call: { contactId: chosen },
    })
  })

  it('answers 404 for a call the reader may not see and 400 naming a bad field', async () => {
    const call = pbx.call(freshNumber().national, '0574183911')
    await call.ring()
    const id = (await callRow(call.callId)).id
    const hidden = await api('POST', `/api/v1/calls/${id}/case`, officeCookie, {})
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().error.code).toBe('call_not_found')
    const bad = await api(
      'POST',
      `/api/v1/calls/${id}/case`,
      operatorCookie,
      { priority: 'altissima' },
      { 'accept-language': 'en' },
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: '/body/priority' })])
  })
})

describe('a call whose case the reader may not see', () => {
  it('is not given a second case', async () => {
    await t.deps.db
      .updateTable('staffUsers')
      .set({ extension: '302' })
      .where('id', '=', officeStaff.id)
      .execute()
    const call = pbx.call(freshNumber().national, '0574183911')
    await call.ring()
    await call.answer('302')
    const id = (await callRow(call.callId)).id
    const other = await api('POST', `/api/v1/calls/${id}/case`, operatorCookie, {})
    expect(other.statusCode).toBe(201)
    const res = await api('POST', `/api/v1/calls/${id}/case`, officeCookie, {})
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toEqual({
      code: 'call_has_case',
      message: `Da questa chiamata è già stata aperta la pratica ${other.json().case.number}.`,
    })
    await t.deps.db
      .updateTable('staffUsers')
      .set({ extension: null })
      .where('id', '=', officeStaff.id)
      .execute()
  })
})

describe('the call log', () => {
  it('lists calls newest first with simple-rest filters, and shows office staff only the calls they answered', async () => {
    const caller = freshNumber()
    const contactId = await createContact(caller.e164, 'Lista')
    const first = pbx.call(caller.national, '0574183911')
    await first.ring()
    await first.hangup('cancel')
    const second = pbx.call(caller.national, '0574183911')
    await second.ring()
    await second.answer('201')

    const res = await api(
      'GET',
      `/api/v1/calls?filter=${encodeURIComponent(JSON.stringify({ contactId }))}`,
      supervisorCookie,
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-range']).toBe('calls 0-1/2')
    expect(res.json().map((c: { externalId: string }) => c.externalId)).toEqual([second.callId, first.callId])

    const filter = (f: object) =>
      api('GET', `/api/v1/calls?filter=${encodeURIComponent(JSON.stringify(f))}`, operatorCookie)
    expect((await filter({ contactId, state: 'answered' })).json()).toHaveLength(1)
    expect((await filter({ contactId, userId: alice.id })).json()).toHaveLength(1)
    expect((await filter({ contactId, direction: 'out' })).json()).toHaveLength(0)
    expect((await filter({ q: caller.national })).json()).toHaveLength(2)
    expect(
      (await filter({ contactId, from: new Date(Date.now() + 60_000).toISOString() })).json(),
    ).toHaveLength(0)
    const bad = await filter({ state: 'dancing' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('invalid_filter')

    const one = await api('GET', `/api/v1/calls/${res.json()[0].id}`, operatorCookie)
    expect(one.json()).toMatchObject({ externalId: second.callId, state: 'answered', operatorId: alice.id })
    // Reading callers' numbers is audited like any personal data.
    const reads = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'actorId', 'entityId', 'after'])
      .where('action', 'in', ['call.list', 'call.read'])
      .where('actorId', '=', alice.id)
      .orderBy('id', 'desc')
      .limit(2)
      .execute()
    expect(reads[0]).toMatchObject({ action: 'call.read', entityId: res.json()[0].id })
    expect(reads[1]).toMatchObject({ action: 'call.list', entityId: null, after: { ids: expect.any(Array) } })

    await t.deps.db
      .updateTable('staffUsers')
      .set({ extension: '301' })
      .where('id', '=', officeStaff.id)
      .execute()
    const own = pbx.call(freshNumber().national, '0574183911')
    await own.ring()
    await own.answer('301')
    const mine = await api('GET', '/api/v1/calls', officeCookie)
    const seen = mine.json() as { externalId: string; operatorId: number }[]
    expect(seen.map((c) => c.externalId)).toContain(own.callId)
    expect(seen.every((c) => c.operatorId === officeStaff.id)).toBe(true)
    expect((await api('GET', `/api/v1/calls/${res.json()[0].id}`, officeCookie)).statusCode).toBe(404)
  })
})

describe('staff extensions', () => {
  it('are edited in the users admin and unique', async () => {
    const user = await createUser(t.deps.db, 'operator')
    const current = await api('GET', `/api/v1/users/${user.id}`, adminCookie)
    const set = await api('PATCH', `/api/v1/users/${user.id}`, adminCookie, {
      extension: '250',
      version: current.json().version,
    })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json().extension).toBe('250')
    const taken = await api('PATCH', `/api/v1/users/${user.id}`, adminCookie, {
      extension: '201',
      version: set.json().version,
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('user_extension_taken')
  })
})

describe('the wallboard', () => {
  it('counts calls waiting and the longest wait, cases per queue, SLAs at risk and breached, agents by state', async () => {
    const ringing = pbx.call(freshNumber().national, '0574183911', { queue: 'call-centre' })
    await ringing.ring()
    await age(ringing.callId, 'startedAt', 120)
    const other = pbx.call(freshNumber().national, '0574183911', { queue: 'call-centre' })
    await other.ring()

    const mk = async (values: object) =>
      t.deps.db
        .insertInto('cases')
        .values({
          number: `PRA-2026-9${Math.floor(Math.random() * 99999)}`,
          subject: 'x',
          channel: 'phone',
          queueId,
          ...values,
        })
        .execute()
    const past = sql<Date>`now() - interval '1 hour'`
    const future = sql<Date>`now() + interval '1 day'`
    await mk({ status: 'open' })
    await mk({ status: 'in_progress', assigneeId: alice.id })
    await mk({ status: 'closed' })
    // Answered already: only the resolution clock runs.
    await mk({ status: 'open', firstRespondedAt: past, resolutionWarnAt: past, resolutionDueAt: future })
    await mk({ status: 'open', firstRespondedAt: past, resolutionWarnAt: past, resolutionDueAt: past })
    await api('PUT', '/api/v1/me/presence', operatorCookie, { state: 'available' })

    const res = await api('GET', '/api/v1/wallboard', supervisorCookie)
    expect(res.statusCode, res.body).toBe(200)
    const board = res.json()
    expect(board.calls.waiting).toBeGreaterThanOrEqual(2)
    expect(board.calls.longestWaitSeconds).toBeGreaterThanOrEqual(120)
    const queue = board.queues.find((q: { queueId: number }) => q.queueId === queueId)
    expect(queue).toMatchObject({ open: 4, unassigned: 3 })
    expect(queue.callsWaiting).toBeGreaterThanOrEqual(2)
    expect(board.sla).toMatchObject({ atRisk: 1, breached: 1, exact: true })
    expect(board.agents.list).toContainEqual(expect.objectContaining({ id: alice.id, state: 'available' }))
    expect(board.agents.byState.available).toBeGreaterThanOrEqual(1)

    // A call whose hangup never came is not waiting five hours later.
    const lost = pbx.call(freshNumber().national, '0574183911', { queue: 'call-centre' })
    await lost.ring()
    await age(lost.callId, 'startedAt', 5 * 3600)
    await ringing.answer('202')
    const after = (await api('GET', '/api/v1/wallboard', operatorCookie)).json()
    expect(after.calls.waiting).toBe(board.calls.waiting - 1)
    expect(after.calls.longestWaitSeconds).toBeLessThan(3600)
    expect(after.calls.active).toBeGreaterThanOrEqual(1)
    expect(after.agents.list).toContainEqual(
      expect.objectContaining({ id: bob.id, onCallId: (await callRow(ringing.callId)).id }),
    )

    expect((await api('GET', '/api/v1/wallboard', officeCookie)).statusCode).toBe(403)
    const live = await waitFor(async () => events.find((e) => e.type === 'wallboard'), 5000)
    expect(live.data.calls).toMatchObject({
      waiting: expect.any(Number),
      longestWaitSeconds: expect.any(Number),
    })
    expect(live.userIds).toContain(alice.id)
    expect(live.userIds).not.toContain(officeStaff.id)
    await ringing.hangup('normalClearing')
    await other.hangup('cancel')
  })
})

describe('logs', () => {
  it('never show the PBX token of the webhook URL', async () => {
    const lines: string[] = []
    const logger = createLogger({ logLevel: 'info' }, 'filo-test', {
      write: (line: string) => lines.push(line),
    })
    const logged = await buildApp(t.deps, { logger })
    try {
      const res = await new FakePbx(logged, token).send({
        event: 'newCall',
        from: freshNumber().national,
        to: '0574183911',
        direction: 'in',
        callId: 'log-1',
      })
      expect(res.statusCode).toBe(200)
      const text = lines.join('')
      expect(text).toContain('/api/v1/cti/[redacted]')
      expect(text).not.toContain(token)
    } finally {
      await logged.close()
    }
  })
})
