import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await createTestApp()
  cookie = await t.login((await createUser(t.deps.db, 'office_staff')).email)
})
afterAll(() => t.close())

const get = (url: string, query: Record<string, unknown> = {}) =>
  t.app.inject({
    url,
    headers: { cookie },
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)])),
  })

describe('reference lists', () => {
  it('lists offices sorted by name, by ids (getMany) and by words (pickers)', async () => {
    const verde = await createOffice(t.deps.db, 'Verde Pubblico')
    const ambiente = await createOffice(t.deps.db, 'Ambiente')
    await createOffice(t.deps.db, 'Tributi')
    const sorted = await get('/api/v1/offices', { sort: ['name', 'ASC'] })
    expect(sorted.json().map((o: { name: string }) => o.name)).toEqual([
      'Ambiente',
      'Tributi',
      'Verde Pubblico',
    ])
    expect(sorted.headers['content-range']).toBe('offices 0-2/3')
    const many = await get('/api/v1/offices', { filter: { id: [verde.id, ambiente.id] } })
    expect(
      many
        .json()
        .map((o: { id: number }) => o.id)
        .sort(),
    ).toEqual([verde.id, ambiente.id].sort())
    const words = await get('/api/v1/offices', { filter: { q: 'pubbl' } })
    expect(words.json().map((o: { name: string }) => o.name)).toEqual(['Verde Pubblico'])
  })

  it('lists categories with Italian and English names, sortable by nameIt', async () => {
    await t.deps.db
      .insertInto('categories')
      .values([
        { code: 'strade.buche', nameIt: 'Buche stradali', nameEn: 'Potholes' },
        { code: 'illuminazione', nameIt: 'Illuminazione pubblica', nameEn: 'Street lighting' },
      ])
      .execute()
    const res = await get('/api/v1/categories', { sort: ['nameIt', 'DESC'] })
    expect(res.json().map((c: { nameIt: string }) => c.nameIt)).toEqual([
      'Illuminazione pubblica',
      'Buche stradali',
    ])
    const en = await get('/api/v1/categories', { filter: { q: 'pothole' } })
    expect(en.json()).toEqual([expect.objectContaining({ code: 'strade.buche', nameEn: 'Potholes' })])
    expect((await get('/api/v1/categories', { sort: ['name', 'ASC'] })).statusCode).toBe(400)
  })
})
