import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { OPEN311_POSTS_PER_MINUTE } from '../src/public/open311.routes.ts'
import { createTestApp, type TestApp } from './helpers.ts'
import { createPublicCategories } from './public-fixtures.ts'

/**
 * Open311 GeoReport v2 against the spec (open311.org GeoReport_v2): its examples,
 * adapted to Prato's services, in XML and JSON, and every error path in both formats.
 */

let t: TestApp
let adminCookie: string
let apiKey: string
let cats: Awaited<ReturnType<typeof createPublicCategories>>
let ip = 0
/** Each test posts from its own address, so the per-address limit only bites where it is tested. */
const nextIp = () => `10.3.${Math.floor(++ip / 250)}.${ip % 250}`

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers, remoteAddress: nextIp() })
const post = (url: string, form: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: form,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'accept-language': 'en',
      ...headers,
    },
    remoteAddress: nextIp(),
  })
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

/** The spec's example POST, with Prato's service and place. */
const exampleRequest = (extra: Record<string, string> = {}) =>
  form({
    api_key: apiKey,
    jurisdiction_id: 'comune.prato.it',
    service_code: 'strade.buche',
    lat: '43.8805',
    long: '11.0966',
    address_string: 'Via Roma 12',
    email: 'smit333@example.org',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'john',
    last_name: 'smith',
    phone: '0574111111',
    description: 'A large sinkhole is destroying the street',
    media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    'attribute[dimensione]': 'grande',
    ...extra,
  })

/** The errors of an XML error document, as {code, description}. */
function xmlErrors(body: string): { code: number; description: string }[] {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<errors>')).toBe(true)
  return [
    ...body.matchAll(/<error>\s*<code>(\d+)<\/code>\s*<description>([^<]*)<\/description>\s*<\/error>/g),
  ].map((m) => ({
    code: Number(m[1]),
    description: m[2] ?? '',
  }))
}

/** Checks one error path in both formats: the status, and the spec's list of {code, description}. */
async function expectError(
  send: (
    format: 'json' | 'xml',
  ) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
  status: number,
  description: RegExp,
) {
  const json = await send('json')
  expect(json.statusCode, json.body).toBe(status)
  expect(json.headers['content-type']).toBe('application/json; charset=utf-8')
  const errors = JSON.parse(json.body) as { code: number; description: string }[]
  expect(Array.isArray(errors)).toBe(true)
  expect(errors[0]?.code).toBe(status)
  expect(errors.map((e) => e.description).join(' | ')).toMatch(description)
  const xml = await send('xml')
  expect(xml.statusCode, xml.body).toBe(status)
  expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8')
  const xmlList = xmlErrors(xml.body)
  expect(xmlList[0]?.code).toBe(status)
  expect(xmlList.map((e) => e.description).join(' | ')).toMatch(description)
}

beforeAll(async () => {
  t = await createTestApp()
  cats = await createPublicCategories(t.deps.db)
  const admin = await createUser(t.deps.db, 'admin')
  adminCookie = await t.login(admin.email)
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open311-keys',
    headers: { cookie: adminCookie },
    payload: { name: 'GeoReporter (test)' },
  })
  expect(created.statusCode, created.body).toBe(201)
  apiKey = created.json().apiKey
}, 60_000)

afterAll(async () => {
  await t?.close()
})

describe('api keys (admin)', () => {
  it('shows a key once, keeps only its hash, lists and revokes it, audited', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/open311-keys',
      headers: { cookie: adminCookie },
      payload: { name: 'App da revocare' },
    })
    expect(res.statusCode).toBe(201)
    const { apiKey: key, id, hint } = res.json()
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(key.endsWith(hint)).toBe(true)
    const row = await t.deps.db
      .selectFrom('open311ApiKeys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.keyHash).not.toContain(key)
    expect(JSON.stringify(row)).not.toContain(key)
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/open311-keys',
      headers: { cookie: adminCookie },
    })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(key)
    expect(list.json().map((k: { name: string }) => k.name)).toContain('App da revocare')

    const ok = await post(
      '/open311/v2/requests.json',
      exampleRequest({ api_key: key, description: 'Prima della revoca, buca profonda' }),
    )
    expect(ok.statusCode, ok.body).toBe(200)
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/open311-keys/${id}`,
      headers: { cookie: adminCookie },
    })
    expect(revoked.statusCode).toBe(200)
    expect(revoked.json().revokedAt).not.toBeNull()
    await expectError(
      (f) =>
        post(
          `/open311/v2/requests.${f}`,
          exampleRequest({ api_key: key, description: 'Dopo la revoca, buca profonda' }),
        ),
      403,
      /api_key/,
    )
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action'])
      .where('entityType', '=', 'georeport_key')
      .where('entityId', '=', id)
      .execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['georeport_key.create', 'georeport_key.revoke'])
    const auditText = JSON.stringify(await t.deps.db.selectFrom('auditLog').selectAll().execute())
    expect(auditText).not.toContain(key)
  })

  it('is for administrators only', async () => {
    const operator = await createUser(t.deps.db, 'operator')
    const cookie = await t.login(operator.email)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/open311-keys',
      headers: { cookie },
      payload: { name: 'x' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('forbidden')
  })
})

describe('discovery and services', () => {
  it('discovery lists the v2 endpoint with both formats', async () => {
    const json = await get('/open311/v2/discovery.json')
    expect(json.statusCode).toBe(200)
    const d = json.json()
    expect(d.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${t.deps.config.publicUrl}/open311/v2`,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    })
    expect(typeof d.changeset).toBe('string')
    expect(d.contact).toBeTruthy()
    expect(d.key_service).toBeTruthy()
    const xml = await get('/open311/v2/discovery.xml')
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8')
    expect(xml.body).toContain('<discovery>')
    expect(xml.body).toContain(
      '<formats>\n        <format>text/xml</format>\n        <format>application/json</format>',
    )
  })

  it('services: every active category, with metadata when it has questions', async () => {
    const res = await get('/open311/v2/services.json?jurisdiction_id=comune.prato.it')
    expect(res.statusCode).toBe(200)
    const services = res.json() as Record<string, unknown>[]
    expect(services.find((s) => s.service_code === 'strade.buche')).toEqual({
      service_code: 'strade.buche',
      service_name: 'Buca nella strada',
      description: 'Strade: Buca nella strada',
      metadata: true,
      type: 'realtime',
      keywords: 'Buca nella strada, Pothole',
      group: 'Strade',
    })
    expect(services.find((s) => s.service_code === 'illuminazione')).toMatchObject({ metadata: false })
    const en = await get('/open311/v2/services.json', { 'accept-language': 'en' })
    expect(
      en.json().find((s: { service_code: string }) => s.service_code === 'strade.buche').service_name,
    ).toBe('Pothole')
    const xml = await get('/open311/v2/services.xml')
    expect(xml.body).toMatch(/<services>\n {2}<service>\n {4}<service_code>/)
    expect(xml.body).toContain('<service_code>strade.buche</service_code>')
    expect(xml.body).toContain('<metadata>true</metadata>')
    expect(xml.body).toContain('<type>realtime</type>')
  })

  it('a service definition gives the attributes with datatype, required, order and values', async () => {
    const res = await get('/open311/v2/services/strade.buche.json')
    expect(res.statusCode).toBe(200)
    const def = res.json()
    expect(def.service_code).toBe('strade.buche')
    expect(def.attributes).toHaveLength(3)
    expect(def.attributes[0]).toEqual({
      variable: true,
      code: 'dimensione',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description: 'Quanto è grande la buca?',
      values: [
        { key: 'piccola', name: 'Piccola (meno di 30 cm)' },
        { key: 'grande', name: 'Grande (più di 30 cm)' },
      ],
    })
    expect(
      def.attributes.map((a: { code: string; order: number; datatype: string }) => [
        a.code,
        a.order,
        a.datatype,
      ]),
    ).toEqual([
      ['dimensione', 1, 'singlevaluelist'],
      ['pericoli', 2, 'multivaluelist'],
      ['profondita_cm', 3, 'number'],
    ])
    const xml = await get('/open311/v2/services/strade.buche.xml')
    expect(xml.body).toContain(
      '<service_definition>\n  <service_code>strade.buche</service_code>\n  <attributes>\n    <attribute>',
    )
    expect(xml.body).toContain('<datatype_description/>')
    expect(xml.body).toContain(
      '<values>\n        <value>\n          <key>piccola</key>\n          <name>Piccola (meno di 30 cm)</name>',
    )
  })

  it('errors: unknown service_code 404, other jurisdiction 404, unknown format 404', async () => {
    await expectError((f) => get(`/open311/v2/services/nessuno.${f}`), 404, /service_code nessuno not found/)
    await expectError(
      (f) => get(`/open311/v2/services.${f}?jurisdiction_id=sfgov.org`),
      404,
      /jurisdiction_id sfgov.org not found/,
    )
    await expectError(
      (f) => get(`/open311/v2/services/strade.buche.${f}?jurisdiction_id=sfgov.org`),
      404,
      /jurisdiction_id/,
    )
    const html = await get('/open311/v2/services.html')
    expect(html.statusCode).toBe(404)
    expect(xmlErrors(html.body)[0]?.description).toMatch(/format/)
    await expectError((f) => get(`/open311/v2/nothing.${f}`), 404, /No such resource/)
  })
})

describe('POST requests', () => {
  let requestId: string

  it('the spec example creates a case through ingest and answers the service_request_id', async () => {
    const res = await post('/open311/v2/requests.json', exampleRequest())
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body).toHaveLength(1)
    expect(Object.keys(body[0]).sort()).toEqual(['account_id', 'service_notice', 'service_request_id'])
    expect(body[0].service_request_id).toMatch(/^PRA-\d{4}-\d{6}$/)
    expect(body[0].account_id).toBe('123456')
    expect(body[0].token).toBeUndefined()
    requestId = body[0].service_request_id
    const c = await t.deps.db
      .selectFrom('cases')
      .selectAll()
      .where('number', '=', requestId)
      .executeTakeFirstOrThrow()
    expect(c).toMatchObject({
      channel: 'open311',
      categoryId: cats.pothole.id,
      latitude: 43.8805,
      longitude: 11.0966,
      address: 'Via Roma 12',
    })
    expect(body[0].service_notice).toContain(`/stato/${c.publicToken}`)
    expect(c.description).toContain('A large sinkhole is destroying the street')
    expect(c.description).toContain('Quanto è grande la buca?: Grande (più di 30 cm)')
    const contact = await t.deps.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', c.contactId)
      .executeTakeFirstOrThrow()
    expect(contact).toMatchObject({
      firstName: 'john',
      lastName: 'smith',
      email: 'smit333@example.org',
      phone: '+390574111111',
    })
    const sub = await t.deps.db
      .selectFrom('publicSubmissions')
      .selectAll()
      .where('caseId', '=', c.id)
      .executeTakeFirstOrThrow()
    expect(sub).toMatchObject({
      channel: 'open311',
      mediaUrl: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
      deviceId: 'tt222111',
      accountId: '123456',
      answers: { dimensione: 'grande' },
    })
  })

  it('the same post again (a client retrying) is the same request, not a second case', async () => {
    const again = await post('/open311/v2/requests.json', exampleRequest())
    expect(again.statusCode).toBe(200)
    expect(again.json()[0].service_request_id).toBe(requestId)
    const { n } = await t.deps.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('description', 'like', 'A large sinkhole is destroying the street%')
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBe(1)
  })

  it('answers in XML, with multivaluelist attributes (attribute[code][]=…) and address_string alone', async () => {
    const body = `${form({
      api_key: apiKey,
      service_code: 'strade.buche',
      address_string: 'Via Ferrucci 20',
      description: 'Buca davanti al civico 20',
      'attribute[dimensione]': 'piccola',
    })}&attribute[pericoli][]=pedoni&attribute[pericoli][]=bici`
    const res = await post('/open311/v2/requests.xml', body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
    const id = /<service_request_id>([^<]+)<\/service_request_id>/.exec(res.body)?.[1] ?? ''
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests>\n {2}<request>\n {4}<service_request_id>PRA-/,
    )
    expect(res.body).toContain('<account_id/>')
    const c = await t.deps.db
      .selectFrom('cases')
      .selectAll()
      .where('number', '=', id)
      .executeTakeFirstOrThrow()
    // Located by the gazetteer from the address string.
    expect(c.latitude).not.toBeNull()
    expect(c.civicNumber).toBe('20')
    const sub = await t.deps.db
      .selectFrom('publicSubmissions')
      .select('answers')
      .where('caseId', '=', c.id)
      .executeTakeFirstOrThrow()
    expect(sub.answers).toEqual({ dimensione: 'piccola', pericoli: ['pedoni', 'bici'] })
  })

  it('errors: api_key missing or wrong 403, as the spec words it', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ api_key: '' })),
      403,
      /^Invalid api_key received -- can't proceed with create_request\.$/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ api_key: 'xyz' })),
      403,
      /Invalid api_key/,
    )
  })

  it('errors: service_code missing 400, unknown 404', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ service_code: '' })),
      400,
      /service_code was not provided/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ service_code: '001' })),
      404,
      /service_code 001 not found/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ jurisdiction_id: 'city.gov' })),
      404,
      /jurisdiction_id/,
    )
  })

  it('errors: no location 400; lat without long 400; address_id alone 400; outside Prato 400', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ lat: '', long: '', address_string: '' })),
      400,
      /full location parameter/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ long: '', address_string: '' })),
      400,
      /full location parameter/,
    )
    await expectError(
      (f) =>
        post(
          `/open311/v2/requests.${f}`,
          exampleRequest({ lat: '', long: '', address_string: '', address_id: '545483' }),
        ),
      400,
      /address_id is not supported/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ lat: '37.76524078', long: '-122.4212043' })),
      400,
      /lat: The point given is outside the Comune di Prato/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ lat: 'north' })),
      400,
      /lat and long must be numbers/,
    )
  })

  it('errors: attributes checked against the definition, every problem listed', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ 'attribute[dimensione]': '' })),
      400,
      /attribute\[dimensione\]: Answer the question "How big is the pothole\?"/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ 'attribute[dimensione]': 'enorme' })),
      400,
      /attribute\[dimensione\]: The answer to "How big is the pothole\?" is not one of the choices/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ 'attribute[profondita_cm]': 'tanto' })),
      400,
      /attribute\[profondita_cm\]: The answer to "Depth in centimetres" must be a number/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ 'attribute[WHISPAWN]': '123456' })),
      400,
      /attribute\[WHISPAWN\]: There is no question "WHISPAWN"/,
    )
    // Several problems at once: one entry each.
    const res = await post(
      '/open311/v2/requests.json',
      exampleRequest({ 'attribute[dimensione]': 'enorme', email: 'not-an-email', description: 'short' }),
    )
    expect(res.statusCode).toBe(400)
    const descriptions = res.json().map((e: { description: string }) => e.description)
    expect(descriptions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^attribute\[dimensione\]:/),
        expect.stringMatching(/^email: The email address is not valid/),
        expect.stringMatching(/^description: Describe the problem in at least 10 characters/),
      ]),
    )
  })

  it("validation errors read in the client's language: Italian unless Accept-Language asks for English", async () => {
    const italian = await post('/open311/v2/requests.json', exampleRequest({ phone: '12' }), {
      'accept-language': '',
    })
    expect(italian.statusCode).toBe(400)
    expect(italian.json()[0].description).toBe('phone: Il numero di telefono non è valido.')
    const en = await post('/open311/v2/requests.json', exampleRequest({ phone: '12' }), {
      'accept-language': 'en-GB,en;q=0.8',
    })
    expect(en.json()[0].description).toBe('phone: The phone number is not valid.')
  })

  it('errors: contact fields, media_url and description validated', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ phone: '12' })),
      400,
      /phone: The phone number is not valid/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ media_url: 'javascript:alert(1)' })),
      400,
      /media_url must be an http or https URL/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ description: 'x'.repeat(4001) })),
      400,
      /description: The description is too long \(at most 4000 characters\)/,
    )
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ description: '' })),
      400,
      /description: Describe the problem/,
    )
  })

  it('errors: a body over the limit 413; not a form 400', async () => {
    await expectError(
      (f) => post(`/open311/v2/requests.${f}`, exampleRequest({ description: 'x'.repeat(70_000) })),
      413,
      /too large/,
    )
    await expectError(
      (f) =>
        t.app.inject({
          method: 'POST',
          url: `/open311/v2/requests.${f}`,
          payload: '<request/>',
          headers: { 'content-type': 'text/xml' },
          remoteAddress: nextIp(),
        }),
      400,
      /Invalid request/,
    )
  })
})

describe('GET requests, requests/{id}, tokens/{token}', () => {
  let first: { number: string; id: number }
  let second: { number: string; id: number }
  let token: string

  beforeAll(async () => {
    const a = await post(
      '/open311/v2/requests.json',
      exampleRequest({ description: 'Buca in Piazza del Comune, lato URP' }),
    )
    const b = await post(
      '/open311/v2/requests.json',
      form({
        api_key: apiKey,
        service_code: 'illuminazione',
        lat: '43.8776',
        long: '11.1030',
        description: 'Lampione spento da tre sere',
      }),
    )
    const numberA = a.json()[0].service_request_id
    const numberB = b.json()[0].service_request_id
    const rows = await t.deps.db
      .selectFrom('cases')
      .select(['id', 'number'])
      .where('number', 'in', [numberA, numberB])
      .execute()
    first = rows.find((r) => r.number === numberA) ?? { id: 0, number: '' }
    second = rows.find((r) => r.number === numberB) ?? { id: 0, number: '' }
    await t.deps.db
      .updateTable('cases')
      .set({ resolutionDueAt: new Date('2030-04-15T14:37:38Z'), officeId: cats.office.id })
      .where('id', '=', first.id)
      .execute()
    // The second one was resolved, with a note the citizen sees as status_notes.
    const supervisor = await createUser(t.deps.db, 'supervisor')
    const cookie = await t.login(supervisor.email)
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${second.id}/status`,
      headers: { cookie },
      payload: { status: 'resolved', comment: 'Lampadina sostituita.', version: 1 },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    token = (
      await t.deps.db
        .selectFrom('publicSubmissions')
        .select('token')
        .where('caseId', '=', first.id)
        .executeTakeFirstOrThrow()
    ).token
  })

  it('GET requests/{id}: the spec fields, open with the office and the SLA deadline', async () => {
    const res = await get(`/open311/v2/requests/${first.number}.json`)
    expect(res.statusCode).toBe(200)
    const [r] = res.json()
    expect(Object.keys(r)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ])
    expect(r).toMatchObject({
      service_request_id: first.number,
      status: 'open',
      status_notes: null,
      service_name: 'Buca nella strada',
      service_code: 'strade.buche',
      description: 'Buca in Piazza del Comune, lato URP',
      agency_responsible: 'Lavori Pubblici',
      expected_datetime: '2030-04-15T14:37:38Z',
      address: 'Via Roma 12',
      lat: 43.8805,
      long: 11.0966,
      media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    })
    expect(r.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    // No personal data: not the email, the phone or the name.
    expect(res.body).not.toContain('smit333')
    expect(res.body).not.toContain('smith')
    const xml = await get(`/open311/v2/requests/${first.number}.xml`)
    expect(xml.body).toContain(
      `<service_requests>\n  <request>\n    <service_request_id>${first.number}</service_request_id>\n    <status>open</status>\n    <status_notes/>`,
    )
    expect(xml.body).toContain('<expected_datetime>2030-04-15T14:37:38Z</expected_datetime>')
  })

  it('a resolved case is closed, with its resolution note as status_notes', async () => {
    const [r] = (await get(`/open311/v2/requests/${second.number}.json`)).json()
    expect(r).toMatchObject({
      status: 'closed',
      status_notes: 'Lampadina sostituita.',
      service_code: 'illuminazione',
    })
    const c = await t.deps.db
      .selectFrom('cases')
      .select('resolvedAt')
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow()
    expect(r.updated_datetime).toBe(c.resolvedAt?.toISOString().replace(/\.\d{3}Z$/, 'Z'))
  })

  it('GET requests: service_request_id list overrides the rest; service_code and status filter', async () => {
    const both = (
      await get(`/open311/v2/requests.json?service_request_id=${first.number},${second.number}&status=closed`)
    ).json()
    expect(both.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual(
      [first.number, second.number].sort(),
    )
    const lights = (await get('/open311/v2/requests.json?service_code=illuminazione')).json()
    expect(lights.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([second.number])
    const closed = (await get('/open311/v2/requests.json?status=closed')).json()
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([second.number])
    const open = (await get('/open311/v2/requests.json?status=open')).json()
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).toContain(first.number)
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(second.number)
    const all = (await get('/open311/v2/requests.json?status=open,closed')).json()
    expect(all.length).toBe(open.length + closed.length)
    const xml = await get('/open311/v2/requests.xml?service_code=illuminazione')
    expect(xml.body).toContain(`<service_request_id>${second.number}</service_request_id>`)
  })

  it('GET requests: the most recent 90 days by default, and a date range', async () => {
    await t.deps.db
      .updateTable('cases')
      .set({ createdAt: sql<Date>`now() - interval '120 days'` })
      .where('id', '=', second.id)
      .execute()
    const recent = (await get('/open311/v2/requests.json')).json()
    const ids = recent.map((r: { service_request_id: string }) => r.service_request_id)
    expect(ids).toContain(first.number)
    expect(ids).not.toContain(second.number)
    const start = new Date(Date.now() - 130 * 86_400_000).toISOString()
    const end = new Date(Date.now() - 100 * 86_400_000).toISOString()
    const old = (await get(`/open311/v2/requests.json?start_date=${start}&end_date=${end}`)).json()
    expect(old.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([second.number])
    // Only a start: the 90 days after it.
    const fromStart = (await get(`/open311/v2/requests.json?start_date=${start}`)).json()
    expect(fromStart.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      second.number,
    ])
  })

  it('errors: dates more than 90 days apart, malformed, reversed; a bad status; 400 in both formats', async () => {
    await expectError(
      (f) => get(`/open311/v2/requests.${f}?start_date=2010-01-01T00:00:00Z&end_date=2010-06-24T00:00:00Z`),
      400,
      /may not be more than 90 days apart/,
    )
    await expectError(
      (f) => get(`/open311/v2/requests.${f}?start_date=2010-05-24`),
      400,
      /start_date must be a w3 datetime/,
    )
    await expectError(
      (f) => get(`/open311/v2/requests.${f}?start_date=2010-06-24T00:00:00Z&end_date=2010-05-24T00:00:00Z`),
      400,
      /end_date is before start_date/,
    )
    await expectError(
      (f) => get(`/open311/v2/requests.${f}?status=pending`),
      400,
      /status pending is not one of open, closed/,
    )
    await expectError(
      (f) => get(`/open311/v2/requests.${f}?jurisdiction_id=sfgov.org`),
      404,
      /jurisdiction_id/,
    )
  })

  it('errors: an unknown request 404; a staff-only case is no service request', async () => {
    await expectError(
      (f) => get(`/open311/v2/requests/PRA-1999-000001.${f}`),
      404,
      /service_request_id PRA-1999-000001 not found/,
    )
    const operator = await createUser(t.deps.db, 'operator')
    const cookie = await t.login(operator.email)
    const phoneCase = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie },
      payload: { subject: 'Telefonata privata', channel: 'phone' },
    })
    await expectError((f) => get(`/open311/v2/requests/${phoneCase.json().number}.${f}`), 404, /not found/)
  })

  it('GET tokens/{token} gives the service_request_id; unknown tokens 404', async () => {
    const res = await get(`/open311/v2/tokens/${token}.json`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([{ service_request_id: first.number, token }])
    const xml = await get(`/open311/v2/tokens/${token}.xml`)
    expect(xml.body).toBe(
      `<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n  <request>\n    <service_request_id>${first.number}</service_request_id>\n    <token>${token}</token>\n  </request>\n</service_requests>\n`,
    )
    await expectError((f) => get(`/open311/v2/tokens/12345.${f}`), 404, /token 12345 not found/)
  })
})

describe('rate limit', () => {
  it(`an address posting more than ${OPEN311_POSTS_PER_MINUTE} requests a minute gets 429 in the spec's error format`, async () => {
    const statuses: number[] = []
    for (let i = 0; i <= OPEN311_POSTS_PER_MINUTE; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: form({ api_key: 'wrong' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: '10.9.9.9',
      })
      statuses.push(res.statusCode)
    }
    expect(statuses.slice(0, OPEN311_POSTS_PER_MINUTE).every((s) => s === 403)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    const xml = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: form({ api_key: 'wrong' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '10.9.9.9',
    })
    expect(xml.statusCode).toBe(429)
    expect(xmlErrors(xml.body)[0]?.code).toBe(429)
  })
})
