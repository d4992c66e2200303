import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRATO_CALENDAR_SETTINGS } from '../../core/src/sla/calendar.schemas.ts'
import { createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/**
 * The console names a case's SLA policy and a policy's calendar through react-admin's
 * getMany, which lists the records by id: `filter={"id":[…]}` must answer just those.
 */

let t: TestApp
let admin: string
let supervisor: string

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
})
afterAll(() => t.close())

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } })
const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: admin }, payload })
const byIds = (ids: number | number[]) => encodeURIComponent(JSON.stringify({ id: ids }))

describe('SLA lists by id (react-admin getMany)', () => {
  it('answers only the calendars and policies asked for, one id or several', async () => {
    const calendars: number[] = []
    for (const code of ['uno', 'due', 'tre']) {
      const res = await post('/api/v1/business-calendars', {
        code: `ref-${code}`,
        name: `Calendario ${code}`,
        settings: PRATO_CALENDAR_SETTINGS,
      })
      expect(res.statusCode).toBe(201)
      calendars.push(res.json().id)
    }
    const [first, second, third] = calendars as [number, number, number]
    const some = await get(`/api/v1/business-calendars?filter=${byIds([first, third])}`, supervisor)
    expect(some.statusCode).toBe(200)
    expect(
      some
        .json()
        .map((c: { id: number }) => c.id)
        .sort(),
    ).toEqual([first, third].sort())
    expect(some.headers['content-range']).toBe('business-calendars 0-1/2')

    const policies: number[] = []
    for (const [i, priority] of (['low', 'high'] as const).entries()) {
      const res = await post('/api/v1/sla-policies', {
        name: `Politica ${i}`,
        priority,
        calendarId: second,
        firstResponseMinutes: 60,
        resolutionMinutes: 600,
      })
      expect(res.statusCode).toBe(201)
      policies.push(res.json().id)
    }
    const one = await get(`/api/v1/sla-policies?filter=${byIds(policies[1] as number)}`, supervisor)
    expect(one.statusCode).toBe(200)
    expect(one.json()).toMatchObject([{ id: policies[1], name: 'Politica 1', calendarId: second }])
  })
})
