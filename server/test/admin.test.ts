import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let adminId: number
let admin: string
let supervisor: string
let operator: string
let officeStaff: string
let officeId: number

beforeAll(async () => {
  t = await createTestApp()
  officeId = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  const a = await createUser(t.deps.db, 'admin')
  adminId = a.id
  admin = await t.login(a.email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  officeStaff = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeId] })).email)
})
afterAll(() => t.close())

type Method = 'GET' | 'POST' | 'PATCH'
const call = (
  method: Method,
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) })
const list = (url: string, cookie: string, query: Record<string, unknown> = {}) =>
  t.app.inject({
    url,
    headers: { cookie },
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])),
  })

const PASSWORD = 'una-password-lunga-abbastanza'
let n = 0
const newUser = (extra: object = {}) => ({
  email: `Persona.${++n}@Comune.Prato.it`,
  fullName: `Persona ${n}`,
  role: 'operator',
  password: PASSWORD,
  ...extra,
})

async function auditOf(entityType: string, entityId: number) {
  return t.deps.db
    .selectFrom('auditLog')
    .select(['action', 'actorId', 'before', 'after'])
    .where('entityType', '=', entityType)
    .where('entityId', '=', entityId)
    .orderBy('id')
    .execute()
}

describe('staff users', () => {
  it('lets an admin create a user who can then sign in; the hash is never shown', async () => {
    const res = await call(
      'POST',
      '/api/v1/users',
      admin,
      newUser({ officeIds: [officeId], skills: ['potature'] }),
    )
    expect(res.statusCode).toBe(201)
    const user = res.json()
    expect(user).toMatchObject({
      email: `persona.${n}@comune.prato.it`,
      role: 'operator',
      officeIds: [officeId],
      skills: ['potature'],
      capacity: 10,
      language: 'it',
      active: true,
      version: 1,
    })
    expect(JSON.stringify(user)).not.toMatch(/password|argon2/i)
    await expect(t.login(user.email, PASSWORD)).resolves.toMatch(/^filo_session=/)

    const [entry] = await auditOf('staff_user', user.id)
    expect(entry).toMatchObject({ action: 'user.create', actorId: adminId, before: null })
    expect(JSON.stringify(entry)).not.toMatch(/password_?hash|argon2/i)
  })

  it('refuses a second user with the same email, whatever its case (409)', async () => {
    const first = newUser()
    expect((await call('POST', '/api/v1/users', admin, first)).statusCode).toBe(201)
    const again = await call('POST', '/api/v1/users', admin, { ...first, email: first.email.toUpperCase() })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('user_email_taken')
    expect(again.json().error.message).toContain(first.email.toLowerCase())
  })

  it('explains invalid input in Italian, and in English on request', async () => {
    const short = await call('POST', '/api/v1/users', admin, newUser({ password: 'corta' }))
    expect(short.statusCode).toBe(400)
    expect(short.json().error.details).toEqual([
      expect.objectContaining({ path: '/body/password', message: expect.stringMatching(/12 caratteri/) }),
    ])
    const en = await call('POST', '/api/v1/users', admin, newUser({ password: 'corta' }), {
      'accept-language': 'en',
    })
    expect(en.json().error.details[0].message).toMatch(/12 characters/)

    const noOffice = await call('POST', '/api/v1/users', admin, newUser({ role: 'office_staff' }))
    expect(noOffice.statusCode).toBe(400)
    expect(noOffice.json().error).toMatchObject({
      code: 'user_office_required',
      message: 'Un utente con ruolo «personale d’ufficio» deve appartenere ad almeno un ufficio.',
    })
    const noOfficeEn = await call('POST', '/api/v1/users', admin, newUser({ role: 'office_staff' }), {
      'accept-language': 'en',
    })
    expect(noOfficeEn.json().error.message).toBe(
      'A user with the office staff role must belong to at least one office.',
    )

    const unknownOffice = await call('POST', '/api/v1/users', admin, newUser({ officeIds: [999999] }))
    expect(unknownOffice.statusCode).toBe(400)
    expect(unknownOffice.json().error.code).toBe('unknown_reference')
  })

  it('lists users for everyone, but shows emails and routing fields to admins only', async () => {
    const created = (
      await call(
        'POST',
        '/api/v1/users',
        admin,
        newUser({ fullName: 'Giulia Bartolini', officeIds: [officeId] }),
      )
    ).json()
    const asAdmin = await list('/api/v1/users', admin, { filter: { q: 'bartolini' } })
    expect(asAdmin.statusCode).toBe(200)
    expect(asAdmin.headers['content-range']).toBe('users 0-0/1')
    expect(asAdmin.json()[0]).toMatchObject({ id: created.id, email: created.email, capacity: 10 })

    const asOperator = await list('/api/v1/users', operator, { filter: { q: 'bartolini' } })
    expect(asOperator.json()).toEqual([
      { id: created.id, fullName: 'Giulia Bartolini', role: 'operator', officeIds: [officeId], active: true },
    ])
    // An operator cannot find people by email, nor sort by it.
    expect((await list('/api/v1/users', operator, { filter: { q: created.email } })).json()).toEqual([])
    expect((await list('/api/v1/users', operator, { sort: ['email', 'ASC'] })).statusCode).toBe(403)
    expect((await call('GET', `/api/v1/users/${created.id}`, operator)).json()).not.toHaveProperty('email')

    const byOffice = await list('/api/v1/users', operator, { filter: { officeId, role: ['operator'] } })
    expect(byOffice.json().map((u: { id: number }) => u.id)).toContain(created.id)
    expect(byOffice.json().every((u: { role: string }) => u.role === 'operator')).toBe(true)
    expect((await list('/api/v1/users', admin, { filter: { role: 'boss' } })).statusCode).toBe(400)
  })

  it('changes a user only from the version the admin read (body or If-Match)', async () => {
    const user = (await call('POST', '/api/v1/users', admin, newUser())).json()
    const noVersion = await call('PATCH', `/api/v1/users/${user.id}`, admin, { fullName: 'Nuovo nome' })
    expect(noVersion.statusCode).toBe(400)
    expect(noVersion.json().error.code).toBe('admin_version_required')

    const first = await call(
      'PATCH',
      `/api/v1/users/${user.id}`,
      admin,
      { capacity: 4 },
      { 'if-match': '"1"' },
    )
    expect(first.statusCode).toBe(200)
    expect(first.headers.etag).toBe('"2"')
    expect(first.json()).toMatchObject({ capacity: 4, version: 2 })

    const stale = await call('PATCH', `/api/v1/users/${user.id}`, admin, { fullName: 'Altro', version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'user_version_conflict',
      details: { current: { id: user.id, capacity: 4, version: 2 } },
    })
    expect(stale.json().error.details.current).not.toHaveProperty('passwordHash')

    const missing = await call('PATCH', '/api/v1/users/999999', admin, { fullName: 'X', version: 1 })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('user_not_found')
  })

  it('logs a deactivated user out at once, and they cannot sign in again', async () => {
    const user = (await call('POST', '/api/v1/users', admin, newUser())).json()
    const session = await t.login(user.email, PASSWORD)
    expect((await call('GET', '/api/v1/auth/me', session)).statusCode).toBe(200)

    const res = await call('PATCH', `/api/v1/users/${user.id}`, admin, { active: false, version: 1 })
    expect(res.statusCode).toBe(200)
    expect((await call('GET', '/api/v1/auth/me', session)).statusCode).toBe(401)
    const sessions = await t.deps.db
      .selectFrom('staffSessions')
      .select('tokenHash')
      .where('staffUserId', '=', user.id)
      .execute()
    expect(sessions).toEqual([])
    await expect(t.login(user.email, PASSWORD)).rejects.toThrow(/403/)
  })

  it('sets a new password: the old one stops working, and the audit log says so without the hash', async () => {
    const user = (await call('POST', '/api/v1/users', admin, newUser())).json()
    const session = await t.login(user.email, PASSWORD)
    const newPassword = 'un-altra-password-ancora-piu-lunga'
    const res = await call('PATCH', `/api/v1/users/${user.id}`, admin, { password: newPassword, version: 1 })
    expect(res.statusCode).toBe(200)
    expect(res.json().version).toBe(2)
    expect((await call('GET', '/api/v1/auth/me', session)).statusCode).toBe(401)
    await expect(t.login(user.email, PASSWORD)).rejects.toThrow(/401/)
    await expect(t.login(user.email, newPassword)).resolves.toMatch(/^filo_session=/)

    const entries = await auditOf('staff_user', user.id)
    expect(entries.map((e) => e.action)).toEqual(['user.create', 'user.update'])
    expect(entries[1]?.after).toMatchObject({ passwordChanged: true, version: 2 })
    expect(JSON.stringify(entries)).not.toMatch(/password_?hash|argon2|un-altra-password/i)
  })

  it('never leaves Filo without an active administrator', async () => {
    const solo = await createUser(t.deps.db, 'admin')
    const soloCookie = await t.login(solo.email)
    // Only `solo` stays an active admin for this test.
    const others = await t.deps.db
      .updateTable('staffUsers')
      .set({ active: false })
      .where('role', '=', 'admin')
      .where('id', '<>', solo.id)
      .where('active', '=', true)
      .returning('id')
      .execute()
    try {
      const demote = await call('PATCH', `/api/v1/users/${solo.id}`, soloCookie, {
        role: 'operator',
        version: 1,
      })
      expect(demote.statusCode).toBe(409)
      expect(demote.json().error.code).toBe('user_last_admin')
      expect(demote.json().error.message).toMatch(/ultimo amministratore attivo/)
      const deactivate = await call('PATCH', `/api/v1/users/${solo.id}`, soloCookie, {
        active: false,
        version: 1,
      })
      expect(deactivate.json().error.code).toBe('user_last_admin')

      const second = (await call('POST', '/api/v1/users', soloCookie, newUser({ role: 'admin' }))).json()
      const now = await call('PATCH', `/api/v1/users/${solo.id}`, soloCookie, {
        role: 'supervisor',
        version: 1,
      })
      expect(now.statusCode).toBe(200)
      expect(now.json().role).toBe('supervisor')
      // The demotion takes effect on the very next request.
      expect((await call('POST', '/api/v1/users', soloCookie, newUser())).statusCode).toBe(403)
      expect(second.role).toBe('admin')
    } finally {
      await t.deps.db
        .updateTable('staffUsers')
        .set({ active: true })
        .where(
          'id',
          'in',
          others.map((o) => o.id),
        )
        .execute()
    }
  })
})

describe('offices', () => {
  it('are created, renamed and deactivated by admins, with before and after in the audit log', async () => {
    const res = await call('POST', '/api/v1/offices', admin, {
      code: 'tributi',
      name: 'Tributi',
      email: 'Tributi@Comune.Prato.it',
    })
    expect(res.statusCode).toBe(201)
    const office = res.json()
    expect(office).toMatchObject({
      code: 'tributi',
      email: 'tributi@comune.prato.it',
      active: true,
      version: 1,
    })

    const changed = await call('PATCH', `/api/v1/offices/${office.id}`, admin, { active: false, version: 1 })
    expect(changed.json()).toMatchObject({ active: false, version: 2 })
    const listed = await list('/api/v1/offices', operator, { filter: { id: [office.id] } })
    expect(listed.json()).toEqual([expect.objectContaining({ id: office.id, active: false, version: 2 })])

    const entries = await auditOf('office', office.id)
    expect(entries).toEqual([
      expect.objectContaining({ action: 'office.create', before: null }),
      expect.objectContaining({
        action: 'office.update',
        actorId: adminId,
        before: expect.objectContaining({ active: true, version: 1 }),
        after: expect.objectContaining({ active: false, version: 2 }),
      }),
    ])
  })

  it('refuses a taken code (409) and a malformed one (400)', async () => {
    await call('POST', '/api/v1/offices', admin, { code: 'anagrafe', name: 'Anagrafe' })
    const taken = await call('POST', '/api/v1/offices', admin, { code: 'anagrafe', name: 'Altra anagrafe' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error).toMatchObject({
      code: 'office_code_taken',
      message: 'Esiste già un ufficio con il codice «anagrafe».',
    })
    const other = (
      await call('POST', '/api/v1/offices', admin, { code: 'stato-civile', name: 'Stato civile' })
    ).json()
    const renamed = await call('PATCH', `/api/v1/offices/${other.id}`, admin, {
      code: 'anagrafe',
      version: 1,
    })
    expect(renamed.statusCode).toBe(409)
    const bad = await call('POST', '/api/v1/offices', admin, { code: 'Con Spazi', name: 'X' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details[0].path).toBe('/body/code')
    const blank = await call('POST', '/api/v1/offices', admin, { code: 'vuoto', name: '   ' })
    expect(blank.json().error).toMatchObject({
      code: 'admin_field_blank',
      message: 'Il campo «name» non può essere vuoto.',
    })
  })

  it('answers a stale version with 409 and the current office', async () => {
    const office = (await call('POST', '/api/v1/offices', admin, { code: 'urp', name: 'URP' })).json()
    await call('PATCH', `/api/v1/offices/${office.id}`, admin, {
      name: 'Ufficio Relazioni col Pubblico',
      version: 1,
    })
    const stale = await call(
      'PATCH',
      `/api/v1/offices/${office.id}`,
      admin,
      { name: 'URP' },
      { 'if-match': 'W/"1"' },
    )
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'office_version_conflict',
      details: { current: { name: 'Ufficio Relazioni col Pubblico', version: 2 } },
    })
    const en = await call(
      'PATCH',
      `/api/v1/offices/${office.id}`,
      admin,
      { name: 'URP', version: 1 },
      { 'accept-language': 'en' },
    )
    expect(en.json().error.message).toBe(
      'Someone else changed this office meanwhile (now at version 2): reload and try again.',
    )
  })
})

describe('categories', () => {
  const category = async (code: string, extra: object = {}) => {
    const res = await call('POST', '/api/v1/categories', admin, {
      code,
      nameIt: `Categoria ${code}`,
      nameEn: `Category ${code}`,
      ...extra,
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: number; version: number; parentId: number | null }
  }

  it('form a tree of at most three levels, and refuse cycles', async () => {
    const root = await category('verde', { officeId })
    const mid = await category('verde.alberi', { parentId: root.id })
    const leaf = await category('verde.alberi.caduti', { parentId: mid.id })
    expect(mid.parentId).toBe(root.id)

    const tooDeep = await call('POST', '/api/v1/categories', admin, {
      code: 'verde.alberi.caduti.rami',
      nameIt: 'Rami',
      nameEn: 'Branches',
      parentId: leaf.id,
    })
    expect(tooDeep.statusCode).toBe(409)
    expect(tooDeep.json().error).toMatchObject({
      code: 'category_too_deep',
      message: 'Le categorie possono avere al massimo 3 livelli.',
    })

    const cycle = await call('PATCH', `/api/v1/categories/${root.id}`, admin, {
      parentId: leaf.id,
      version: 1,
    })
    expect(cycle.statusCode).toBe(409)
    expect(cycle.json().error.code).toBe('category_cycle')
    const self = await call('PATCH', `/api/v1/categories/${root.id}`, admin, {
      parentId: root.id,
      version: 1,
    })
    expect(self.json().error.code).toBe('category_cycle')

    // Moving a two-level subtree under a root that is itself a child would make four levels.
    const other = await category('strade')
    const otherChild = await category('strade.buche', { parentId: other.id })
    const moveDeep = await call('PATCH', `/api/v1/categories/${mid.id}`, admin, {
      parentId: otherChild.id,
      version: 1,
    })
    expect(moveDeep.json().error.code).toBe('category_too_deep')
    const move = await call('PATCH', `/api/v1/categories/${mid.id}`, admin, {
      parentId: other.id,
      version: 1,
    })
    expect(move.statusCode).toBe(200)
    expect(move.json()).toMatchObject({ parentId: other.id, version: 2 })

    const unknownParent = await call('POST', '/api/v1/categories', admin, {
      code: 'orfana',
      nameIt: 'Orfana',
      nameEn: 'Orphan',
      parentId: 999999,
    })
    expect(unknownParent.statusCode).toBe(400)
    expect(unknownParent.json().error.code).toBe('unknown_reference')

    const children = await list('/api/v1/categories', operator, { filter: { parentId: other.id } })
    expect(
      children
        .json()
        .map((c: { code: string }) => c.code)
        .sort(),
    ).toEqual(['strade.buche', 'verde.alberi'])
  })

  it('return the nested tree with both languages, active only unless all=true', async () => {
    const root = await category('illuminazione', { sortOrder: -10 })
    const child = await category('illuminazione.lampione', { parentId: root.id })
    await category('illuminazione.vecchia', { parentId: root.id, active: false })

    const tree = await call('GET', '/api/v1/categories/tree', operator)
    expect(tree.statusCode).toBe(200)
    const node = tree.json().find((n: { id: number }) => n.id === root.id)
    expect(tree.json()[0].id).toBe(root.id)
    expect(node).toMatchObject({
      code: 'illuminazione',
      nameIt: 'Categoria illuminazione',
      nameEn: 'Category illuminazione',
      children: [
        expect.objectContaining({ id: child.id, nameEn: 'Category illuminazione.lampione', children: [] }),
      ],
    })
    const all = await call('GET', '/api/v1/categories/tree?all=true', operator)
    const allNode = all.json().find((n: { id: number }) => n.id === root.id)
    expect(allNode.children.map((c: { code: string }) => c.code).sort()).toEqual([
      'illuminazione.lampione',
      'illuminazione.vecchia',
    ])
  })

  it('carry extra questions, validated: unique codes, values for list questions', async () => {
    const questions = [
      {
        code: 'dimensione',
        labelIt: 'Quanto è grande la buca?',
        labelEn: 'How big is the pothole?',
        datatype: 'singlevaluelist',
        required: true,
        order: 2,
        values: [
          { key: 'piccola', nameIt: 'Piccola', nameEn: 'Small' },
          { key: 'grande', nameIt: 'Grande', nameEn: 'Large' },
        ],
      },
      {
        code: 'note',
        labelIt: 'Altro da dire?',
        labelEn: 'Anything else?',
        datatype: 'text',
        required: false,
        order: 1,
      },
    ]
    const created = await category('buche.profonde', { questions })
    // Stored and returned in their order.
    expect(created).toMatchObject({ questions: [questions[1], questions[0]] })
    // The column holds snake_case keys, like every other name in the database.
    const { rows } = await sql<{ questions: string }>`
      select questions::text as questions from categories where id = ${created.id}`.execute(t.deps.db)
    expect(JSON.parse(rows[0]?.questions ?? 'null')).toEqual([
      expect.objectContaining({ code: 'note', label_it: 'Altro da dire?', label_en: 'Anything else?' }),
      expect.objectContaining({
        code: 'dimensione',
        values: [expect.objectContaining({ key: 'piccola', name_en: 'Small' }), expect.anything()],
      }),
    ])

    const twice = await call('PATCH', `/api/v1/categories/${created.id}`, admin, {
      questions: [questions[0], { ...questions[1], code: 'dimensione' }],
      version: 1,
    })
    expect(twice.statusCode).toBe(400)
    expect(twice.json().error).toMatchObject({
      code: 'category_question_code_twice',
      message: 'Due domande aggiuntive hanno lo stesso codice «dimensione».',
    })
    const noValues = await call(
      'PATCH',
      `/api/v1/categories/${created.id}`,
      admin,
      { questions: [{ ...questions[0], values: [] }], version: 1 },
      { 'accept-language': 'en' },
    )
    expect(noValues.json().error).toMatchObject({
      code: 'category_question_values_required',
      message: 'Question "dimensione" is a choice: give at least one value to choose from.',
    })
    const badType = await call('PATCH', `/api/v1/categories/${created.id}`, admin, {
      questions: [{ ...questions[1], datatype: 'colour' }],
      version: 1,
    })
    expect(badType.statusCode).toBe(400)
    expect(badType.json().error.details[0].path).toBe('/body/questions/0/datatype')

    const tree = await call('GET', '/api/v1/categories/tree', operator)
    expect(tree.json().find((n: { id: number }) => n.id === created.id).questions).toHaveLength(2)
  })

  it('refuse a taken code, and answer a stale version with the current category', async () => {
    const c = await category('rifiuti')
    const taken = await call('POST', '/api/v1/categories', admin, {
      code: 'rifiuti',
      nameIt: 'R',
      nameEn: 'W',
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('category_code_taken')
    await call('PATCH', `/api/v1/categories/${c.id}`, admin, { nameEn: 'Waste', version: 1 })
    const stale = await call('PATCH', `/api/v1/categories/${c.id}`, admin, { nameEn: 'Rubbish', version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.details.current).toMatchObject({ nameEn: 'Waste', version: 2 })
    const entries = await auditOf('category', c.id)
    expect(entries.map((e) => e.action)).toEqual(['category.create', 'category.update'])
  })
})

describe('queues', () => {
  it('are managed by admins and supervisors', async () => {
    const res = await call('POST', '/api/v1/queues', supervisor, {
      code: 'manutenzioni',
      name: 'Manutenzioni',
      officeId,
    })
    expect(res.statusCode).toBe(201)
    const queue = res.json()
    expect(queue).toMatchObject({ officeId, active: true, version: 1 })
    const changed = await call('PATCH', `/api/v1/queues/${queue.id}`, admin, {
      name: 'Manutenzione strade',
      version: 1,
    })
    expect(changed.json()).toMatchObject({ name: 'Manutenzione strade', version: 2 })
    expect((await call('GET', `/api/v1/queues/${queue.id}`, operator)).headers.etag).toBe('"2"')
    const byOffice = await list('/api/v1/queues', operator, { filter: { officeId } })
    expect(byOffice.json().map((q: { id: number }) => q.id)).toEqual([queue.id])

    const taken = await call('POST', '/api/v1/queues', admin, { code: 'manutenzioni', name: 'Doppia' })
    expect(taken.json().error.code).toBe('queue_code_taken')
    const unknown = await call('PATCH', `/api/v1/queues/${queue.id}`, admin, { officeId: 999999, version: 2 })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({
      code: 'unknown_reference',
      message: 'officeId 999999 non esiste.',
    })
    expect((await auditOf('queue', queue.id)).map((e) => e.action)).toEqual(['queue.create', 'queue.update'])
  })
})

describe('permissions', () => {
  it('refuses every write to whoever is not allowed (403), in the route and in core', async () => {
    const office = (
      await call('POST', '/api/v1/offices', admin, { code: 'permessi', name: 'Permessi' })
    ).json()
    const cat = (
      await call('POST', '/api/v1/categories', admin, { code: 'permessi', nameIt: 'P', nameEn: 'P' })
    ).json()
    const queue = (await call('POST', '/api/v1/queues', admin, { code: 'permessi', name: 'Permessi' })).json()
    const writes: [Method, string, object, string[]][] = [
      ['POST', '/api/v1/users', newUser(), ['supervisor', 'operator', 'office_staff']],
      [
        'PATCH',
        `/api/v1/users/${adminId}`,
        { fullName: 'Preso', version: 1 },
        ['supervisor', 'operator', 'office_staff'],
      ],
      [
        'POST',
        '/api/v1/offices',
        { code: 'nuovo', name: 'Nuovo' },
        ['supervisor', 'operator', 'office_staff'],
      ],
      [
        'PATCH',
        `/api/v1/offices/${office.id}`,
        { name: 'X', version: 1 },
        ['supervisor', 'operator', 'office_staff'],
      ],
      [
        'POST',
        '/api/v1/categories',
        { code: 'nuova', nameIt: 'N', nameEn: 'N' },
        ['supervisor', 'operator', 'office_staff'],
      ],
      [
        'PATCH',
        `/api/v1/categories/${cat.id}`,
        { nameIt: 'X', version: 1 },
        ['supervisor', 'operator', 'office_staff'],
      ],
      ['POST', '/api/v1/queues', { code: 'nuova', name: 'Nuova' }, ['operator', 'office_staff']],
      ['PATCH', `/api/v1/queues/${queue.id}`, { name: 'X', version: 1 }, ['operator', 'office_staff']],
    ]
    const cookies: Record<string, string> = { supervisor, operator, office_staff: officeStaff }
    for (const [method, url, payload, roles] of writes) {
      for (const role of roles) {
        const res = await call(method, url, cookies[role] ?? '', payload)
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403)
        expect(res.json().error.message).toBe('Non hai i permessi per questa operazione.')
      }
    }
    // Nothing was written.
    expect((await auditOf('office', office.id)).map((e) => e.action)).toEqual(['office.create'])

    // Core refuses too, whoever calls it (workers, scripts), not just the routes.
    const op = { id: adminId + 1000, role: 'operator' as const, officeIds: [], language: 'it' as const }
    await expect(
      t.deps.services.admin.offices.create(op, { code: 'da-core', name: 'Da core' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    })
    await expect(
      t.deps.services.admin.users.update(op, adminId, { active: false, version: 1 }),
    ).rejects.toMatchObject({ kind: 'forbidden' })
  })

  it('asks for a session on every admin route', async () => {
    for (const url of ['/api/v1/users', '/api/v1/offices', '/api/v1/categories/tree', '/api/v1/queues/1']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401)
    }
  })
})

describe('OpenAPI', () => {
  it('documents every admin route with its request and response schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json()
    const paths = doc.paths as Record<
      string,
      Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>
    >
    for (const resource of ['users', 'offices', 'categories', 'queues']) {
      const base = `/api/v1/${resource}`
      for (const [path, method] of [
        [base, 'get'],
        [base, 'post'],
        [`${base}/{id}`, 'get'],
        [`${base}/{id}`, 'patch'],
      ] as const) {
        const op = paths[path]?.[method]
        expect(op, `${method} ${path}`).toBeDefined()
        expect(op?.responses['200'] ?? op?.responses['201'], `${method} ${path}`).toBeDefined()
        if (method === 'post' || method === 'patch')
          expect(op?.requestBody, `${method} ${path}`).toBeDefined()
      }
    }
    expect(paths['/api/v1/categories/tree']?.get?.responses['200']).toBeDefined()
  })
})
