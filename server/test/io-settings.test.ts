import { type Actor, createDeps, type Deps } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { buildApp } from '../src/app.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/**
 * The admins' IO settings: what the deployment's environment configures (IO's key
 * never shown, SMTP's password hidden), recent delivery figures, and the live check
 * of a fiscal code against a fake IO Services API that follows the published spec.
 */
let t: TestApp
let io: FakeIo
let admin: Actor & { email: string }
let adminCookie: string
let operatorCookie: string
const SMTP_PASSWORD = 'p@ss-segreta'
const ALLOWED = 'RSSMRA85T10A562S'
const OPTED_OUT = 'VRDGPP80A01G999Z'
const UNKNOWN = 'BNCLCU90B41D612X'
/** Other APIs on the same database (a session works on each), configured otherwise. */
const others: { app: FastifyInstance; deps: Deps }[] = []

beforeAll(async () => {
  io = await startFakeIo()
  t = await createTestApp({
    ioApiUrl: io.url,
    ioApiKey: io.key,
    smtpUrl: `smtp://filo-notify:${SMTP_PASSWORD}@smtp.comune.prato.test:587`,
    ioProfileCacheSeconds: 3600,
  })
  admin = await createUser(t.deps.db, 'admin')
  adminCookie = await t.login(admin.email)
  operatorCookie = await t.login((await createUser(t.deps.db, 'operator')).email)
  io.profiles.set(ALLOWED, { senderAllowed: true, preferredLanguages: ['it_IT', 'en_GB'] })
  io.profiles.set(OPTED_OUT, { senderAllowed: false })
})
afterAll(async () => {
  for (const o of others) {
    await o.app.close()
    await o.deps.close()
  }
  await t.close()
  await io.stop()
})

const api = (app: FastifyInstance, method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  })

/** The API with IO configured otherwise (a wrong key, an address nobody answers at). */
async function apiWith(config: Partial<Deps['config']>): Promise<FastifyInstance> {
  const deps = createDeps({ ...t.deps.config, ...config }, 'filo-test')
  const app = await buildApp(deps)
  await app.ready()
  others.push({ app, deps })
  return app
}

async function notification(
  caseId: number,
  eventId: number,
  channel: 'io' | 'email',
  state: string,
  hoursAgo: number,
) {
  await t.deps.db
    .insertInto('notifications')
    .values({
      caseId,
      eventId,
      channel,
      triggers: ['received'],
      language: 'it',
      recipient: channel === 'io' ? ALLOWED : 'cittadino@example.it',
      subject: 'Richiesta ricevuta',
      state,
      createdAt: new Date(Date.now() - hoursAgo * 3600_000),
    })
    .execute()
}

describe('settings', () => {
  it('shows admins how IO and email are configured, never IO’s key nor the SMTP password', async () => {
    const res = await api(t.app, 'GET', '/io-settings', adminCookie)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).not.toContain(io.key)
    expect(res.body).not.toContain(SMTP_PASSWORD)
    expect(res.json()).toMatchObject({
      io: {
        configured: true,
        apiUrl: io.url,
        keyHint: io.key.slice(-4),
        profileCacheSeconds: 3600,
        statusPollSeconds: 60,
      },
      email: {
        smtpUrl: 'smtp://filo-notify:***@smtp.comune.prato.test:587',
        from: 'Comune di Prato <noreply@comune.prato.it>',
      },
      delivery: { digestSeconds: 60, maxAttempts: 6, retryBaseMs: 5000 },
    })
  })

  it('counts notifications by channel and state over the last 24 hours and 7 days', async () => {
    const before = (await api(t.app, 'GET', '/io-settings', adminCookie)).json().counts
    expect(before).toEqual([])
    // Each notification needs its own case event (one per case, event and channel).
    for (const [channel, state, hoursAgo] of [
      ['io', 'sent', 1],
      ['io', 'sent', 30],
      ['io', 'failed', 2],
      ['email', 'sent', 100],
      ['email', 'sent', 200],
    ] as const) {
      const kase = await t.deps.services.cases.create(admin, {
        subject: 'Buca in via Roma',
        channel: 'phone',
      })
      const event = await t.deps.db
        .selectFrom('caseEvents')
        .select('id')
        .where('caseId', '=', kase.id)
        .executeTakeFirstOrThrow()
      await notification(kase.id, event.id, channel, state, hoursAgo)
    }
    const res = await api(t.app, 'GET', '/io-settings', adminCookie)
    expect(res.json().counts).toEqual([
      { channel: 'io', state: 'sent', lastDay: 1, lastWeek: 2 },
      { channel: 'io', state: 'failed', lastDay: 1, lastWeek: 1 },
      // 200 hours ago is more than a week ago.
      { channel: 'email', state: 'sent', lastDay: 0, lastWeek: 1 },
    ])
  })

  it('is for admins only', async () => {
    expect((await api(t.app, 'GET', '/io-settings', operatorCookie)).statusCode).toBe(403)
    const check = await api(t.app, 'POST', '/io-settings/check', operatorCookie, { fiscalCode: ALLOWED })
    expect(check.statusCode).toBe(403)
    expect(check.json().error.code).toBe('forbidden')
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/io-settings' })).statusCode).toBe(401)
  })
})

describe('the connection check', () => {
  it('answers whether IO lets the service write to the citizen, in the reader’s language, asking IO every time', async () => {
    const asked = () => io.requests.filter((r) => r.path === '/profiles' && r.fiscalCode === ALLOWED).length
    const first = await api(t.app, 'POST', '/io-settings/check', adminCookie, { fiscalCode: ALLOWED })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toEqual({
      fiscalCode: ALLOWED,
      outcome: 'sender_allowed',
      senderAllowed: true,
      preferredLanguages: ['it_IT', 'en_GB'],
      message: 'Il cittadino usa l’app IO e può ricevere i messaggi del Comune.',
    })
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/io-settings/check',
      headers: { cookie: adminCookie, 'accept-language': 'en' },
      payload: { fiscalCode: ALLOWED },
    })
    expect(again.json().message).toBe("The citizen uses the IO app and can receive the Comune's messages.")
    // A check is live: the profile cache is neither read nor written.
    expect(asked()).toBe(2)
    expect(await t.deps.db.selectFrom('ioProfiles').selectAll().execute()).toEqual([])

    const optedOut = await api(t.app, 'POST', '/io-settings/check', adminCookie, { fiscalCode: OPTED_OUT })
    expect(optedOut.json()).toMatchObject({
      outcome: 'sender_not_allowed',
      senderAllowed: false,
      preferredLanguages: ['it_IT'],
    })
    const unknown = await api(t.app, 'POST', '/io-settings/check', adminCookie, { fiscalCode: UNKNOWN })
    expect(unknown.statusCode).toBe(200)
    expect(unknown.json()).toMatchObject({
      outcome: 'no_profile',
      senderAllowed: false,
      preferredLanguages: [],
    })
    expect(io.invalid).toEqual([])
  })

  it('audits each check: who asked IO about which fiscal code, and what IO said', async () => {
    const entries = await t.deps.db
      .selectFrom('auditLog')
      .select(['actorId', 'entityType', 'after'])
      .where('action', '=', 'io_profile.check')
      .orderBy('id')
      .execute()
    expect(entries.map((e) => e.after)).toEqual([
      { fiscalCode: ALLOWED, outcome: 'sender_allowed' },
      { fiscalCode: ALLOWED, outcome: 'sender_allowed' },
      { fiscalCode: OPTED_OUT, outcome: 'sender_not_allowed' },
      { fiscalCode: UNKNOWN, outcome: 'no_profile' },
    ])
    expect(new Set(entries.map((e) => e.actorId))).toEqual(new Set([admin.id]))
    expect(JSON.stringify(entries)).not.toContain(io.key)
  })

  it('refuses what is not a fiscal code with the usual 400 body, without asking IO', async () => {
    const before = io.requests.length
    for (const fiscalCode of ['RSSMRA85T10A562', 'rssmra85t10a562s', 'RSSMRA85T10A56$S', '']) {
      const res = await api(t.app, 'POST', '/io-settings/check', adminCookie, { fiscalCode })
      expect(res.statusCode, fiscalCode).toBe(400)
      expect(res.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: expect.stringMatching(/^Richiesta non valida: body\/fiscalCode /),
          details: [{ path: '/body/fiscalCode', message: expect.any(String) }],
        },
      })
    }
    const extra = await api(t.app, 'POST', '/io-settings/check', adminCookie, {
      fiscalCode: ALLOWED,
      key: 'x',
    })
    expect(extra.statusCode).toBe(400)
    expect(extra.json().error.details).toEqual([{ path: '/body/key', message: expect.any(String) }])
    expect(io.requests.length).toBe(before)
  })

  it('says clearly when IO refuses the key, cannot be reached, or is not configured', async () => {
    const wrongKey = await apiWith({ ioApiKey: 'una-chiave-sbagliata-1234' })
    const refused = await api(wrongKey, 'POST', '/io-settings/check', adminCookie, { fiscalCode: ALLOWED })
    expect(refused.statusCode).toBe(503)
    expect(refused.json().error).toEqual({
      code: 'io_check_key_refused',
      message:
        'IO ha rifiutato la chiave del servizio (401): controlla IO_API_KEY nell’ambiente del servizio.',
    })
    const settings = (await api(wrongKey, 'GET', '/io-settings', adminCookie)).json()
    expect(settings.io.keyHint).toBe('1234')

    const gone = await startFakeIo()
    await gone.stop()
    const down = await apiWith({ ioApiUrl: gone.url, ioApiKey: gone.key })
    const unreachable = await down.inject({
      method: 'POST',
      url: '/api/v1/io-settings/check',
      headers: { cookie: adminCookie, 'accept-language': 'en' },
      payload: { fiscalCode: ALLOWED },
    })
    expect(unreachable.statusCode).toBe(503)
    expect(unreachable.json().error).toEqual({
      code: 'io_check_unreachable',
      message: `IO does not answer at ${gone.url}: try again shortly or check IO_API_URL.`,
    })

    const off = await apiWith({ ioApiKey: '' })
    const notConfigured = await api(off, 'POST', '/io-settings/check', adminCookie, { fiscalCode: ALLOWED })
    expect(notConfigured.statusCode).toBe(503)
    expect(notConfigured.json().error.code).toBe('io_not_configured')
    expect((await api(off, 'GET', '/io-settings', adminCookie)).json().io).toMatchObject({
      configured: false,
      keyHint: null,
    })

    const failures = await t.deps.db
      .selectFrom('auditLog')
      .select('after')
      .where('action', '=', 'io_profile.check')
      .where(sql<boolean>`after ? 'error'`)
      .execute()
    expect(failures.map((f) => f.after)).toEqual([
      { fiscalCode: ALLOWED, error: 'io_check_key_refused', status: 401 },
      { fiscalCode: ALLOWED, error: 'io_check_unreachable', status: 0 },
    ])
  })
})
