import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/**
 * The supervisors' dashboard API, bulk reassignment and canned replies, on real cases:
 * the figures are checked against cases whose dates are set to known values.
 */

let t: TestApp
let admin: string
let supervisor: string
let operator: string
let operatorId: number
let otherOperator: string
let staff: string
let officeA: { id: number; name: string }
let officeB: { id: number; name: string }
let agentId: number

beforeAll(async () => {
  t = await createTestApp()
  officeA = await createOffice(t.deps.db, 'Lavori Pubblici Test')
  officeB = await createOffice(t.deps.db, 'Ambiente Test')
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  const op = await createUser(t.deps.db, 'operator')
  operatorId = op.id
  operator = await t.login(op.email)
  otherOperator = await t.login((await createUser(t.deps.db, 'operator')).email)
  staff = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeA.id] })).email)
  agentId = (await createUser(t.deps.db, 'operator')).id
})
afterAll(() => t.close())

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) })

async function newCase(
  cookie: string,
  body: Record<string, unknown> = {},
): Promise<{ id: number; version: number; number: string }> {
  const res = await call('POST', '/api/v1/cases', cookie, {
    subject: 'Buca in via Roma',
    channel: 'phone',
    ...body,
  })
  expect(res.statusCode).toBe(201)
  return res.json()
}

/** Sets a case's dates directly: the dashboard is about time, the tests about known answers. */
const setCase = (id: number, values: Record<string, Date | string | null>) =>
  t.deps.db.updateTable('cases').set(values).where('id', '=', id).execute()

const at = (iso: string) => new Date(iso)

describe('GET /api/v1/stats/*', () => {
  it('counts cases opened per week by channel, category and office, in Rome days', async () => {
    const a = await newCase(operator, { channel: 'email', officeId: officeA.id })
    const b = await newCase(operator, { channel: 'email', officeId: officeA.id })
    const c = await newCase(operator, { channel: 'phone', officeId: officeB.id })
    // 2025-03-03 is a Monday; 23:30 UTC on Sunday 2 March is already Monday in Rome.
    await setCase(a.id, { createdAt: at('2025-03-02T23:30:00Z') })
    await setCase(b.id, { createdAt: at('2025-03-05T10:00:00Z') })
    await setCase(c.id, { createdAt: at('2025-03-12T10:00:00Z') })

    const byChannel = await call(
      'GET',
      '/api/v1/stats/volumes?from=2025-03-01&to=2025-03-16&by=channel',
      supervisor,
    )
    expect(byChannel.statusCode).toBe(200)
    expect(byChannel.json()).toMatchObject({ from: '2025-03-01', to: '2025-03-16', bucket: 'week', total: 3 })
    expect(byChannel.json().points).toEqual([
      { period: '2025-03-03', key: 'email', count: 2 },
      { period: '2025-03-10', key: 'phone', count: 1 },
    ])
    expect(byChannel.json().groups[0]).toMatchObject({ key: 'email', total: 2 })

    const byOffice = await call('GET', '/api/v1/stats/volumes?from=2025-03-01&to=2025-03-16&by=office', admin)
    expect(byOffice.json().groups).toEqual([
      { key: String(officeA.id), label: officeA.name, total: 2 },
      { key: String(officeB.id), label: officeB.name, total: 1 },
    ])
    const byDay = await call(
      'GET',
      '/api/v1/stats/volumes?from=2025-03-03&to=2025-03-03&bucket=day&by=category',
      supervisor,
    )
    expect(byDay.json().points).toEqual([{ period: '2025-03-03', key: 'none', count: 1 }])
    expect(byDay.json().groups[0].label).toBe('Nessuno')
  })

  it('judges SLA deadlines that fell due in the range: met, breached, pending, per week and office', async () => {
    const now = Date.now()
    const met = await newCase(operator, { officeId: officeA.id })
    const late = await newCase(operator, { officeId: officeA.id })
    const overdue = await newCase(operator, { officeId: officeB.id })
    await setCase(met.id, {
      createdAt: at('2025-05-05T08:00:00Z'),
      resolutionDueAt: at('2025-05-06T16:00:00Z'),
      resolvedAt: at('2025-05-06T09:00:00Z'),
      firstResponseDueAt: at('2025-05-05T12:00:00Z'),
      firstRespondedAt: at('2025-05-05T09:00:00Z'),
      status: 'resolved',
    })
    await setCase(late.id, {
      createdAt: at('2025-05-05T08:00:00Z'),
      resolutionDueAt: at('2025-05-07T16:00:00Z'),
      resolvedAt: at('2025-05-13T09:00:00Z'),
      firstResponseDueAt: at('2025-05-05T12:00:00Z'),
      firstRespondedAt: at('2025-05-05T13:00:00Z'),
      status: 'resolved',
    })
    await setCase(overdue.id, {
      createdAt: at('2025-05-12T08:00:00Z'),
      resolutionDueAt: at('2025-05-13T16:00:00Z'),
      firstResponseDueAt: at('2025-05-12T12:00:00Z'),
      firstRespondedAt: at('2025-05-12T10:00:00Z'),
    })
    const res = await call('GET', '/api/v1/stats/sla?from=2025-05-01&to=2025-05-31', supervisor)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.total).toEqual({
      resolution: { met: 1, breached: 2, pending: 0 },
      firstResponse: { met: 2, breached: 1, pending: 0 },
    })
    expect(body.byPeriod).toEqual([
      {
        period: '2025-05-05',
        resolution: { met: 1, breached: 1, pending: 0 },
        firstResponse: { met: 1, breached: 1, pending: 0 },
      },
      {
        period: '2025-05-12',
        resolution: { met: 0, breached: 1, pending: 0 },
        firstResponse: { met: 1, breached: 0, pending: 0 },
      },
    ])
    expect(body.byOffice).toEqual([
      {
        officeId: officeB.id,
        office: officeB.name,
        resolution: { met: 0, breached: 1, pending: 0 },
        firstResponse: { met: 1, breached: 0, pending: 0 },
      },
      {
        officeId: officeA.id,
        office: officeA.name,
        resolution: { met: 1, breached: 1, pending: 0 },
        firstResponse: { met: 1, breached: 1, pending: 0 },
      },
    ])
    // A deadline still ahead is pending, in neither share.
    const ahead = await newCase(operator)
    await setCase(ahead.id, { resolutionDueAt: new Date(now + 3_600_000) })
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10)
    const today = await call('GET', `/api/v1/stats/sla?from=${day(-1)}&to=${day(2)}`, supervisor)
    expect(today.json().total.resolution.pending).toBeGreaterThanOrEqual(1)
  })

  it('ages the open backlog, unassigned counted apart', async () => {
    const before = (await call('GET', '/api/v1/stats/backlog', supervisor)).json()
    const old = await newCase(operator)
    await setCase(old.id, { createdAt: new Date(Date.now() - 10 * 86_400_000) })
    const resolved = await newCase(operator)
    await setCase(resolved.id, { status: 'resolved', resolvedAt: new Date() })
    const res = await call('GET', '/api/v1/stats/backlog', supervisor)
    expect(res.statusCode).toBe(200)
    const after = res.json()
    const count = (body: typeof after, bucket: string) =>
      body.buckets.find((b: { bucket: string }) => b.bucket === bucket)
    expect(after.buckets.map((b: { bucket: string }) => b.bucket)).toEqual([
      'lt1d',
      'd1to3',
      'd3to7',
      'd7to14',
      'd14to30',
      'gt30d',
    ])
    expect(count(after, 'd7to14').count).toBe(count(before, 'd7to14').count + 1)
    expect(count(after, 'd7to14').unassigned).toBe(count(before, 'd7to14').unassigned + 1)
    expect(after.total).toBe(before.total + 1)
  })

  it('counts first-contact resolution: the opening operator resolved it within 30 minutes, alone, never reopened', async () => {
    const from = new Date().toISOString().slice(0, 10)
    const before = (
      await call('GET', `/api/v1/stats/first-contact?from=${from}&bucket=day`, supervisor)
    ).json()
    const resolve = async (id: number, version: number, cookie = operator) => {
      const res = await call('POST', `/api/v1/cases/${id}/status`, cookie, {
        status: 'resolved',
        version,
        comment: 'Risolto al telefono',
      })
      expect(res.statusCode).toBe(200)
      return res.json()
    }
    // Resolved at once by the operator who opened it: first-contact.
    const quick = await newCase(operator)
    await resolve(quick.id, quick.version)
    // A colleague wrote on it first: not first-contact.
    const helped = await newCase(operator)
    expect(
      (await call('POST', `/api/v1/cases/${helped.id}/notes`, otherOperator, { text: 'Ne parlo io' }))
        .statusCode,
    ).toBe(201)
    await resolve(helped.id, helped.version)
    // Resolved two hours after it was opened: not first-contact.
    const slow = await newCase(operator)
    await resolve(slow.id, slow.version)
    await setCase(slow.id, { createdAt: new Date(Date.now() - 2 * 3_600_000) })
    // Opened by a supervisor: not a call-centre first contact at all.
    await newCase(supervisor)
    const res = await call('GET', `/api/v1/stats/first-contact?from=${from}&bucket=day`, supervisor)
    expect(res.statusCode).toBe(200)
    const after = res.json()
    expect(after.windowMinutes).toBe(30)
    expect(after.total.resolved - before.total.resolved).toBe(1)
    // The slow case now belongs to the day it was opened, which may be yesterday just after midnight.
    expect(after.total.eligible - before.total.eligible).toBeGreaterThanOrEqual(2)
    expect(operatorId).toBeGreaterThan(0)
  })

  it('refuses other roles, reversed and over-long ranges', async () => {
    expect((await call('GET', '/api/v1/stats/backlog', operator)).statusCode).toBe(403)
    expect((await call('GET', '/api/v1/stats/volumes', staff)).statusCode).toBe(403)
    const reversed = await call('GET', '/api/v1/stats/volumes?from=2025-03-10&to=2025-03-01', supervisor)
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().error.code).toBe('stats_range_invalid')
    const long = await call('GET', '/api/v1/stats/sla?from=2024-01-01&to=2025-06-01', supervisor, undefined, {
      'accept-language': 'en',
    })
    expect(long.statusCode).toBe(400)
    expect(long.json().error).toMatchObject({ code: 'stats_range_too_long' })
    expect(long.json().error.message).toContain('366')
    const notADate = await call('GET', '/api/v1/stats/first-contact?from=2025-02-30', supervisor)
    expect(notADate.statusCode).toBe(400)
  })
})

describe('POST /api/v1/cases/bulk-reassign', () => {
  it('assigns several cases to an agent, each with its version; a stale one is reported, the others done', async () => {
    const cases = [await newCase(operator), await newCase(operator), await newCase(operator)]
    const stale = cases[2] as { id: number; version: number }
    // Someone changes the third case meanwhile.
    expect(
      (
        await call('PATCH', `/api/v1/cases/${stale.id}`, operator, {
          version: stale.version,
          priority: 'high',
        })
      ).statusCode,
    ).toBe(200)
    const res = await call('POST', '/api/v1/cases/bulk-reassign', supervisor, {
      cases: cases.map((c) => ({ id: c.id, version: c.version })),
      assigneeId: agentId,
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ updated: 2, failed: 1 })
    expect(body.results.slice(0, 2)).toEqual(
      cases
        .slice(0, 2)
        .map((c) => ({ id: c.id, outcome: 'updated', version: c.version + 1, code: null, message: null })),
    )
    expect(body.results[2]).toMatchObject({
      id: stale.id,
      outcome: 'conflict',
      code: 'case_version_conflict',
    })
    expect(body.results[2].version).toBe(stale.version + 1)
    expect(body.results[2].message).toMatch(/versione/)
    for (const c of cases.slice(0, 2)) {
      const view = (await call('GET', `/api/v1/cases/${c.id}`, supervisor)).json()
      expect(view).toMatchObject({ assigneeId: agentId, status: 'assigned' })
    }
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('action', '=', 'case.bulk_reassign')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('moves cases to a queue, clearing the assignee', async () => {
    const queue = await t.deps.db
      .insertInto('queues')
      .values({ code: 'bulk-q', name: 'Coda bulk', officeId: officeA.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    const one = await newCase(operator)
    const assigned = (
      await call('PATCH', `/api/v1/cases/${one.id}`, supervisor, {
        version: one.version,
        assigneeId: agentId,
      })
    ).json()
    const res = await call('POST', '/api/v1/cases/bulk-reassign', supervisor, {
      cases: [
        { id: one.id, version: assigned.version },
        { id: 999_999_999, version: 1 },
      ],
      queueId: queue.id,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['updated', 'not_found'])
    const view = (await call('GET', `/api/v1/cases/${one.id}`, supervisor)).json()
    expect(view).toMatchObject({ queueId: queue.id, assigneeId: null, status: 'open' })
  })

  it('is for supervisors and admins, with exactly one target', async () => {
    const c = await newCase(operator)
    const body = { cases: [{ id: c.id, version: c.version }], assigneeId: agentId }
    expect((await call('POST', '/api/v1/cases/bulk-reassign', operator, body)).statusCode).toBe(403)
    const both = await call('POST', '/api/v1/cases/bulk-reassign', admin, { ...body, queueId: 1 })
    expect(both.statusCode).toBe(400)
    expect(both.json().error.code).toBe('bulk_target_required')
    const twice = await call('POST', '/api/v1/cases/bulk-reassign', admin, {
      cases: [body.cases[0], body.cases[0]],
      assigneeId: agentId,
    })
    expect(twice.json().error.code).toBe('bulk_case_twice')
  })
})

describe('canned replies', () => {
  it('supervisors write them, staff read them and fill them in for a case they see', async () => {
    const contact = await call('POST', '/api/v1/contacts', operator, {
      kind: 'person',
      firstName: 'Maria',
      lastName: 'Rossi',
      emails: [{ email: 'maria.rossi@example.it' }],
    })
    expect(contact.statusCode).toBe(201)
    const created = await call('POST', '/api/v1/canned-replies', supervisor, {
      title: 'Presa in carico',
      body: 'Gentile {{nome}}, la segnalazione {{numero}} («{{oggetto}}») è stata presa in carico. Stato: {{link_stato}}',
    })
    expect(created.statusCode).toBe(201)
    const reply = created.json()
    expect(reply).toMatchObject({ language: 'it', active: true, version: 1 })
    expect(reply.variables).toEqual(['nome', 'numero', 'oggetto', 'link_stato'])

    const list = await call('GET', '/api/v1/canned-replies?filter={"q":"carico"}', staff)
    expect(list.statusCode).toBe(200)
    expect(list.headers['content-range']).toBe('canned-replies 0-0/1')

    const mine = await newCase(operator, {
      contactId: contact.json().id,
      subject: 'Lampione spento',
      officeId: officeA.id,
    })
    const rendered = await call('POST', `/api/v1/canned-replies/${reply.id}/render`, staff, {
      caseId: mine.id,
    })
    expect(rendered.statusCode).toBe(200)
    const { text, missing } = rendered.json()
    expect(text).toContain('Gentile Maria Rossi, la segnalazione')
    expect(text).toContain(mine.number)
    expect(text).toContain('«Lampione spento»')
    expect(text).toMatch(/Stato: http:\/\/\S+\/stato\/[A-Za-z0-9_-]+$/)
    expect(missing).toEqual([])
    // Office staff fill replies only for their offices' cases: another office's is not there for them.
    const elsewhere = await newCase(operator, { officeId: officeB.id })
    expect(
      (await call('POST', `/api/v1/canned-replies/${reply.id}/render`, staff, { caseId: elsewhere.id }))
        .statusCode,
    ).toBe(404)
    const noContact = await call('POST', `/api/v1/canned-replies/${reply.id}/render`, operator, {
      caseId: elsewhere.id,
    })
    expect(noContact.json().missing).toEqual(['nome'])
  })

  it('refuses unknown variables, duplicate titles, stale versions and writers who are not supervisors', async () => {
    const unknown = await call(
      'POST',
      '/api/v1/canned-replies',
      supervisor,
      { title: 'Sbagliata', body: 'Ciao {{cognome}}' },
      { 'accept-language': 'it' },
    )
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('canned_reply_unknown_variable')
    expect(unknown.json().error.message).toContain('{{cognome}}')
    const first = (
      await call('POST', '/api/v1/canned-replies', admin, { title: 'Chiusura', body: 'Risolta.' })
    ).json()
    const again = await call('POST', '/api/v1/canned-replies', supervisor, {
      title: 'chiusura',
      body: 'Altro',
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('canned_reply_title_taken')
    const english = await call('POST', '/api/v1/canned-replies', supervisor, {
      title: 'Chiusura',
      language: 'en',
      body: 'Resolved: {{link_stato}}',
    })
    expect(english.statusCode).toBe(201)
    expect(
      (await call('POST', '/api/v1/canned-replies', operator, { title: 'X', body: 'Y' })).statusCode,
    ).toBe(403)

    const changed = await call('PATCH', `/api/v1/canned-replies/${first.id}`, supervisor, {
      version: 1,
      body: 'La segnalazione {{numero}} è risolta.',
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ version: 2, variables: ['numero'] })
    const stale = await call('PATCH', `/api/v1/canned-replies/${first.id}`, supervisor, {
      version: 1,
      active: false,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.details.current.version).toBe(2)
    expect((await call('DELETE', `/api/v1/canned-replies/${first.id}`, operator)).statusCode).toBe(403)
    expect((await call('DELETE', `/api/v1/canned-replies/${first.id}`, supervisor)).statusCode).toBe(200)
    expect((await call('GET', `/api/v1/canned-replies/${first.id}`, operator)).statusCode).toBe(404)
    const audited = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'canned_reply')
      .where('entityId', '=', first.id)
      .orderBy('id')
      .execute()
    expect(audited.map((a) => a.action)).toEqual([
      'canned_reply.create',
      'canned_reply.update',
      'canned_reply.delete',
    ])
  })
})
