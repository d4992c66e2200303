import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let operator: string
let staffA: string
let officeA: number
let officeB: number

beforeAll(async () => {
  t = await createTestApp()
  officeA = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  officeB = (await createOffice(t.deps.db, 'Tributi')).id
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  staffA = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeA] })).email)
})
afterAll(() => t.close())

const create = (cookie: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie }, payload })
const list = (cookie: string, query: Record<string, unknown> = {}) =>
  t.app.inject({
    url: '/api/v1/cases',
    headers: { cookie },
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])),
  })

describe('POST /api/v1/cases', () => {
  it('creates a case with a yearly number, its first timeline event and an outbox row, together', async () => {
    const res = await create(operator, {
      subject: '  Buca in Via Pistoiese  ',
      description: "Buca profonda all'altezza del civico 120",
      channel: 'phone',
      officeId: officeA,
      latitude: 43.88,
      longitude: 11.08,
      tags: ['strade', 'strade'],
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    const year = new Date().getUTCFullYear()
    expect(body).toMatchObject({
      subject: 'Buca in Via Pistoiese',
      status: 'new',
      priority: 'normal',
      channel: 'phone',
      officeId: officeA,
      tags: ['strade'],
      version: 1,
    })
    expect(body.number).toMatch(new RegExp(`^PRA-${year}-\\d{6}$`))

    const events = await t.app.inject({
      url: `/api/v1/cases/${body.id}/events`,
      headers: { cookie: operator },
    })
    expect(events.json()).toEqual([
      expect.objectContaining({ kind: 'created', caseId: body.id, actorName: 'Test operator' }),
    ])
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('jobName', '=', 'case.created')
      .execute()
    expect(outbox.filter((r) => (r.payload as { caseId: number }).caseId === body.id)).toHaveLength(1)
  })

  it('hands out consecutive numbers without gaps or duplicates under concurrency', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        create(operator, { subject: `Segnalazione ${i}`, channel: 'web' }),
      ),
    )
    const numbers = results.map((r) => r.json().number as string).sort()
    const seq = numbers.map((n) => Number(n.slice(-6)))
    expect(new Set(numbers).size).toBe(20)
    expect(Math.max(...seq) - Math.min(...seq)).toBe(19)
  })

  it('refuses invalid input with a 400 naming each field, and stores nothing', async () => {
    const before = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const res = await create(operator, { subject: '', channel: 'fax', priority: 'subito', extra: 1 })
    expect(res.statusCode).toBe(400)
    const { error } = res.json()
    expect(error.code).toBe('invalid_request')
    const paths = error.details.map((d: { path: string }) => d.path)
    expect(paths).toEqual(
      expect.arrayContaining(['/body/subject', '/body/channel', '/body/priority', '/body/extra']),
    )
    expect(error.message).toMatch(/^Richiesta non valida: /)
    expect(error.message).toContain('phone, email, pec, web, open311, field, counter')
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: operator, 'accept-language': 'en' },
      payload: { subject: 'Ok', channel: 'fax' },
    })
    expect(english.json().error.message).toMatch(
      /^Invalid request: body\/channel must be equal to one of the allowed values/,
    )
    const blank = await create(operator, { subject: '   ', channel: 'web' })
    expect(blank.json().error).toEqual({
      code: 'subject_blank',
      message: "L'oggetto della segnalazione non può essere vuoto.",
    })

    const tooLong = await create(operator, { subject: 'x'.repeat(301), channel: 'web' })
    expect(tooLong.statusCode).toBe(400)
    const unknownOffice = await create(operator, { subject: 'Ok', channel: 'web', officeId: 999999 })
    expect(unknownOffice.statusCode).toBe(400)
    expect(unknownOffice.json().error).toMatchObject({
      code: 'unknown_reference',
      message: 'officeId 999999 non esiste.',
    })
    const halfPoint = await create(operator, { subject: 'Ok', channel: 'web', latitude: 43.8 })
    expect(halfPoint.json().error.code).toBe('coordinates_pair')
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: operator, 'content-type': 'application/json' },
      payload: '{"subject": ',
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('invalid_request')
    const huge = await create(operator, { subject: 'Ok', channel: 'web', description: 'x'.repeat(1_100_000) })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.code).toBe('payload_too_large')

    const after = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})

describe('GET /api/v1/cases (react-admin simple-rest dialect)', () => {
  it('pages with range and reports the total in Content-Range', async () => {
    for (let i = 0; i < 5; i++)
      await create(operator, { subject: `Lampione spento ${i}`, channel: 'email', officeId: officeB })
    const res = await list(operator, { sort: ['id', 'ASC'], range: [0, 2], filter: { officeId: officeB } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toHaveLength(3)
    expect(res.headers['content-range']).toBe('cases 0-2/5')
    const ids = res.json().map((c: { id: number }) => c.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))

    const last = await list(operator, { sort: ['id', 'ASC'], range: [3, 9], filter: { officeId: officeB } })
    expect(last.headers['content-range']).toBe('cases 3-4/5')
    const empty = await list(operator, { range: [10, 19], filter: { officeId: officeB } })
    expect(empty.json()).toEqual([])
    expect(empty.headers['content-range']).toBe('cases */5')
  })

  it('filters by status, channel, ids and words of the subject', async () => {
    const made = await create(operator, {
      subject: 'Cassonetto pieno in Piazza Mercatale',
      channel: 'pec',
      officeId: officeB,
    })
    const id = made.json().id
    const byWords = await list(operator, { filter: { q: 'piazza MERCATALE' } })
    expect(byWords.json().map((c: { id: number }) => c.id)).toContain(id)
    const byNumber = await list(operator, { filter: { q: made.json().number } })
    expect(byNumber.json().map((c: { id: number }) => c.id)).toEqual([id])
    const byMany = await list(operator, { filter: { id: [id], channel: ['pec'], status: 'new' } })
    expect(byMany.json()).toHaveLength(1)
    const none = await list(operator, { filter: { id: [id], status: 'closed' } })
    expect(none.json()).toHaveLength(0)
  })

  it('explains bad sort, range and filter parameters', async () => {
    const sort = await list(operator, { sort: ['password', 'ASC'] })
    expect(sort.statusCode).toBe(400)
    expect(sort.json().error.code).toBe('invalid_sort')
    expect(sort.json().error.message).toContain('createdAt')
    const range = await list(operator, { range: [5, 1] })
    expect(range.json().error.code).toBe('invalid_range')
    const tooMany = await list(operator, { range: [0, 10_000] })
    expect(tooMany.json().error.code).toBe('invalid_range')
    const filter = await list(operator, { filter: { status: 'lost', nope: 1 } })
    expect(filter.statusCode).toBe(400)
    expect(filter.json().error.code).toBe('invalid_filter')
    expect(filter.json().error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['/filter/nope']),
    )
    const notJson = await t.app.inject({ url: '/api/v1/cases?filter={oops', headers: { cookie: operator } })
    expect(notJson.json().error).toMatchObject({
      code: 'invalid_json_param',
      message: 'Il parametro «filter» deve essere JSON valido.',
    })
  })
})

describe('visibility', () => {
  it("shows office staff only their offices' cases, in lists and by id", async () => {
    const mine = (
      await create(operator, { subject: 'Marciapiede dissestato', channel: 'web', officeId: officeA })
    ).json()
    const theirs = (
      await create(operator, { subject: 'Rimborso TARI', channel: 'web', officeId: officeB })
    ).json()

    const listed = await list(staffA, { range: [0, 499] })
    const ids = listed.json().map((c: { id: number; officeId: number }) => c.officeId)
    expect(ids.length).toBeGreaterThan(0)
    expect(new Set(ids)).toEqual(new Set([officeA]))

    expect(
      (await t.app.inject({ url: `/api/v1/cases/${mine.id}`, headers: { cookie: staffA } })).statusCode,
    ).toBe(200)
    const other = await t.app.inject({ url: `/api/v1/cases/${theirs.id}`, headers: { cookie: staffA } })
    expect(other.statusCode).toBe(404)
    expect(other.json().error.code).toBe('case_not_found')
    const otherEvents = await t.app.inject({
      url: `/api/v1/cases/${theirs.id}/events`,
      headers: { cookie: staffA },
    })
    expect(otherEvents.statusCode).toBe(404)
    const viaResource = await t.app.inject({
      url: '/api/v1/case-events',
      headers: { cookie: staffA },
      query: { filter: JSON.stringify({ caseId: theirs.id }) },
    })
    expect(viaResource.statusCode).toBe(404)
    // Asking for the other office explicitly changes nothing.
    const forced = await list(staffA, { filter: { officeId: officeB } })
    expect(forced.json()).toEqual([])
  })
})

describe('GET /api/v1/cases/:id', () => {
  it('answers 404 with a clear message for a missing case and 400 for a malformed id', async () => {
    const missing = await t.app.inject({ url: '/api/v1/cases/987654', headers: { cookie: operator } })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.message).toBe('La segnalazione 987654 non esiste o non è visibile per te.')
    const bad = await t.app.inject({ url: '/api/v1/cases/abc', headers: { cookie: operator } })
    expect(bad.statusCode).toBe(400)
  })
})
