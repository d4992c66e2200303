import { notifyStaff } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRATO_CALENDAR_SETTINGS } from '../../core/src/sla/calendar.schemas.ts'
import { createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
let supervisor: string
let operator: string
let operatorId: number
let otherId: number

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  const op = await createUser(t.deps.db, 'operator')
  operatorId = op.id
  operator = await t.login(op.email)
  otherId = (await createUser(t.deps.db, 'operator')).id
})
afterAll(() => t.close())

const call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) })

describe('business calendars API', () => {
  it('creates a calendar, previews its closures and a deadline, and refuses a bad one naming the day', async () => {
    const created = await call('POST', '/api/v1/business-calendars', admin, {
      code: 'prato-test',
      name: 'Prato',
      settings: PRATO_CALENDAR_SETTINGS,
    })
    expect(created.statusCode).toBe(201)
    const calendar = created.json()
    expect(calendar.settings.timeZone).toBe('Europe/Rome')

    const preview = await call(
      'GET',
      `/api/v1/business-calendars/${calendar.id}/preview?year=2027&from=2026-12-04T11:00:00Z&minutes=540`,
      supervisor,
    )
    expect(preview.statusCode).toBe(200)
    const body = preview.json()
    expect(body.closures.map((c: { date: string }) => c.date)).toContain('2027-03-29') // Easter Monday 2027
    expect(body.deadline.dueAt).toBe('2026-12-09T11:00:00.000Z')

    const overlapping = await call(
      'POST',
      '/api/v1/business-calendars',
      admin,
      {
        code: 'broken',
        name: 'Broken',
        settings: {
          weeklyHours: {
            ...PRATO_CALENDAR_SETTINGS.weeklyHours,
            tue: [
              { from: '08:30', to: '13:00' },
              { from: '12:00', to: '17:30' },
            ],
          },
        },
      },
      { 'accept-language': 'it' },
    )
    expect(overlapping.statusCode).toBe(400)
    expect(overlapping.json().error.code).toBe('sla_calendar_interval_overlap')
    expect(overlapping.json().error.message).toContain('martedì')

    const taken = await call('POST', '/api/v1/business-calendars', admin, {
      code: 'prato-test',
      name: 'Again',
      settings: PRATO_CALENDAR_SETTINGS,
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('sla_calendar_code_taken')
  })

  it('changes a calendar with optimistic concurrency; supervisors read, operators do not', async () => {
    const calendar = (
      await call('POST', '/api/v1/business-calendars', admin, {
        code: 'cal-edit',
        name: 'Edit me',
        settings: PRATO_CALENDAR_SETTINGS,
      })
    ).json()
    const changed = await call('PATCH', `/api/v1/business-calendars/${calendar.id}`, admin, {
      version: 1,
      settings: {
        ...PRATO_CALENDAR_SETTINGS,
        localHolidays: [{ date: '2027-08-16', name: 'Chiusura estiva' }],
      },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json().version).toBe(2)
    const stale = await call('PATCH', `/api/v1/business-calendars/${calendar.id}`, admin, {
      version: 1,
      name: 'x',
    })
    expect(stale.statusCode).toBe(409)
    expect((await call('GET', `/api/v1/business-calendars/${calendar.id}`, supervisor)).statusCode).toBe(200)
    expect(
      (await call('PATCH', `/api/v1/business-calendars/${calendar.id}`, supervisor, { version: 2 }))
        .statusCode,
    ).toBe(403)
    expect((await call('GET', '/api/v1/business-calendars', operator)).statusCode).toBe(403)
  })
})

describe('SLA policies API', () => {
  it('creates, lists and changes policies; one active policy per scope; refuses unknown references', async () => {
    const calendar = (
      await call('POST', '/api/v1/business-calendars', admin, {
        code: 'for-policies',
        name: 'Policies',
        settings: PRATO_CALENDAR_SETTINGS,
      })
    ).json()
    const body = {
      name: 'Urgenti',
      priority: 'urgent',
      calendarId: calendar.id,
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      onBreach: { notifySupervisors: true, raisePriority: true },
    }
    const created = await call('POST', '/api/v1/sla-policies', admin, body)
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ categoryId: null, warnPercent: 75, active: true, version: 1 })

    const again = await call('POST', '/api/v1/sla-policies', admin, body, { 'accept-language': 'en' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'sla_policy_scope_taken' })
    expect(again.json().error.message).toMatch(/already exists/)

    const unknownQueue = await call('POST', '/api/v1/sla-policies', admin, {
      ...body,
      priority: 'high',
      onWarning: { moveToQueueId: 999_999 },
    })
    expect(unknownQueue.statusCode).toBe(400)
    expect(unknownQueue.json().error.code).toBe('sla_unknown_queue')
    const badTarget = await call('POST', '/api/v1/sla-policies', admin, { ...body, firstResponseMinutes: 0 })
    expect(badTarget.statusCode).toBe(400)
    const unknownField = await call('POST', '/api/v1/sla-policies', admin, {
      ...body,
      priority: 'low',
      onBreach: { callTheMayor: true },
    })
    expect(unknownField.statusCode).toBe(400)

    const id = created.json().id
    const changed = await call(
      'PATCH',
      `/api/v1/sla-policies/${id}`,
      admin,
      { warnPercent: 80 },
      { 'if-match': '"1"' },
    )
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ warnPercent: 80, version: 2 })
    const list = await call('GET', '/api/v1/sla-policies?filter={"priority":"urgent"}', supervisor)
    expect(list.json().map((p: { id: number }) => p.id)).toEqual([id])
    expect((await call('POST', '/api/v1/sla-policies', supervisor, body)).statusCode).toBe(403)

    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'sla_policy')
      .where('entityId', '=', id)
      .execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['sla_policy.create', 'sla_policy.update'])
  })
})

describe('my notifications', () => {
  it('lists mine only, counts the unread, and marks them read', async () => {
    await t.deps.db.transaction().execute(async (trx) => {
      await notifyStaff(trx, [operatorId, otherId], {
        kind: 'sla_warning',
        caseId: null,
        data: { target: 'resolution' },
        dedupeKey: 'test:1',
      })
      // The same key again notifies nobody twice.
      await notifyStaff(trx, [operatorId], {
        kind: 'sla_warning',
        caseId: null,
        data: {},
        dedupeKey: 'test:1',
      })
      await notifyStaff(trx, [operatorId], {
        kind: 'sla_breach',
        caseId: null,
        data: {},
        dedupeKey: 'test:2',
      })
    })
    const mine = (await call('GET', '/api/v1/me/notifications', operator)).json()
    expect(mine.unread).toBe(2)
    expect(mine.rows.map((n: { kind: string }) => n.kind)).toEqual(['sla_breach', 'sla_warning'])

    const others = await t.deps.db
      .selectFrom('staffNotifications')
      .select('id')
      .where('userId', '=', otherId)
      .executeTakeFirstOrThrow()
    expect((await call('POST', `/api/v1/me/notifications/${others.id}/read`, operator)).statusCode).toBe(404)

    const first = mine.rows[0].id
    expect((await call('POST', `/api/v1/me/notifications/${first}/read`, operator)).statusCode).toBe(204)
    expect((await call('GET', '/api/v1/me/notifications?unread=true', operator)).json().unread).toBe(1)
    expect((await call('POST', '/api/v1/me/notifications/read-all', operator)).json()).toEqual({ marked: 1 })
    expect((await call('GET', '/api/v1/me/notifications', operator)).json().unread).toBe(0)
    expect((await call('GET', '/api/v1/me/notifications?limit=0', operator)).statusCode).toBe(400)
  })
})
