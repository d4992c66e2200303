import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pointInArea } from '../../core/src/routing/geo.ts'
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

  it('lists Prato’s circoscrizioni as preset areas for routing rules, each with a point inside it', async () => {
    const res = await get('/api/v1/reference/areas')
    expect(res.statusCode).toBe(200)
    const areas = res.json() as {
      id: string
      name: string
      geometry: { type: 'Polygon'; coordinates: [number, number][][] }
      centre: { latitude: number; longitude: number }
    }[]
    expect(areas.map((a) => a.name)).toEqual([
      'Prato Centro',
      'Prato Nord',
      'Prato Est',
      'Prato Sud',
      'Prato Ovest',
    ])
    for (const area of areas) {
      expect(area.geometry.type).toBe('Polygon')
      const centre = { lat: area.centre.latitude, lon: area.centre.longitude }
      // The centre lies in its own area and in no other: the tester drops its pin there.
      expect(areas.filter((a) => pointInArea(centre, a.geometry)).map((a) => a.id)).toEqual([area.id])
    }
    // Piazza del Comune is in the centre.
    const piazza = { lat: 43.8808, lon: 11.0966 }
    expect(areas.filter((a) => pointInArea(piazza, a.geometry)).map((a) => a.id)).toEqual(['prato_centro'])
  })
})
