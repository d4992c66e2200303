import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let operator: string
let operatorId: number
let staffA: string
let fieldWorker: string
let officeA: number
let officeB: number

beforeAll(async () => {
  t = await createTestApp()
  officeA = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  officeB = (await createOffice(t.deps.db, 'Tributi')).id
  const op = await createUser(t.deps.db, 'operator')
  operatorId = op.id
  operator = await t.login(op.email)
  staffA = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeA] })).email)
  fieldWorker = await t.login((await createUser(t.deps.db, 'field_worker')).email)
})
afterAll(() => t.close())

type Json = Record<string, unknown>
const create = (cookie: string, payload: Json, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: { cookie, ...headers }, payload })
const patch = (cookie: string, id: number, payload: Json, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: { cookie, ...headers }, payload })
const get = (cookie: string, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: { cookie } })
const list = (cookie: string, query: Record<string, unknown> = {}, url = '/api/v1/contacts') =>
  t.app.inject({
    url,
    headers: { cookie },
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])),
  })
const ids = (res: { json(): unknown }) => (res.json() as { id: number }[]).map((c) => c.id)

async function person(payload: Json = {}): Promise<Json & { id: number; version: number }> {
  const res = await create(operator, { kind: 'person', firstName: 'Anna', lastName: 'Neri', ...payload })
  if (res.statusCode !== 201) throw new Error(`person: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function caseFor(contactId: number, officeId: number, subject: string): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { cookie: operator },
    payload: { subject, channel: 'phone', officeId, contactId },
  })
  if (res.statusCode !== 201) throw new Error(`case: ${res.statusCode} ${res.body}`)
  return res.json().id
}

const auditOf = (action: string) =>
  t.deps.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('id').execute()

describe('POST /api/v1/contacts', () => {
  it('creates a person with the codice fiscale, emails and phones in their stored spelling', async () => {
    const res = await create(operator, {
      kind: 'person',
      firstName: '  Mario ',
      lastName: 'Rossi',
      fiscalCode: 'rssmra 85t10 a562s',
      emails: [
        { email: ' Mario.Rossi@Example.com ' },
        { email: 'mrossi@lavoro.example.com', label: 'lavoro' },
      ],
      phones: [{ phone: '055 123 4567' }, { phone: '+39 333 123 4567', isPrimary: true, label: 'cellulare' }],
      preferredChannel: 'io',
      language: 'it',
      consents: [{ kind: 'privacy', granted: true, source: 'telefonata' }],
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      kind: 'person',
      displayName: 'Mario Rossi',
      firstName: 'Mario',
      fiscalCode: 'RSSMRA85T10A562S',
      email: 'mario.rossi@example.com',
      phone: '+393331234567',
      preferredChannel: 'io',
      version: 1,
      consents: [{ kind: 'privacy', granted: true, source: 'telefonata' }],
    })
    expect(body.emails).toEqual([
      { email: 'mario.rossi@example.com', label: null, isPrimary: true, verified: false },
      { email: 'mrossi@lavoro.example.com', label: 'lavoro', isPrimary: false, verified: false },
    ])
    expect(body.phones).toEqual([
      { phone: '+393331234567', label: 'cellulare', isPrimary: true, verified: false },
      { phone: '+390551234567', label: null, isPrimary: false, verified: false },
    ])
    const audit = (await auditOf('contact.create')).filter((a) => a.entityId === body.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: operatorId, entityType: 'contact', after: body })
  })

  it('explains invalid codes, numbers and names in Italian, and in English when asked, storing nothing', async () => {
    const count = async () =>
      (
        await t.deps.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n
    const before = await count()
    const badCf = await create(operator, {
      kind: 'person',
      lastName: 'Rossi',
      fiscalCode: 'RSSMRA85T10A562X',
    })
    expect(badCf.statusCode).toBe(400)
    expect(badCf.json().error).toEqual({
      code: 'fiscal_code_check',
      message: 'Il codice fiscale RSSMRA85T10A562X ha il carattere di controllo errato (atteso S).',
    })
    const english = await create(
      operator,
      { kind: 'person', lastName: 'Rossi', fiscalCode: 'RSSMRA85T10A562X' },
      { 'accept-language': 'en' },
    )
    expect(english.json().error.message).toBe(
      'The codice fiscale RSSMRA85T10A562X has the wrong check character (expected S).',
    )
    const badPhone = await create(operator, {
      kind: 'person',
      lastName: 'Rossi',
      phones: [{ phone: '12345' }],
    })
    expect(badPhone.statusCode).toBe(400)
    expect(badPhone.json().error).toEqual({
      code: 'phone_invalid',
      message: 'Il numero di telefono «12345» non è valido.',
    })
    const badVat = await create(
      operator,
      { kind: 'organisation', organisationName: 'Tessitura Pratese srl', vatNumber: '02423060480' },
      { 'accept-language': 'en' },
    )
    expect(badVat.json().error).toEqual({
      code: 'vat_number_check',
      message: 'The partita IVA 02423060480 has the wrong check digit (expected 8).',
    })
    const badEmail = await create(operator, {
      kind: 'person',
      lastName: 'Rossi',
      emails: [{ email: 'rossi@' }],
    })
    expect(badEmail.json().error.code).toBe('email_invalid')
    const nameless = await create(operator, { kind: 'person', firstName: '  ', fiscalCode: null })
    expect(nameless.json().error).toEqual({
      code: 'contact_name_required',
      message: 'Indica il nome o il cognome della persona.',
    })
    const noCompanyName = await create(operator, { kind: 'organisation', firstName: 'Mario' })
    expect(noCompanyName.json().error.code).toBe('organisation_name_required')
    const schema = await create(operator, { kind: 'alien', lastName: 'Rossi', extra: true })
    expect(schema.statusCode).toBe(400)
    expect(schema.json().error.code).toBe('invalid_request')
    expect(schema.json().error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['/body/kind', '/body/extra']),
    )
    expect(await count()).toBe(before)
  })

  it('refuses a second live person with the same codice fiscale, naming the one that has it', async () => {
    const first = await person({ fiscalCode: 'VRDGPP80A01G999F', firstName: 'Giuseppe', lastName: 'Verdi' })
    const res = await create(operator, { kind: 'person', lastName: 'Verdi', fiscalCode: 'vrdgpp80a01g999f' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toEqual({
      code: 'fiscal_code_taken',
      message: `Il codice fiscale VRDGPP80A01G999F è già del contatto ${first.id}.`,
      details: { contactId: first.id },
    })
    // Concurrent creations: the advisory lock lets exactly one through.
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        create(operator, { kind: 'person', lastName: 'Bianchi', fiscalCode: 'BNCLRA90E45D612E' }),
      ),
    )
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409])
    // An omocodic code is another person's code, not a clash.
    const omocodic = await create(operator, {
      kind: 'person',
      lastName: 'Rossi',
      fiscalCode: 'RSSMRA85T10A56NH',
    })
    expect(omocodic.statusCode).toBe(201)
    expect(omocodic.json().fiscalCode).toBe('RSSMRA85T10A56NH')
  })

  it('lets every staff role create contacts (field workers included)', async () => {
    const res = await create(fieldWorker, { kind: 'person', lastName: 'Dal Campo' })
    expect(res.statusCode).toBe(201)
  })
})

describe('GET /api/v1/contacts/:id and the audit of reads', () => {
  it('records every read of a contact as contact.read, with who and from which request', async () => {
    const c = await person({ firstName: 'Lucia', lastName: 'Galli' })
    const res = await get(staffA, `/contacts/${c.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers.etag).toBe('"1"')
    expect(res.json()).toMatchObject({ id: c.id, displayName: 'Lucia Galli' })
    const reads = (await auditOf('contact.read')).filter((a) => a.entityId === c.id)
    expect(reads).toHaveLength(1)
    expect(reads[0]).toMatchObject({ entityType: 'contact', requestId: res.headers['x-request-id'] })
    const missing = await get(operator, '/contacts/987654')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error).toEqual({
      code: 'contact_not_found',
      message: 'Il contatto 987654 non esiste.',
    })
  })

  it('records a list page as one contact.list entry naming the ids shown', async () => {
    await person({ firstName: 'Pagina', lastName: 'Uno' })
    await person({ firstName: 'Pagina', lastName: 'Due' })
    const res = await list(operator, { filter: { q: 'pagina' }, sort: ['id', 'ASC'] })
    expect(res.json()).toHaveLength(2)
    const entries = await auditOf('contact.list')
    expect(entries.at(-1)).toMatchObject({ entityId: null, after: { ids: ids(res) } })
  })
  it('shows the addresses of contacts written straight to contacts.email/phone (seed, inbound channels)', async () => {
    const row = await t.deps.db
      .insertInto('contacts')
      .values({
        kind: 'person',
        lastName: 'Importato',
        email: 'importato@example.com',
        phone: '+393401234567',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const view = (await get(operator, `/contacts/${row.id}`)).json()
    expect(view.emails).toEqual([
      { email: 'importato@example.com', label: null, isPrimary: true, verified: false },
    ])
    expect(view.phones).toEqual([{ phone: '+393401234567', label: null, isPrimary: true, verified: false }])
    expect(ids(await list(operator, { filter: { phone: '340 1234567' } }))).toEqual([row.id])
  })
})

describe('GET /api/v1/contacts (simple-rest)', () => {
  it('finds contacts by name ignoring accents and word order, by code, email or phone', async () => {
    const niccolo = await person({
      firstName: 'Niccolò',
      lastName: "D'Àngelo",
      fiscalCode: 'DNGNCL75C12G999Y',
      emails: [{ email: 'niccolo.dangelo@example.com' }, { email: 'nd@altro.example.com' }],
      phones: [{ phone: '0574 654321' }],
    })
    const by = async (filter: Json) => ids(await list(operator, { filter }))
    expect(await by({ q: 'niccolo' })).toEqual([niccolo.id])
    expect(await by({ q: "d'angelo NICCOLÒ" })).toEqual([niccolo.id])
    expect(await by({ q: 'dngncl75c12g999y' })).toEqual([niccolo.id])
    expect(await by({ q: 'ND@altro.example.com' })).toEqual([niccolo.id])
    expect(await by({ q: '0574 654321' })).toEqual([niccolo.id])
    expect(await by({ phone: '+39 0574 654321' })).toEqual([niccolo.id])
    expect(await by({ email: 'niccolo.dangelo@example.com', kind: 'person' })).toEqual([niccolo.id])
    expect(await by({ fiscalCode: 'DNGNCL75C12G999Y' })).toEqual([niccolo.id])
    expect(await by({ q: 'niccolo', kind: 'organisation' })).toEqual([])
    const page = await list(operator, { filter: { id: [niccolo.id] }, range: [0, 9] })
    expect(page.headers['content-range']).toBe('contacts 0-0/1')
    const badPhone = await list(operator, { filter: { phone: 'abc' } })
    expect(badPhone.statusCode).toBe(400)
    expect(badPhone.json().error.code).toBe('phone_invalid')
    const badSort = await list(operator, { sort: ['fiscalCodeX', 'ASC'] })
    expect(badSort.json().error.code).toBe('invalid_sort')
  })

  it('links people to organisations, both ways, and lists an organisation’s people', async () => {
    const org = await create(operator, {
      kind: 'organisation',
      organisationName: 'Cooperativa Sociale Il Ponte',
      vatNumber: '02423060488',
      fiscalCode: '02423060488',
    })
    expect(org.statusCode).toBe(201)
    const orgId = org.json().id
    const rep = await person({
      firstName: 'Elena',
      lastName: 'Conti',
      organisations: [{ organisationId: orgId, role: 'legale rappresentante' }],
    })
    expect(rep.organisations).toEqual([
      { contactId: orgId, displayName: 'Cooperativa Sociale Il Ponte', role: 'legale rappresentante' },
    ])
    const orgView = await get(operator, `/contacts/${orgId}`)
    expect(orgView.json().members).toEqual([
      { contactId: rep.id, displayName: 'Elena Conti', role: 'legale rappresentante' },
    ])
    expect(ids(await list(operator, { filter: { organisationId: orgId } }))).toEqual([rep.id])
    const notOrg = await create(operator, {
      kind: 'person',
      lastName: 'Sbaglio',
      organisations: [{ organisationId: rep.id }],
    })
    expect(notOrg.json().error).toMatchObject({ code: 'membership_not_organisation' })
  })
})

describe('PATCH /api/v1/contacts/:id', () => {
  it('changes the fields given, bumps the version and audits before and after', async () => {
    const c = await person({ phones: [{ phone: '333 1112222' }] })
    const res = await patch(operator, c.id, {
      version: 1,
      lastName: 'Neri Bianchi',
      phones: [{ phone: '333 1112222' }, { phone: '055 7654321', isPrimary: true }],
      consents: [{ kind: 'sms', granted: true }],
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers.etag).toBe('"2"')
    expect(res.json()).toMatchObject({
      version: 2,
      lastName: 'Neri Bianchi',
      firstName: 'Anna',
      phone: '+390557654321',
      consents: [{ kind: 'sms', granted: true }],
    })
    const audit = (await auditOf('contact.update')).filter((a) => a.entityId === c.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]?.before).toMatchObject({ version: 1, lastName: 'Neri' })
    expect(audit[0]?.after).toMatchObject({ version: 2, lastName: 'Neri Bianchi' })
  })

  it('answers a stale version with 409 and the current state, writing nothing', async () => {
    const c = await person()
    expect((await patch(operator, c.id, { version: 1, firstName: 'Annamaria' })).statusCode).toBe(200)
    const stale = await patch(staffA, c.id, { version: 1, firstName: 'Annalisa' })
    expect(stale.statusCode).toBe(409)
    const { error } = stale.json()
    expect(error.code).toBe('contact_version_conflict')
    expect(error.message).toContain('versione attuale 2')
    expect(error.details.current).toMatchObject({ id: c.id, version: 2, firstName: 'Annamaria' })
    // The 409 showed the contact to staffA: that is a read, and it is on record.
    expect((await auditOf('contact.read')).filter((a) => a.entityId === c.id)).toHaveLength(1)
    expect((await get(operator, `/contacts/${c.id}`)).json().firstName).toBe('Annamaria')
  })

  it('takes the version from If-Match, and asks for one when there is none', async () => {
    const c = await person()
    const ok = await patch(operator, c.id, { firstName: 'Anita' }, { 'if-match': '"1"' })
    expect(ok.statusCode).toBe(200)
    const stale = await patch(operator, c.id, { firstName: 'Ada' }, { 'if-match': 'W/"1"' })
    expect(stale.statusCode).toBe(409)
    const none = await patch(operator, c.id, { firstName: 'Ada' }, { 'accept-language': 'en' })
    expect(none.statusCode).toBe(400)
    expect(none.json().error.code).toBe('contact_version_required')
  })

  it('lets field workers read but not change contacts', async () => {
    const c = await person()
    expect((await get(fieldWorker, `/contacts/${c.id}`)).statusCode).toBe(200)
    const res = await patch(fieldWorker, c.id, { version: 1, firstName: 'X' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('contact_edit_forbidden')
  })

  it('refuses to give a person a codice fiscale another live person holds', async () => {
    const holder = await person({ fiscalCode: 'MNCGNN70A01G999U' })
    const other = await person()
    const res = await patch(operator, other.id, { version: 1, fiscalCode: 'MNCGNN70A01G999U' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.details).toEqual({ contactId: holder.id })
  })
})

describe('GET /api/v1/contacts/:id/history', () => {
  it("lists a contact's cases across channels, newest first, and only the ones the caller may see", async () => {
    const c = await person({ firstName: 'Storia', lastName: 'Lunga' })
    const first = await caseFor(c.id, officeA, 'Buca in Via Roma')
    const second = await caseFor(c.id, officeB, 'Rimborso TARI')
    const third = await caseFor(c.id, officeA, 'Lampione spento')
    const all = await get(operator, `/contacts/${c.id}/history`)
    expect(all.statusCode).toBe(200)
    expect(ids(all)).toEqual([third, second, first])
    expect(all.headers['content-range']).toBe('cases 0-2/3')
    const mine = await get(staffA, `/contacts/${c.id}/history`)
    expect(ids(mine)).toEqual([third, first])
    const oldestFirst = await list(
      operator,
      { sort: ['createdAt', 'ASC'] },
      `/api/v1/contacts/${c.id}/history`,
    )
    expect(ids(oldestFirst)).toEqual([first, second, third])
  })
})

describe('duplicates and merge', () => {
  it('suggests duplicates by codice fiscale, email, phone and similar name, saying why', async () => {
    const base = await person({
      firstName: 'Ottavio',
      lastName: 'Brunelleschi',
      emails: [{ email: 'peppe@example.com' }],
      phones: [{ phone: '347 5550001' }],
    })
    const sameEmail = await person({
      firstName: 'G.',
      lastName: 'V.',
      emails: [{ email: 'PEPPE@example.com' }],
    })
    const samePhone = await person({
      firstName: 'Ottavia',
      lastName: 'Brunelleschi',
      phones: [{ phone: '+393475550001' }],
    })
    const unrelated = await person({ firstName: 'Chiara', lastName: 'Fabbri' })
    // Registers imported before Filo hold the same code twice; the seed writes rows the same way.
    await t.deps.db
      .updateTable('contacts')
      .set({ fiscalCode: 'VRDGPP81A01G999G' })
      .where('id', 'in', [base.id, unrelated.id])
      .execute()

    const res = await get(operator, `/contacts/${base.id}/duplicates`)
    expect(res.statusCode).toBe(200)
    const reasons = Object.fromEntries(
      (res.json() as { contact: { id: number }; reasons: string[] }[]).map((d) => [d.contact.id, d.reasons]),
    )
    expect(reasons[sameEmail.id]).toEqual(['email'])
    expect(reasons[samePhone.id]).toEqual(['phone', 'similar_name'])
    expect(reasons[unrelated.id]).toEqual(['fiscal_code'])
    expect(reasons[base.id]).toBeUndefined()
    expect(Object.keys(reasons)).toHaveLength(3)
  })

  it('merges a duplicate: cases, addresses, consents and memberships move; the duplicate points to the survivor', async () => {
    const org = (
      await create(operator, { kind: 'organisation', organisationName: 'Lanificio Bardazzi spa' })
    ).json()
    const survivor = await person({
      firstName: 'Paolo',
      lastName: 'Santini',
      emails: [{ email: 'paolo@example.com' }],
      consents: [{ kind: 'privacy', granted: true }],
    })
    const duplicate = await person({
      firstName: 'Paolo',
      lastName: 'Santini',
      fiscalCode: 'SNTPLA66M20G999B',
      emails: [{ email: 'paolo@example.com', verified: true }, { email: 'santini@lavoro.example.com' }],
      phones: [{ phone: '338 9990001' }],
      consents: [{ kind: 'sms', granted: true }],
      organisations: [{ organisationId: org.id, role: 'socio' }],
    })
    const caseA = await caseFor(duplicate.id, officeA, 'Rumore notturno')
    const caseB = await caseFor(duplicate.id, officeB, 'Accertamento IMU')

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/contacts/${survivor.id}/merge`,
          headers: { cookie: fieldWorker },
          payload: { duplicateId: duplicate.id },
        })
      ).statusCode,
    ).toBe(403)
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${survivor.id}/merge`,
      headers: { cookie: operator },
      payload: { duplicateId: duplicate.id },
    })
    expect(res.statusCode).toBe(200)
    const merged = res.json()
    expect(merged).toMatchObject({
      id: survivor.id,
      version: 2,
      fiscalCode: 'SNTPLA66M20G999B',
      email: 'paolo@example.com',
      phone: '+393389990001',
      organisations: [{ contactId: org.id, role: 'socio' }],
    })
    expect(merged.emails).toEqual([
      { email: 'paolo@example.com', label: null, isPrimary: true, verified: true },
      { email: 'santini@lavoro.example.com', label: null, isPrimary: false, verified: false },
    ])
    expect(merged.consents.map((c: { kind: string }) => c.kind)).toEqual(['privacy', 'sms'])

    const history = await get(operator, `/contacts/${survivor.id}/history`)
    expect(ids(history).sort()).toEqual([caseA, caseB].sort())
    const gone = await get(operator, `/contacts/${duplicate.id}`)
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error).toEqual({
      code: 'contact_merged',
      message: `Il contatto ${duplicate.id} è stato unito al contatto ${survivor.id}.`,
      details: { mergedIntoId: survivor.id },
    })
    expect(ids(await list(operator, { filter: { q: 'paolo santini' } }))).toEqual([survivor.id])

    const audit = (await auditOf('contact.merge')).filter(
      (a) => a.entityId === survivor.id || a.entityId === duplicate.id,
    )
    expect(audit.map((a) => a.entityId).sort()).toEqual([survivor.id, duplicate.id].sort())
    expect(audit[0]?.before).toMatchObject({ survivor: { id: survivor.id }, duplicate: { id: duplicate.id } })
    expect(audit[0]?.after).toMatchObject({
      mergedFrom: duplicate.id,
      movedCaseIds: [caseA, caseB].sort((a, b) => a - b),
    })

    // Merging the survivor on: the first duplicate now points straight at the last survivor.
    const last = await person({ firstName: 'Paolo', lastName: 'Santini Jr' })
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${last.id}/merge`,
      headers: { cookie: operator },
      payload: { duplicateId: survivor.id },
    })
    expect(again.statusCode).toBe(200)
    expect((await get(operator, `/contacts/${duplicate.id}`)).json().error.details).toEqual({
      mergedIntoId: last.id,
    })
  })

  it('refuses to merge a contact into itself, a person with an organisation, or a merged contact', async () => {
    const a = await person()
    const b = await person()
    const org = (await create(operator, { kind: 'organisation', organisationName: 'Ditta Rossi snc' })).json()
    const merge = (survivorId: number, duplicateId: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/contacts/${survivorId}/merge`,
        headers: { cookie: operator },
        payload: { duplicateId },
      })
    expect((await merge(a.id, a.id)).json().error.code).toBe('merge_same_contact')
    expect((await merge(a.id, org.id)).json().error.code).toBe('merge_kind_mismatch')
    expect((await merge(a.id, b.id)).statusCode).toBe(200)
    const twice = await merge(a.id, b.id)
    expect(twice.statusCode).toBe(404)
    expect(twice.json().error.code).toBe('contact_merged')
  })
})

describe('OpenAPI', () => {
  it('documents every contact route with its request and response schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json()
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
    for (const [path, method] of [
      ['/api/v1/contacts', 'get'],
      ['/api/v1/contacts', 'post'],
      ['/api/v1/contacts/{id}', 'get'],
      ['/api/v1/contacts/{id}', 'patch'],
      ['/api/v1/contacts/{id}/history', 'get'],
      ['/api/v1/contacts/{id}/duplicates', 'get'],
      ['/api/v1/contacts/{id}/merge', 'post'],
    ] as const) {
      const op = paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(Object.keys(op?.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(1)
    }
  })
})
