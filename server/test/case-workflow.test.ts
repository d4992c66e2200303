import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let officeA: number
let officeB: number
let operator: string
let staffA: string
let staffAId: number
let staffB: string
let fieldWorker: string

beforeAll(async () => {
  t = await createTestApp()
  officeA = (await createOffice(t.deps.db, 'Verde Pubblico')).id
  officeB = (await createOffice(t.deps.db, 'Tributi')).id
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  const a = await createUser(t.deps.db, 'office_staff', {
    officeIds: [officeA],
    email: 'giulia.bini@test.filo',
  })
  staffAId = a.id
  staffA = await t.login(a.email)
  staffB = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeB] })).email)
  fieldWorker = await t.login((await createUser(t.deps.db, 'field_worker')).email)
})
afterAll(() => t.close())

const call = (
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { cookie, ...headers },
    ...(payload === undefined ? {} : { payload }),
  })

async function newCase(officeId: number, subject = 'Albero pericolante nel parco', description = '') {
  const res = await call(operator, 'POST', '/api/v1/cases', {
    subject,
    description,
    channel: 'phone',
    officeId,
  })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: number; number: string; version: number }
}

describe('editing with optimistic concurrency', () => {
  it('applies a change with the current version, records it, and refuses a stale one with the current state', async () => {
    const c = await newCase(officeA)
    const first = await call(staffA, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version,
      priority: 'high',
    })
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ priority: 'high', version: c.version + 1 })
    expect(first.json().nextStatuses).toEqual(expect.arrayContaining(['open', 'assigned', 'resolved']))
    expect(first.headers.etag).toBe(`"${c.version + 1}"`)

    // A second operator still holding the old version.
    const stale = await call(operator, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version,
      priority: 'low',
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('case_version_conflict')
    expect(stale.json().error.details.current).toMatchObject({ priority: 'high', version: c.version + 1 })

    const viaHeader = await call(
      operator,
      'PATCH',
      `/api/v1/cases/${c.id}`,
      { tags: ['alberi'] },
      { 'if-match': `"${c.version + 1}"` },
    )
    expect(viaHeader.statusCode).toBe(200)
    const missing = await call(operator, 'PATCH', `/api/v1/cases/${c.id}`, { priority: 'low' })
    expect(missing.json().error.code).toBe('case_version_required')

    const events = (await call(operator, 'GET', `/api/v1/cases/${c.id}/events`)).json()
    expect(events.find((e: { kind: string }) => e.kind === 'updated').data.changes).toEqual({
      priority: { from: 'normal', to: 'high' },
    })
  })

  it('lets exactly one of two concurrent writers win', async () => {
    const c = await newCase(officeA)
    const results = await Promise.all(
      ['low', 'urgent'].map((priority) =>
        call(operator, 'PATCH', `/api/v1/cases/${c.id}`, { version: c.version, priority }),
      ),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
  })

  it('assigning a new case moves it to assigned; office staff assign only within the office', async () => {
    const c = await newCase(officeA)
    const assigned = await call(staffA, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version,
      assigneeId: staffAId,
    })
    expect(assigned.json()).toMatchObject({ status: 'assigned', assigneeId: staffAId })
    const outsider = await createUser(t.deps.db, 'office_staff', { officeIds: [officeB] })
    const refused = await call(staffA, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version + 1,
      assigneeId: outsider.id,
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('assignee_outside_office')
    const released = await call(staffA, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version + 1,
      assigneeId: null,
    })
    expect(released.json()).toMatchObject({ status: 'open', assigneeId: null })
  })

  it('field workers cannot edit, and nothing changes when a request is refused', async () => {
    const c = await newCase(officeA)
    const res = await call(fieldWorker, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version,
      subject: 'Hacked',
    })
    expect([403, 404]).toContain(res.statusCode)
    const bad = await call(operator, 'PATCH', `/api/v1/cases/${c.id}`, {
      version: c.version,
      priority: 'subito',
    })
    expect(bad.statusCode).toBe(400)
    const after = (await call(operator, 'GET', `/api/v1/cases/${c.id}`)).json()
    expect(after).toMatchObject({
      subject: 'Albero pericolante nel parco',
      priority: 'normal',
      version: c.version,
    })
  })
})

describe('internal notes', () => {
  it('stores a note with the colleagues it mentions by @handle', async () => {
    const c = await newCase(officeA)
    const res = await call(operator, 'POST', `/api/v1/cases/${c.id}/notes`, {
      text: 'Il cittadino richiama domani. @giulia.bini puoi verificare? Scrivere a ufficio@comune.prato.it',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      kind: 'note',
      data: { mentions: [{ id: staffAId, fullName: 'Test office_staff' }] },
    })
    const unknown = await call(operator, 'POST', `/api/v1/cases/${c.id}/notes`, {
      text: 'Vedi tu',
      mentions: [999999],
    })
    expect(unknown.statusCode).toBe(400)
  })
})

describe('links and merge', () => {
  it('links parent and child, refuses cycles and second parents, and shows each side its view', async () => {
    const parent = await newCase(officeA, 'Manutenzione Parco di Galceti')
    const child = await newCase(officeA, 'Panchina rotta nel Parco di Galceti')
    const other = await newCase(officeA, 'Altra')
    const res = await call(operator, 'POST', `/api/v1/cases/${child.id}/links`, {
      kind: 'child',
      targetId: parent.id,
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual([expect.objectContaining({ relation: 'child_of', caseId: parent.id })])
    const fromParent = await call(operator, 'GET', `/api/v1/cases/${parent.id}/links`)
    expect(fromParent.json()).toEqual([expect.objectContaining({ relation: 'parent_of', caseId: child.id })])
    // Both timelines tell the same story: the child was linked to the parent.
    for (const c of [child, parent]) {
      const events = (await call(operator, 'GET', `/api/v1/cases/${c.id}/events`)).json()
      expect(events.find((e: { kind: string }) => e.kind === 'linked').data).toEqual({
        kind: 'child',
        from: child.id,
        to: parent.id,
      })
    }
    const cycle = await call(operator, 'POST', `/api/v1/cases/${parent.id}/links`, {
      kind: 'child',
      targetId: child.id,
    })
    expect(cycle.json().error.code).toBe('link_cycle')
    const second = await call(operator, 'POST', `/api/v1/cases/${child.id}/links`, {
      kind: 'child',
      targetId: other.id,
    })
    expect(second.json().error.code).toBe('link_second_parent')
    const again = await call(operator, 'POST', `/api/v1/cases/${other.id}/links`, {
      kind: 'related',
      targetId: parent.id,
    })
    expect(again.statusCode).toBe(201)
    const dup = await call(operator, 'POST', `/api/v1/cases/${parent.id}/links`, {
      kind: 'related',
      targetId: other.id,
    })
    expect(dup.json().error.code).toBe('link_exists')
    const linkId = fromParent.json()[0].id
    expect((await call(operator, 'DELETE', `/api/v1/cases/${parent.id}/links/${linkId}`)).statusCode).toBe(
      204,
    )
    expect((await call(operator, 'GET', `/api/v1/cases/${child.id}/links`)).json()).toEqual([])
    const childEvents = (await call(operator, 'GET', `/api/v1/cases/${child.id}/events`)).json()
    expect(childEvents.map((e: { kind: string }) => e.kind)).toContain('unlinked')
  })

  it('merges a duplicate: its timeline moves, it closes and points to the target, and it can no longer change', async () => {
    const target = await newCase(officeA, 'Lampione spento in Via Roma')
    const duplicate = await newCase(officeA, 'Via Roma al buio')
    await call(operator, 'POST', `/api/v1/cases/${duplicate.id}/notes`, {
      text: 'Segnalato anche da un vicino',
    })
    const merged = await call(operator, 'POST', `/api/v1/cases/${duplicate.id}/merge`, {
      targetId: target.id,
      version: duplicate.version,
    })
    expect(merged.statusCode).toBe(200)
    expect(merged.json().id).toBe(target.id)

    const gone = (await call(operator, 'GET', `/api/v1/cases/${duplicate.id}`)).json()
    expect(gone).toMatchObject({ status: 'closed', mergedIntoId: target.id, nextStatuses: [] })
    const dupEvents = (await call(operator, 'GET', `/api/v1/cases/${duplicate.id}/events`)).json()
    expect(dupEvents.map((e: { kind: string }) => e.kind)).toEqual(['merged_into'])
    const targetEvents = (await call(operator, 'GET', `/api/v1/cases/${target.id}/events`)).json()
    const kinds = targetEvents.map((e: { kind: string }) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['created', 'note', 'merged_from']))
    expect(kinds.filter((k: string) => k === 'created')).toHaveLength(2)
    const links = (await call(operator, 'GET', `/api/v1/cases/${target.id}/links`)).json()
    expect(links).toEqual([expect.objectContaining({ relation: 'duplicated_by', caseId: duplicate.id })])

    const edit = await call(operator, 'PATCH', `/api/v1/cases/${duplicate.id}`, {
      version: gone.version,
      priority: 'high',
    })
    expect(edit.json().error.code).toBe('case_merged')
    const { resolveMergeTarget } = await import('../../core/src/cases/case.repository.ts')
    expect(await resolveMergeTarget(t.deps.db, duplicate.id)).toBe(target.id)
  })
})

describe('Italian full-text search', () => {
  it('finds plurals, unaccented words and contacts’ names, and combines with filters and visibility', async () => {
    const buca = await newCase(officeA, 'Buca pericolosa davanti alla scuola', 'Una buca profonda in città')
    const lampioni = await newCase(officeB, 'Lampioni spenti in piazza', 'Tutta la piazza è al buio')
    const contact = await t.deps.db
      .insertInto('contacts')
      .values({ kind: 'person', firstName: 'Niccolò', lastName: 'Bardazzi' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.deps.db
      .updateTable('cases')
      .set({ contactId: contact.id })
      .where('id', '=', lampioni.id)
      .execute()

    const search = (cookie: string, filter: Record<string, unknown>) =>
      call(cookie, 'GET', `/api/v1/cases?filter=${encodeURIComponent(JSON.stringify(filter))}`).then((r) =>
        r.json().map((c: { id: number }) => c.id),
      )
    expect(await search(operator, { q: 'buche' })).toContain(buca.id)
    expect(await search(operator, { q: 'citta' })).toContain(buca.id)
    expect(await search(operator, { q: 'lampione spento' })).toContain(lampioni.id)
    expect(await search(operator, { q: 'niccolo bardazzi' })).toContain(lampioni.id)
    expect(await search(operator, { q: buca.number })).toEqual([buca.id])
    expect(await search(operator, { q: 'buche', status: 'closed' })).not.toContain(buca.id)
    // Office staff of another office never find it.
    expect(await search(staffB, { q: 'buche' })).not.toContain(buca.id)
  })
})

describe('office visibility on every case endpoint', () => {
  it('office staff cannot read or change another office’s case, whatever they send', async () => {
    const c = await newCase(officeB, 'Rimborso IMU')
    const denied = [
      await call(staffA, 'GET', `/api/v1/cases/${c.id}`),
      await call(staffA, 'GET', `/api/v1/cases/${c.id}/events`),
      await call(staffA, 'GET', `/api/v1/cases/${c.id}/links`),
      await call(
        staffA,
        'GET',
        `/api/v1/case-events?filter=${encodeURIComponent(JSON.stringify({ caseId: c.id }))}`,
      ),
      await call(staffA, 'PATCH', `/api/v1/cases/${c.id}`, { version: c.version, officeId: officeA }),
      await call(staffA, 'POST', `/api/v1/cases/${c.id}/status`, { version: c.version, status: 'open' }),
      await call(staffA, 'POST', `/api/v1/cases/${c.id}/notes`, { text: 'curiosità' }),
      await call(staffA, 'POST', `/api/v1/cases/${c.id}/links`, {
        kind: 'related',
        targetId: (await newCase(officeA)).id,
      }),
      await call(staffA, 'POST', `/api/v1/cases/${c.id}/merge`, {
        version: c.version,
        targetId: (await newCase(officeA)).id,
      }),
      await call(staffA, 'POST', `/api/v1/cases/${(await newCase(officeA)).id}/merge`, {
        version: 1,
        targetId: c.id,
      }),
    ]
    for (const res of denied) {
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json().error.code).toBe('case_not_found')
    }
    const list = await call(
      staffA,
      'GET',
      `/api/v1/cases?filter=${encodeURIComponent(JSON.stringify({ id: [c.id] }))}`,
    )
    expect(list.json()).toEqual([])
    const after = (await call(operator, 'GET', `/api/v1/cases/${c.id}`)).json()
    expect(after).toMatchObject({ version: c.version, officeId: officeB, status: 'new' })
    const events = (await call(operator, 'GET', `/api/v1/cases/${c.id}/events`)).json()
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['created'])
  })
})

describe('keyset pagination and priority order', () => {
  it('walks every case exactly once with X-Next-Cursor, and sorts urgent before high before normal', async () => {
    const office = (await createOffice(t.deps.db, 'Mobilità')).id
    for (const priority of ['low', 'urgent', 'normal', 'high', 'urgent', 'low', 'normal']) {
      await call(operator, 'POST', '/api/v1/cases', {
        subject: `Semaforo ${priority}`,
        channel: 'web',
        officeId: office,
        priority,
      })
    }
    const filter = encodeURIComponent(JSON.stringify({ officeId: office }))
    const sort = encodeURIComponent(JSON.stringify(['priority', 'DESC']))
    const seen: { id: number; priority: string }[] = []
    let cursor: string | undefined
    for (let page = 0; page < 10; page++) {
      const res = await call(
        operator,
        'GET',
        `/api/v1/cases?filter=${filter}&sort=${sort}&range=${encodeURIComponent('[0,2]')}${cursor ? `&cursor=${cursor}` : ''}`,
      )
      expect(res.statusCode, res.body).toBe(200)
      seen.push(...res.json())
      cursor = res.headers['x-next-cursor'] as string | undefined
      if (!cursor) break
    }
    expect(seen).toHaveLength(7)
    expect(new Set(seen.map((c) => c.id)).size).toBe(7)
    expect(seen.map((c) => c.priority)).toEqual([
      'urgent',
      'urgent',
      'high',
      'normal',
      'normal',
      'low',
      'low',
    ])
    const wrongSort = await call(
      operator,
      'GET',
      `/api/v1/cases?filter=${filter}&cursor=${cursor ?? 'bm9wZQ'}`,
    )
    expect(wrongSort.statusCode).toBe(400)
    expect(wrongSort.json().error.code).toBe('invalid_cursor')
  })
})
