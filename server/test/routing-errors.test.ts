import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
})
afterAll(() => t.close())

const create = (payload: object, lang = 'it') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/routing-rules',
    headers: { cookie: admin, 'accept-language': lang },
    payload,
  })

describe('a routing rule with several mistakes', () => {
  it('names each one with its own message, in the reader’s language, so a form can show it by its field', async () => {
    const rule = {
      name: 'Sbagliata',
      conditions: {
        words: { any: ['buca', '!!!'] },
        timeWindow: { from: '25:00' },
      },
      actions: { priority: 'high' },
    }
    const it = await create(rule)
    expect(it.statusCode).toBe(400)
    const details = it.json().error.details as { path: string; code: string; message: string }[]
    expect(details).toEqual([
      expect.objectContaining({
        path: '/conditions/timeWindow/from',
        code: 'routing_time_invalid',
        message: expect.stringMatching(/^Orario non valido in \/conditions\/timeWindow\/from/),
      }),
    ])
    // The first problem is also the error's own message.
    expect(it.json().error.message).toBe(details[0]?.message)

    const en = await create({ ...rule, conditions: { words: { any: ['buca', '!!!'] } } }, 'en')
    expect(en.json().error.details).toEqual([
      expect.objectContaining({
        path: '/conditions/words/any/1',
        code: 'routing_word_no_letters',
        message: 'The word "!!!" (/conditions/words/any/1) has no letters or digits.',
      }),
    ])
  })
})
