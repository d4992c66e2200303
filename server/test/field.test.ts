import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_OPEN311_KEY, seedOpen311DemoKey } from '../../core/src/channels/open311/open311.seed.ts'
import { createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'
import { createPublicCategories, jpegWithGps } from './public-fixtures.ts'

/** The field workers' app API: sign in for a bearer token, report with GPS and photos, work and close work orders. */

let t: TestApp
let cats: Awaited<ReturnType<typeof createPublicCategories>>
let worker: { id: number; email: string }
let token: string
const bearer = () => ({ authorization: `Bearer ${token}` })

beforeAll(async () => {
  t = await createTestApp()
  cats = await createPublicCategories(t.deps.db)
  worker = await createUser(t.deps.db, 'field_worker', { email: 'campo-test@filo.demo' })
}, 60_000)

afterAll(async () => {
  await t?.close()
})

/** A multipart/form-data body built by hand, as a phone's HTTP client lays it out. */
function multipart(files: { name: string; bytes: Buffer; type: string }[]) {
  const boundary = `----filo${randomUUID()}`
  const chunks: Buffer[] = []
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

describe('tokens', () => {
  it('a field worker signs in with email and password and gets a bearer token, stored hashed with an expiry', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/tokens',
      payload: { email: worker.email, password: 'una-password-di-prova', deviceName: 'Telefono di prova' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    token = body.token
    expect(body.user).toMatchObject({ id: worker.id, email: worker.email })
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(29)
    expect(days).toBeLessThanOrEqual(30)
    const row = await t.deps.db
      .selectFrom('fieldTokens')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow()
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(token)
    expect(row.deviceName).toBe('Telefono di prova')
  })

  it('wrong password 401; other roles 403; no or bad token 401', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/tokens',
      payload: { email: worker.email, password: 'sbagliata' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('invalid_credentials')
    const operator = await createUser(t.deps.db, 'operator')
    const notField = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/tokens',
      payload: { email: operator.email, password: 'una-password-di-prova' },
    })
    expect(notField.statusCode).toBe(403)
    expect(notField.json().error.code).toBe('field_role_required')
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders' })
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('field_token_invalid')
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/field/work-orders',
      headers: { authorization: 'Bearer nope' },
    })
    expect(bad.statusCode).toBe(401)
    // A staff session token is not a field token.
    const cookie = await t.login(worker.email)
    const session = cookie.split('=')[1] ?? ''
    const asSession = await t.app.inject({
      method: 'GET',
      url: '/api/v1/field/work-orders',
      headers: { authorization: `Bearer ${session}` },
    })
    expect(asSession.statusCode).toBe(401)
  })

  it('an expired or revoked token stops working; signing out revokes it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/tokens',
      payload: { email: worker.email, password: 'una-password-di-prova' },
    })
    const other = res.json()
    const headers = { authorization: `Bearer ${other.token}` }
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders', headers })).statusCode,
    ).toBe(200)
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/field/tokens/current', headers })
    expect(out.statusCode).toBe(204)
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders', headers })).statusCode,
    ).toBe(401)
    const third = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/field/tokens',
        payload: { email: worker.email, password: 'una-password-di-prova' },
      })
    ).json()
    await t.deps.db
      .updateTable('fieldTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', third.id)
      .execute()
    const expired = await t.app.inject({
      method: 'GET',
      url: '/api/v1/field/work-orders',
      headers: { authorization: `Bearer ${third.token}` },
    })
    expect(expired.statusCode).toBe(401)
    // The first token still works.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders', headers: bearer() })).statusCode,
    ).toBe(200)
  })
})

describe('report and close', () => {
  it('reports a problem with GPS and a photo, then works and closes a work order with a note and a photo', async () => {
    const clientReportId = randomUUID()
    const report = {
      clientReportId,
      categoryId: cats.pothole.id,
      description: 'Buca profonda davanti alla scuola',
      latitude: 43.8771,
      longitude: 11.1012,
      answers: { dimensione: 'grande', pericoli: ['pedoni', 'bici'] },
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/reports',
      headers: bearer(),
      payload: report,
    })
    expect(res.statusCode, res.body).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ created: true, number: expect.stringMatching(/^PRA-/) })
    // The same report again (the phone retried): the same case.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/reports',
      headers: bearer(),
      payload: report,
    })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual({ ...created, created: false })

    const c = await t.deps.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', created.caseId)
      .executeTakeFirstOrThrow()
    expect(c).toMatchObject({
      channel: 'field',
      createdBy: worker.id,
      categoryId: cats.pothole.id,
      latitude: 43.8771,
      longitude: 11.1012,
    })

    // Photos of the report: on the case, and only on cases the worker can see.
    const photo = await jpegWithGps(43.8771, 11.1012)
    const first = multipart([{ name: 'buca.jpg', bytes: photo, type: 'image/jpeg' }])
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/cases/${created.caseId}/photos`,
      payload: first.payload,
      headers: { ...first.headers, ...bearer() },
    })
    expect(up.statusCode, up.body).toBe(201)
    expect(up.json()[0]).toMatchObject({ contentType: 'image/jpeg', uploadedBy: worker.id })

    // The office assigns it to the worker as a work order.
    const supervisor = await createUser(t.deps.db, 'supervisor')
    const cookie = await t.login(supervisor.email)
    const assigned = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${c.id}`,
      headers: { cookie },
      payload: { assigneeId: worker.id, version: c.version },
    })
    expect(assigned.statusCode, assigned.body).toBe(200)
    expect(assigned.json().status).toBe('assigned')

    const orders = await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders', headers: bearer() })
    expect(orders.statusCode).toBe(200)
    expect(orders.json().map((o: { id: number }) => o.id)).toEqual([c.id])

    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/work-orders/${c.id}`,
      headers: bearer(),
      payload: {
        status: 'in_progress',
        note: 'Sul posto, transenno la buca.',
        version: orders.json()[0].version,
      },
    })
    expect(started.statusCode, started.body).toBe(200)
    expect(started.json().status).toBe('in_progress')
    const noted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/work-orders/${c.id}`,
      headers: bearer(),
      payload: { note: 'Materiale ordinato.', version: started.json().version },
    })
    expect(noted.statusCode).toBe(200)
    const after = await jpegWithGps(43.8772, 11.1013)
    const form = multipart([{ name: 'riparata.jpg', bytes: after, type: 'image/jpeg' }])
    const upAfter = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/cases/${c.id}/photos`,
      payload: form.payload,
      headers: { ...form.headers, ...bearer() },
    })
    expect(upAfter.statusCode).toBe(201)
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/work-orders/${c.id}`,
      headers: bearer(),
      payload: {
        status: 'resolved',
        note: 'Buca chiusa con asfalto a freddo.',
        version: noted.json().version,
      },
    })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().status).toBe('resolved')
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/field/work-orders', headers: bearer() })).json(),
    ).toEqual([])

    const events = await t.deps.db
      .selectFrom('caseEvents')
      .select(['kind', 'data', 'actorId'])
      .where('caseId', '=', c.id)
      .orderBy('id')
      .execute()
    const kinds = events.map((e) => e.kind)
    expect(kinds).toContain('note')
    expect(events.filter((e) => e.kind === 'attachment_added')).toHaveLength(2)
    const resolved = events.find(
      (e) => e.kind === 'status_changed' && (e.data as { to?: string }).to === 'resolved',
    )
    expect(resolved).toMatchObject({
      actorId: worker.id,
      data: { comment: 'Buca chiusa con asfalto a freddo.' },
    })
    // Open311 sees it closed, with the worker's note.
    const open311 = (
      await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${c.number}.json` })
    ).json()
    expect(open311[0]).toMatchObject({ status: 'closed', status_notes: 'Buca chiusa con asfalto a freddo.' })
  })

  it('validates reports, and a worker cannot touch cases that are not theirs', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/reports',
      headers: bearer(),
      payload: {
        clientReportId: randomUUID(),
        categoryId: cats.pothole.id,
        description: 'Buca',
        latitude: 45.46,
        longitude: 9.19,
      },
    })
    expect(bad.statusCode).toBe(400)
    const paths = bad.json().error.details.map((d: { path: string }) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['/attribute[dimensione]', '/description', '/latitude']))
    const shape = await t.app.inject({
      method: 'POST',
      url: '/api/v1/field/reports',
      headers: bearer(),
      payload: { description: 1 },
    })
    expect(shape.statusCode).toBe(400)
    expect(shape.json().error.code).toBe('invalid_request')

    const operator = await createUser(t.deps.db, 'operator')
    const cookie = await t.login(operator.email)
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie },
      payload: { subject: 'Altro', channel: 'phone' },
    })
    const id = other.json().id
    const touch = await t.app.inject({
      method: 'POST',
      url: `/api/v1/field/work-orders/${id}`,
      headers: bearer(),
      payload: { note: 'x', version: 1 },
    })
    expect(touch.statusCode, touch.body).toBe(404)
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/field/cases/${id}`, headers: bearer() })
    expect(read.statusCode).toBe(404)
  })
})

describe('demo Open311 key (pnpm start)', () => {
  it('is registered once on a database without Open311 apps, and works', async () => {
    const key = await seedOpen311DemoKey(t.deps.db)
    expect(key).toBe(DEMO_OPEN311_KEY)
    expect(await seedOpen311DemoKey(t.deps.db)).toBe(DEMO_OPEN311_KEY)
    expect(await t.deps.db.selectFrom('open311ApiKeys').select('id').execute()).toHaveLength(1)
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: new URLSearchParams({
        api_key: DEMO_OPEN311_KEY,
        service_code: 'illuminazione',
        address_string: 'Via Cairoli 5',
        description: 'Lampione spento dalla demo',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.statusCode, res.body).toBe(200)
  })
})
