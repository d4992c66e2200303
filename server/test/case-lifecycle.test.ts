import { type CaseStatus, checkTransition, type Role, STATUSES } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/** The state machine as the product describes it, written out independently of the code's table. */
const LEGAL = new Set([
  'new→open',
  'new→assigned',
  'new→resolved',
  'new→closed',
  'open→assigned',
  'open→in_progress',
  'open→resolved',
  'open→closed',
  'assigned→open',
  'assigned→in_progress',
  'assigned→resolved',
  'in_progress→waiting_citizen',
  'in_progress→waiting_third_party',
  'in_progress→resolved',
  'in_progress→open',
  'waiting_citizen→in_progress',
  'waiting_citizen→resolved',
  'waiting_third_party→in_progress',
  'waiting_third_party→resolved',
  'resolved→closed',
  'resolved→open',
  'closed→open',
])

let t: TestApp
let office: number
const cookies = {} as Record<Role, string>
const ids = {} as Record<Role, number>

beforeAll(async () => {
  t = await createTestApp()
  office = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  for (const role of ['admin', 'supervisor', 'operator', 'office_staff', 'field_worker'] as Role[]) {
    const user = await createUser(t.deps.db, role, { officeIds: [office] })
    ids[role] = user.id
    cookies[role] = await t.login(user.email)
  }
})
afterAll(() => t.close())

/** A case of our office put straight into `status`, assigned to the field worker so they may act on it. */
async function caseIn(status: CaseStatus): Promise<{ id: number; version: number }> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { cookie: cookies.admin },
    payload: { subject: `Caso in ${status}`, channel: 'phone', officeId: office },
  })
  const { id } = created.json()
  const row = await t.deps.db
    .updateTable('cases')
    .set({ status, assigneeId: ids.field_worker })
    .where('id', '=', id)
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow()
  return row
}

const move = (role: Role, id: number, version: number, status: CaseStatus, lang = 'it') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${id}/status`,
    headers: { cookie: cookies[role], 'accept-language': lang },
    payload: { status, version },
  })

describe('the state machine', () => {
  it('the code allows exactly the transitions the product describes', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const legal = LEGAL.has(`${from}→${to}`)
        expect(checkTransition(from, to, 'admin').ok, `${from}→${to}`).toBe(legal)
      }
    }
  })

  it('the API performs every legal transition and refuses every illegal one, naming both states', async () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const c = await caseIn(from)
        const res = await move('admin', c.id, c.version, to)
        if (LEGAL.has(`${from}→${to}`)) {
          expect(res.statusCode, `${from}→${to}: ${res.body}`).toBe(200)
          expect(res.json()).toMatchObject({ status: to, version: c.version + 1 })
        } else {
          expect(res.statusCode, `${from}→${to}`).toBe(409)
          expect(res.json().error.code).toBe('illegal_transition')
          expect(res.json().error.details).toEqual({ from, to })
        }
      }
    }
  })

  it('explains an illegal transition in the reader’s language with the states’ names', async () => {
    const c = await caseIn('closed')
    const it = await move('admin', c.id, c.version, 'in_progress')
    expect(it.json().error.message).toBe(
      'Una segnalazione nello stato «Chiusa» non può passare allo stato «In lavorazione».',
    )
    const en = await move('admin', c.id, c.version, 'in_progress', 'en')
    expect(en.json().error.message).toBe('A case in status "Closed" cannot move to status "In progress".')
  })

  it('lets each role make only its moves', async () => {
    const allowed = async (role: Role, from: CaseStatus, to: CaseStatus) => {
      const c = await caseIn(from)
      const res = await move(role, c.id, c.version, to)
      if (res.statusCode !== 200) expect(res.json().error.code).toBe('transition_not_allowed')
      return res.statusCode === 200
    }
    // The call centre resolves at first contact and reopens resolved cases, but does not work office cases.
    expect(await allowed('operator', 'new', 'resolved')).toBe(true)
    expect(await allowed('operator', 'resolved', 'open')).toBe(true)
    expect(await allowed('operator', 'in_progress', 'waiting_citizen')).toBe(false)
    expect(await allowed('operator', 'new', 'closed')).toBe(false)
    // Offices work their cases, but only supervisors reopen closed ones.
    expect(await allowed('office_staff', 'in_progress', 'waiting_citizen')).toBe(true)
    expect(await allowed('office_staff', 'resolved', 'closed')).toBe(true)
    expect(await allowed('office_staff', 'closed', 'open')).toBe(false)
    expect(await allowed('supervisor', 'closed', 'open')).toBe(true)
    // Field workers start and finish their own work orders, nothing else.
    expect(await allowed('field_worker', 'assigned', 'in_progress')).toBe(true)
    expect(await allowed('field_worker', 'in_progress', 'resolved')).toBe(true)
    expect(await allowed('field_worker', 'new', 'open')).toBe(false)
    expect(await allowed('field_worker', 'in_progress', 'waiting_citizen')).toBe(false)
  })

  it('records resolution and closing times, clears them on reopening, and says so on the timeline', async () => {
    const c = await caseIn('in_progress')
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/status`,
      headers: { cookie: cookies.office_staff },
      payload: { status: 'resolved', version: c.version, comment: 'Buca chiusa con asfalto a freddo.' },
    })
    expect(resolved.json().resolvedAt).not.toBeNull()
    const closed = await move('office_staff', c.id, c.version + 1, 'closed')
    expect(closed.json().closedAt).not.toBeNull()
    const reopened = await move('supervisor', c.id, c.version + 2, 'open')
    expect(reopened.json()).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null })
    const events = await t.app.inject({
      url: `/api/v1/cases/${c.id}/events`,
      headers: { cookie: cookies.admin },
    })
    const kinds = events
      .json()
      .map((e: { kind: string; data: Record<string, unknown> }) => [e.kind, e.data.to])
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['status_changed', 'resolved'],
        ['status_changed', 'closed'],
        ['reopened', 'open'],
      ]),
    )
    expect(events.json().find((e: { data: { to?: string } }) => e.data.to === 'resolved').data.comment).toBe(
      'Buca chiusa con asfalto a freddo.',
    )
  })

  it('offers each role the moves it may make', async () => {
    const c = await caseIn('in_progress')
    const asOperator = await t.app.inject({
      url: `/api/v1/cases/${c.id}`,
      headers: { cookie: cookies.operator },
    })
    expect(asOperator.json().nextStatuses).toEqual([])
    const asStaff = await t.app.inject({
      url: `/api/v1/cases/${c.id}`,
      headers: { cookie: cookies.office_staff },
    })
    expect(asStaff.json().nextStatuses.sort()).toEqual([
      'open',
      'resolved',
      'waiting_citizen',
      'waiting_third_party',
    ])
  })
})
