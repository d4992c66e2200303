import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let officeA: number
let officeB: number
let lights: number
let roads: number
let operator: string
let staffA: string
let staffB: string

/** Degrees of latitude in `metres` (north of a point). */
const north = (metres: number) => metres / ((6_371_008.8 * Math.PI) / 180)

beforeAll(async () => {
  t = await createTestApp()
  officeA = (await createOffice(t.deps.db, 'Illuminazione')).id
  officeB = (await createOffice(t.deps.db, 'Strade')).id
  const [l, r] = await t.deps.db
    .insertInto('categories')
    .values([
      {
        code: 'luci',
        nameIt: 'Illuminazione pubblica',
        nameEn: 'Street lighting',
        officeId: officeA,
        parentId: null,
      },
      { code: 'strade', nameIt: 'Strade', nameEn: 'Roads', officeId: officeB, parentId: null },
    ])
    .returning('id')
    .execute()
  lights = l?.id as number
  roads = r?.id as number
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  staffA = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeA] })).email)
  staffB = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeB] })).email)
})
afterAll(() => t.close())

const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) })

interface Suggestion {
  id: number
  number: string
  reasons: string[]
  distance: number | null
  sameCategory: boolean
  score: number
}

async function newCase(fields: {
  subject: string
  officeId?: number
  categoryId?: number
  contactId?: number
  at?: { latitude: number; longitude: number }
}) {
  const { at, ...rest } = fields
  const res = await call(operator, 'POST', '/api/v1/cases', {
    channel: 'phone',
    officeId: officeA,
    ...rest,
    ...(at ?? {}),
  })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: number; number: string; version: number }
}

async function newContact(lastName: string) {
  const row = await t.deps.db
    .insertInto('contacts')
    .values({ firstName: 'Anna', lastName, email: `${lastName.toLowerCase()}@example.test` })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function similar(cookie: string, id: number): Promise<Suggestion[]> {
  const res = await call(cookie, 'GET', `/api/v1/cases/${id}/similar`)
  expect(res.statusCode).toBe(200)
  return res.json()
}

const byId = (list: Suggestion[], id: number) => list.find((s) => s.id === id)

describe('GET /cases/:id/similar', () => {
  it('suggests the same contact, a nearby point (same category first) and a similar subject, each with its reason', async () => {
    const place = { latitude: 45.07, longitude: 7.68 }
    const contact = await newContact('Ferraris')
    const own = await newCase({
      subject: 'Lampione spento in via Garibaldi',
      categoryId: lights,
      contactId: contact,
      at: place,
    })
    const sameContact = await newCase({ subject: 'Richiesta certificato anagrafico', contactId: contact })
    const nearSameCategory = await newCase({
      subject: 'Segnalazione generica',
      categoryId: lights,
      at: { ...place, latitude: place.latitude + north(80) },
    })
    const nearOtherCategory = await newCase({
      subject: 'Marciapiede dissestato',
      categoryId: roads,
      at: { ...place, latitude: place.latitude - north(80) },
    })
    const far = await newCase({
      subject: 'Rifiuti abbandonati',
      at: { ...place, latitude: place.latitude + north(400) },
    })
    const sameText = await newCase({ subject: 'Il lampione di via Garibaldi è spento da ieri' })
    const sameStreetOnly = await newCase({ subject: 'Buca in via Garibaldi' })
    const everything = await newCase({
      subject: 'Lampione spento via Garibaldi',
      categoryId: lights,
      contactId: contact,
      at: { ...place, longitude: place.longitude + 0.0003 },
    })

    const list = await similar(operator, own.id)
    expect(byId(list, sameContact.id)).toMatchObject({ reasons: ['same_contact'], distance: null })
    const near = byId(list, nearSameCategory.id)
    expect(near).toMatchObject({ reasons: ['nearby'], sameCategory: true })
    expect(near?.distance).toBeGreaterThanOrEqual(79)
    expect(near?.distance).toBeLessThanOrEqual(81)
    const nearOther = byId(list, nearOtherCategory.id)
    expect(nearOther).toMatchObject({ reasons: ['nearby'], sameCategory: false })
    expect(near?.score ?? 0).toBeGreaterThan(nearOther?.score ?? 0)
    expect(byId(list, sameText.id)).toMatchObject({ reasons: ['similar_text'], distance: null })
    expect(byId(list, everything.id)).toMatchObject({
      reasons: ['same_contact', 'nearby', 'similar_text'],
      sameCategory: true,
    })
    expect(list[0]?.id).toBe(everything.id)
    expect(byId(list, far.id)).toBeUndefined()
    expect(byId(list, sameStreetOnly.id)).toBeUndefined()
    expect(byId(list, own.id)).toBeUndefined()
    const scores = list.map((s) => s.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('leaves out merged, closed, long-resolved, old and already-linked cases', async () => {
    const place = { latitude: 45.2, longitude: 7.9 }
    const subject = 'Perdita acqua dal tombino di piazza Statuto'
    const own = await newCase({ subject, at: place })
    const [
      merged,
      mergeTarget,
      closed,
      resolvedLongAgo,
      resolvedRecently,
      old,
      linkedFrom,
      linkedTo,
      related,
    ] = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        newCase({ subject, at: { ...place, latitude: place.latitude + north(10 + i) } }),
      ),
    )
    if (!merged || !mergeTarget || !closed || !resolvedLongAgo || !resolvedRecently || !old)
      throw new Error('cases missing')
    if (!linkedFrom || !linkedTo || !related) throw new Error('cases missing')

    const before = await similar(operator, own.id)
    expect(before.map((s) => s.id).sort((a, b) => a - b)).toEqual(
      [merged, mergeTarget, closed, resolvedLongAgo, resolvedRecently, old, linkedFrom, linkedTo, related]
        .map((c) => c.id)
        .sort((a, b) => a - b),
    )

    const mergedRes = await call(operator, 'POST', `/api/v1/cases/${merged.id}/merge`, {
      targetId: mergeTarget.id,
      version: merged.version,
    })
    expect(mergedRes.statusCode).toBe(200)
    const { db } = t.deps
    const daysAgo = (days: number) => sql<Date>`now() - make_interval(days => ${days})`
    await db
      .updateTable('cases')
      .set({ status: 'closed', closedAt: daysAgo(2) })
      .where('id', '=', closed.id)
      .execute()
    await db
      .updateTable('cases')
      .set({ status: 'resolved', resolvedAt: daysAgo(40) })
      .where('id', '=', resolvedLongAgo.id)
      .execute()
    await db
      .updateTable('cases')
      .set({ status: 'resolved', resolvedAt: daysAgo(5) })
      .where('id', '=', resolvedRecently.id)
      .execute()
    await db
      .updateTable('cases')
      .set({ createdAt: daysAgo(90) })
      .where('id', '=', old.id)
      .execute()
    for (const [from, to, kind] of [
      [linkedFrom.id, own.id, 'duplicate'],
      [own.id, linkedTo.id, 'duplicate'],
      [own.id, related.id, 'related'],
    ] as const) {
      const res = await call(operator, 'POST', `/api/v1/cases/${from}/links`, { kind, targetId: to })
      expect(res.statusCode).toBe(201)
    }

    const after = (await similar(operator, own.id)).map((s) => s.id).sort((a, b) => a - b)
    // A related case is not yet a duplicate: it is still suggested.
    expect(after).toEqual([mergeTarget.id, resolvedRecently.id, related.id].sort((a, b) => a - b))

    // A merged case suggests nothing: its work goes on in the case it was merged into.
    expect(await similar(operator, merged.id)).toEqual([])
  })

  it('shows office staff only cases of their offices, and 404 for a case they cannot see or that does not exist', async () => {
    const place = { latitude: 44.9, longitude: 7.5 }
    const inA = await newCase({ subject: 'Semaforo guasto in corso Francia', officeId: officeA, at: place })
    const alsoA = await newCase({
      subject: 'Semaforo guasto in corso Francia',
      officeId: officeA,
      at: { ...place, latitude: place.latitude + north(30) },
    })
    const inB = await newCase({
      subject: 'Semaforo guasto in corso Francia',
      officeId: officeB,
      at: { ...place, latitude: place.latitude + north(60) },
    })

    expect((await similar(operator, inA.id)).map((s) => s.id).sort((a, b) => a - b)).toEqual(
      [alsoA.id, inB.id].sort((a, b) => a - b),
    )
    expect((await similar(staffA, inA.id)).map((s) => s.id)).toEqual([alsoA.id])
    expect((await similar(staffB, inB.id)).map((s) => s.id)).toEqual([])

    const hidden = await call(staffB, 'GET', `/api/v1/cases/${inA.id}/similar`)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json()).toMatchObject({ error: { code: 'case_not_found' } })
    const unknown = await call(operator, 'GET', '/api/v1/cases/987654321/similar')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ error: { code: 'case_not_found', message: expect.any(String) } })
  })
})
