import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser, TEST_PASSWORD } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('staff login', () => {
  it('signs in with the right password, sets an httpOnly SameSite cookie, and /auth/me answers', async () => {
    const office = await createOffice(t.deps.db)
    const user = await createUser(t.deps.db, 'office_staff', { officeIds: [office.id] })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email.toUpperCase(), password: TEST_PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().user).toMatchObject({ id: user.id, role: 'office_staff', officeIds: [office.id] })
    const cookie = res.cookies.find((c) => c.name === 'filo_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })

    const me = await t.app.inject({
      url: '/api/v1/auth/me',
      headers: { cookie: `filo_session=${cookie?.value}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json().user.email).toBe(user.email)
  })

  it('refuses a wrong password with 401 and a message in Italian (English on request)', async () => {
    const user = await createUser(t.deps.db, 'operator')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'sbagliata' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({
      error: { code: 'invalid_credentials', message: 'Email o password non corretti.' },
    })
    expect(res.cookies).toHaveLength(0)

    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
      payload: { email: 'nobody@test.filo', password: 'whatever' },
    })
    expect(en.statusCode).toBe(401)
    expect(en.json().error.message).toBe('Wrong email or password.')
  })

  it('throttles an account after repeated failures, even for the right password, then lets it in after the window', async () => {
    const user = await createUser(t.deps.db, 'operator')
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: `guess-${i}` },
      })
      expect(res.statusCode).toBe(401)
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    })
    expect(blocked.statusCode).toBe(429)
    expect(blocked.headers['retry-after']).toBe('900')
    expect(blocked.json().error.code).toBe('too_many_attempts')
    expect(blocked.json().error.message).toContain('15 minuti')

    // Age the failures past the window: the account opens again.
    await t.deps.db
      .updateTable('loginFailures')
      .set({ failedAt: new Date(Date.now() - 16 * 60_000) })
      .where('email', '=', user.email)
      .execute()
    expect(await t.login(user.email)).toMatch(/^filo_session=/)
  })

  it('refuses a disabled account even with the right password', async () => {
    const user = await createUser(t.deps.db, 'operator', { active: false })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('account_disabled')
  })

  it('logout ends the session for good', async () => {
    const user = await createUser(t.deps.db, 'supervisor')
    const cookie = await t.login(user.email)
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })
    expect(out.statusCode).toBe(204)
    const after = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('unauthenticated')
  })

  it('rejects requests without a session, and forged or expired tokens', async () => {
    expect((await t.app.inject({ url: '/api/v1/cases' })).statusCode).toBe(401)
    expect(
      (await t.app.inject({ url: '/api/v1/cases', headers: { cookie: 'filo_session=forged' } })).statusCode,
    ).toBe(401)
    const user = await createUser(t.deps.db, 'operator')
    const cookie = await t.login(user.email)
    await t.deps.db
      .updateTable('staffSessions')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('staffUserId', '=', user.id)
      .execute()
    expect((await t.app.inject({ url: '/api/v1/cases', headers: { cookie } })).statusCode).toBe(401)
  })

  it('validates the login body with a clear message naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.it' },
    })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.details).toContainEqual(expect.objectContaining({ path: '/body/password' }))
    expect(body.error.message).toMatch(/password/)
  })
})

describe('the signed-in actor', () => {
  it('carries office ids as numbers, so checks in code and SQL agree', async () => {
    const office = await createOffice(t.deps.db)
    const user = await createUser(t.deps.db, 'office_staff', { officeIds: [office.id] })
    const cookie = await t.login(user.email)
    const token = cookie.split('=')[1] ?? ''
    const session = await t.deps.services.auth.authenticate(token)
    expect(session?.actor.officeIds).toEqual([office.id])
    expect(typeof session?.actor.officeIds[0]).toBe('number')
  })
})
