import { randomBytes } from 'node:crypto'
import {
  type Actor,
  caseOfMessageId,
  createDeps,
  createLogger,
  type Deps,
  fiscalCodeCheckChar,
  ingest,
  OutboxRelay,
} from '@filo/core'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { type SmtpPeer, startSmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import { startWorkers } from '../src/workers.ts'

/**
 * Citizen notifications through the real workers, against a fake IO Services API
 * that validates every request against the published spec, and an SMTP server
 * built on smtp-server: what notifies, the channel chosen and explained, retries,
 * exactly once, the digest of a burst, IO's delivery status on the timeline.
 */
let testDb: TestDb
let deps: Deps
let io: FakeIo
let smtp: SmtpPeer
let admin: Actor
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []
const SMTP_USER = { user: 'filo-notify', password: 'notify-secret' }

beforeAll(async () => {
  testDb = await createTestDb()
  io = await startFakeIo()
  smtp = await startSmtpPeer(SMTP_USER)
  deps = createDeps(
    {
      ...testDb.config,
      ioApiUrl: io.url,
      ioApiKey: io.key,
      smtpUrl: `smtp://${SMTP_USER.user}:${SMTP_USER.password}@127.0.0.1:${smtp.port}`,
      notificationDigestSeconds: 1,
      notificationRetryBaseMs: 100,
      notificationMaxAttempts: 3,
      ioStatusPollSeconds: 1,
    },
    'filo-test',
  )
  admin = await createUser(deps.db, 'admin')
})
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
  io.messageScript = []
  io.onAccepted = null
})
afterAll(async () => {
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await io.stop()
  await smtp.stop()
  await testDb.drop()
})

async function startPipeline() {
  const workers = startWorkers(deps, log, { timerSweepMs: 300, notificationGraceMs: 0 })
  running.push({ stop: () => workers.close() })
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, { pollMs: 100 })
  running.push({ stop: () => relay.stop() })
  await relay.start()
}

/** A valid codice fiscale, different each call (the check character computed). */
function fiscalCode(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const pick = () => letters[Math.floor(Math.random() * 26)]
  const digits = () => String(Math.floor(Math.random() * 10))
  const first15 = `${pick()}${pick()}${pick()}${pick()}${pick()}${pick()}${digits()}${digits()}A${digits()}1${pick()}${digits()}${digits()}${digits()}`
  return `${first15}${fiscalCodeCheckChar(first15)}`
}

async function contact(opts: {
  fiscalCode?: string
  email?: boolean
  preferredChannel?: 'email' | 'io'
  language?: 'it' | 'en'
}) {
  const email = opts.email === false ? null : `cittadino.${randomBytes(4).toString('hex')}@example.it`
  return deps.db
    .insertInto('contacts')
    .values({
      kind: 'person',
      firstName: 'Maria',
      lastName: 'Rossi',
      email,
      fiscalCode: opts.fiscalCode ?? null,
      preferredChannel: opts.preferredChannel ?? null,
      language: opts.language ?? 'it',
    })
    .returning(['id', 'email', 'fiscalCode'])
    .executeTakeFirstOrThrow()
}

const openCase = (contactId: number, subject = 'Buca in via Roma') =>
  deps.services.cases.create(admin, { subject, channel: 'phone', contactId })

async function move(caseId: number, status: string, comment?: string) {
  const current = await deps.services.cases.get(admin, caseId)
  return deps.services.cases.changeStatus(admin, caseId, {
    status: status as never,
    version: current.version,
    ...(comment ? { comment } : {}),
  })
}

const notificationsOf = (caseId: number) =>
  deps.db.selectFrom('notifications').selectAll().where('caseId', '=', caseId).orderBy('id').execute()

const eventsOf = async (caseId: number, kind: string) =>
  (await deps.services.cases.events(admin, caseId)).filter((e) => e.kind === kind)

const sentTo = (address: string) => smtp.received.filter((r) => r.to.includes(address))

async function settled(caseId: number, count = 1) {
  return waitFor(async () => {
    const rows = await notificationsOf(caseId)
    const done = rows.filter((r) => ['sent', 'failed', 'fallback', 'uncertain'].includes(r.state))
    return done.length >= count ? rows : null
  }, 15_000)
}

describe('channel choice', () => {
  it('sends "received" by IO when the profile allows it, with the number and status link, and reads the delivery status back onto the timeline', async () => {
    await startPipeline()
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf })
    const kase = await openCase(who.id)
    const [row] = await settled(kase.id)
    expect(row?.channel).toBe('io')
    expect(row?.state).toBe('sent')
    const sent = io.messages.filter((m) => m.fiscalCode === cf)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.subject).toContain(kase.number)
    const token = await deps.db
      .selectFrom('cases')
      .select('publicToken')
      .where('id', '=', kase.id)
      .executeTakeFirstOrThrow()
    expect(sent[0]?.markdown).toContain(`/stato/${token.publicToken}`)
    expect(row?.providerId).toBe(sent[0]?.id)
    expect(sentTo(who.email as string)).toHaveLength(0)
    const [queued] = await eventsOf(kase.id, 'notification_queued')
    expect(queued?.data).toMatchObject({ channel: 'io', reason: 'io_sender_allowed', senderAllowed: true })
    expect(String(queued?.data.explanation)).toMatch(/app IO/)
    // IO's status, read back later: ACCEPTED, then PROCESSED once IO has delivered it.
    await waitFor(async () => (await eventsOf(kase.id, 'notification_status')).length > 0, 10_000)
    const message = sent[0]
    if (message) message.status = 'PROCESSED'
    const statuses = await waitFor(async () => {
      const events = await eventsOf(kase.id, 'notification_status')
      return events.some((e) => e.data.status === 'PROCESSED') ? events : null
    }, 15_000)
    expect(statuses.map((e) => e.data.status)).toEqual(['ACCEPTED', 'PROCESSED'])
    expect(io.invalid).toEqual([])
  }, 40_000)

  it('falls back to email when IO has no profile, when the citizen opted out, and when IO refuses the message (403); a preference for email skips IO', async () => {
    await startPipeline()
    const noProfile = await contact({ fiscalCode: fiscalCode() })
    const optedOut = await contact({ fiscalCode: fiscalCode() })
    io.profiles.set(optedOut.fiscalCode as string, { senderAllowed: false })
    const prefersEmail = await contact({ fiscalCode: fiscalCode(), preferredChannel: 'email' })
    io.profiles.set(prefersEmail.fiscalCode as string, { senderAllowed: true })
    const noCf = await contact({})

    const cases = []
    for (const who of [noProfile, optedOut, prefersEmail, noCf]) cases.push(await openCase(who.id))
    for (const k of cases) await settled(k.id)
    const reasons = []
    for (const [i, who] of [noProfile, optedOut, prefersEmail, noCf].entries()) {
      const kase = cases[i]
      if (!kase) continue
      const rows = await notificationsOf(kase.id)
      expect(rows.map((r) => [r.channel, r.state])).toEqual([['email', 'sent']])
      const mails = sentTo(who.email as string)
      expect(mails).toHaveLength(1)
      // Our signed Message-ID: the citizen's answer threads back into the case.
      expect(caseOfMessageId(deps.config.mailSigningKey, mails[0]?.parsed.messageId ?? '')).toBe(kase.id)
      expect(mails[0]?.parsed.text).toContain(kase.number)
      const [queued] = await eventsOf(kase.id, 'notification_queued')
      reasons.push(queued?.data.reason)
    }
    expect(reasons).toEqual(['io_no_profile', 'io_sender_not_allowed', 'preference_email', 'no_fiscal_code'])
    // The preference was respected without even asking IO.
    expect(io.requests.some((r) => r.path === '/profiles' && r.fiscalCode === prefersEmail.fiscalCode)).toBe(
      false,
    )

    const refused = await contact({ fiscalCode: fiscalCode() })
    io.profiles.set(refused.fiscalCode as string, { senderAllowed: true })
    io.messageScript = [{ status: 403, fiscalCode: refused.fiscalCode as string }]
    const kase = await openCase(refused.id)
    const rows = await settled(kase.id, 2)
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['io', 'fallback'],
      ['email', 'sent'],
    ])
    expect(sentTo(refused.email as string)).toHaveLength(1)
    const queued = await eventsOf(kase.id, 'notification_queued')
    expect(queued.map((e) => e.data.reason)).toEqual(['io_sender_allowed', 'io_refused'])
    expect(io.invalid).toEqual([])
  }, 40_000)
})

describe('retries', () => {
  it('retries a 429 no sooner than its Retry-After and a 500, then sends once', async () => {
    await startPipeline()
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf })
    io.messageScript = [
      { status: 429, retryAfter: '2', fiscalCode: cf },
      { status: 500, fiscalCode: cf },
    ]
    const kase = await openCase(who.id)
    const [row] = await settled(kase.id)
    expect(row?.state).toBe('sent')
    expect(row?.attempts).toBe(3)
    const posts = io.requests.filter(
      (r) => r.method === 'POST' && r.path === '/messages' && r.fiscalCode === cf,
    )
    expect(posts).toHaveLength(3)
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(2000)
    expect(io.messages.filter((m) => m.fiscalCode === cf)).toHaveLength(1)
  }, 30_000)

  it('does not retry another 4xx: the notification fails at once, with the reason on the timeline', async () => {
    await startPipeline()
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf, email: false })
    io.messageScript = [{ status: 400, fiscalCode: cf }]
    const kase = await openCase(who.id)
    const [row] = await settled(kase.id)
    expect(row?.state).toBe('failed')
    expect(row?.attempts).toBe(1)
    const [failed] = await eventsOf(kase.id, 'notification_failed')
    expect(failed?.data.status).toBe(400)
  }, 30_000)

  it('lists a notification that failed after its last attempt for admins, and sends it on their retry', async () => {
    await startPipeline()
    const who = await contact({})
    const kase = await openCase(who.id)
    smtp.refuseWith = { code: 451, message: 'Try again later' }
    const [row] = await settled(kase.id)
    expect(row?.state).toBe('failed')
    expect(row?.attempts).toBe(3)
    const listed = await deps.services.notifications.list(admin, {
      filter: { state: 'failed' },
      sort: 'updatedAt',
      order: 'desc',
      offset: 0,
      limit: 50,
    })
    expect(listed.rows.map((r) => r.id)).toContain(row?.id)
    smtp.refuseWith = null
    await deps.services.notifications.retry(admin, row?.id as number)
    await waitFor(async () => (await notificationsOf(kase.id))[0]?.state === 'sent', 15_000)
    expect(sentTo(who.email as string)).toHaveLength(1)
    expect((await eventsOf(kase.id, 'notification_retried')).length).toBe(1)
  }, 30_000)
})

describe('exactly once', () => {
  it('one notification per case, event and channel when the digest and the send run twice', async () => {
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf })
    const kase = await openCase(who.id)
    const n = deps.services.notifications
    await new Promise((r) => setTimeout(r, 1100))
    await Promise.all([n.digest(kase.id), n.digest(kase.id)])
    await n.digest(kase.id)
    const rows = await notificationsOf(kase.id)
    expect(rows).toHaveLength(1)
    const id = rows[0]?.id as number
    const outcomes = await Promise.all([n.send(id), n.send(id)])
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1)
    expect(await n.send(id)).toBe('already_done')
    expect(io.messages.filter((m) => m.fiscalCode === cf)).toHaveLength(1)
    // The workers, started now, run the same outbox jobs again: nothing more leaves.
    await startPipeline()
    await new Promise((r) => setTimeout(r, 2000))
    expect(io.messages.filter((m) => m.fiscalCode === cf)).toHaveLength(1)
    expect(await notificationsOf(kase.id)).toHaveLength(1)
  }, 30_000)

  it('a worker killed after IO accepted the message never sends it again: the next run marks it uncertain', async () => {
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf })
    const kase = await openCase(who.id)
    const n = deps.services.notifications
    await new Promise((r) => setTimeout(r, 1100))
    await n.digest(kase.id)
    const [row] = await notificationsOf(kase.id)
    await expect(
      n.send(row?.id as number, {
        afterAccepted: async () => {
          throw new Error('worker killed')
        },
      }),
    ).rejects.toThrow('worker killed')
    expect(io.messages.filter((m) => m.fiscalCode === cf)).toHaveLength(1)
    expect((await notificationsOf(kase.id))[0]?.state).toBe('sending')
    expect(await n.send(row?.id as number)).toBe('uncertain')
    await startPipeline()
    await new Promise((r) => setTimeout(r, 2000))
    expect(io.messages.filter((m) => m.fiscalCode === cf)).toHaveLength(1)
    expect((await eventsOf(kase.id, 'notification_uncertain')).length).toBe(1)
    const failedList = await n.list(admin, {
      filter: { state: 'uncertain' },
      sort: 'id',
      order: 'asc',
      offset: 0,
      limit: 50,
    })
    expect(failedList.rows.map((r) => r.id)).toContain(row?.id)
  }, 30_000)
})

describe('no spam', () => {
  it('a burst of 5 changes within the window sends one message that sums them up', async () => {
    await startPipeline()
    const who = await contact({})
    const kase = await openCase(who.id, 'Lampione spento')
    await move(kase.id, 'open')
    await move(kase.id, 'in_progress')
    await move(kase.id, 'waiting_citizen', 'Ci mandi una foto?')
    await move(kase.id, 'in_progress')
    await move(kase.id, 'resolved', 'Il lampione è stato riparato.')
    const rows = await settled(kase.id)
    await new Promise((r) => setTimeout(r, 2500))
    expect(await notificationsOf(kase.id)).toHaveLength(1)
    expect(rows[0]?.triggers).toEqual(['received', 'taken_in_charge', 'waiting_citizen', 'resolved'])
    const mails = sentTo(who.email as string)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.parsed.subject).toBe(`Aggiornamenti sulla tua richiesta ${kase.number}`)
    expect(mails[0]?.parsed.text).toContain('Il lampione è stato riparato.')
    expect(mails[0]?.parsed.text).toContain('Presa in carico')
    expect(mails[0]?.parsed.text).toContain('Risolta')
  }, 30_000)

  it('a category set to notify only resolutions stays silent on the rest, and says so on the timeline', async () => {
    await startPipeline()
    const category = await deps.db
      .insertInto('categories')
      .values({ code: `cat-${randomBytes(3).toString('hex')}`, nameIt: 'Verde', nameEn: 'Parks' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await deps.services.notifications.updateCategorySetting(admin, category.id, { triggers: ['resolved'] })
    const who = await contact({})
    const kase = await deps.services.cases.create(admin, {
      subject: 'Ramo caduto',
      channel: 'phone',
      contactId: who.id,
      categoryId: category.id,
    })
    const [skipped] = await waitFor(async () => {
      const e = await eventsOf(kase.id, 'notification_skipped')
      return e.length ? e : null
    }, 10_000)
    expect(skipped?.data.reason).toBe('category_off')
    await move(kase.id, 'resolved', 'Rimosso.')
    await settled(kase.id)
    const mails = sentTo(who.email as string)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.parsed.subject).toBe(`La tua richiesta ${kase.number} è stata risolta`)
  }, 30_000)
})

describe('replies and auto-replies', () => {
  it('a staff reply to a citizen reachable only on IO goes to IO, with the reply in it', async () => {
    await startPipeline()
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const who = await contact({ fiscalCode: cf, email: false })
    const kase = await openCase(who.id)
    await settled(kase.id)
    const routed = await deps.services.notifications.replyByNotification(admin, kase.id, {
      text: 'Interverremo lunedì 3 marzo con una squadra.',
    })
    expect(routed).toMatchObject({ caseId: kase.id, via: 'notification', state: 'queued' })
    const rows = await settled(kase.id, 2)
    expect(rows.map((r) => [r.channel, r.triggers, r.state])).toEqual([
      ['io', ['received'], 'sent'],
      ['io', ['reply'], 'sent'],
    ])
    const sent = io.messages.filter((m) => m.fiscalCode === cf)
    expect(sent).toHaveLength(2)
    expect(sent[1]?.markdown).toContain('Interverremo lunedì 3 marzo con una squadra.')
    expect(sent[1]?.subject).toBe(`Risposta alla tua richiesta ${kase.number}`)
  }, 30_000)

  it('never answers an auto-reply: it neither reopens the case nor notifies', async () => {
    await startPipeline()
    const email = `cittadino.${randomBytes(4).toString('hex')}@example.it`
    const threadKey = `web-${randomBytes(4).toString('hex')}`
    const base = { channel: 'web' as const, threadKey, sender: { email, name: 'Anna Verdi' } }
    const opened = await ingest(
      deps.db,
      {
        ...base,
        externalId: `${threadKey}-1`,
        subject: 'Rifiuti abbandonati',
        text: 'In via Roma.',
        receivedAt: new Date().toISOString(),
      },
      { caseNumberPrefix: deps.config.caseNumberPrefix },
    )
    await settled(opened.caseId)
    await move(opened.caseId, 'resolved', 'Rimossi.')
    await settled(opened.caseId, 2)
    await ingest(
      deps.db,
      {
        ...base,
        externalId: `${threadKey}-2`,
        subject: 'Risposta automatica: fuori ufficio',
        text: 'Sono fuori ufficio fino a lunedì.',
        receivedAt: new Date().toISOString(),
        autoReply: true,
      },
      { caseNumberPrefix: deps.config.caseNumberPrefix },
    )
    await new Promise((r) => setTimeout(r, 2500))
    expect((await deps.services.cases.get(admin, opened.caseId)).status).toBe('resolved')
    expect(await notificationsOf(opened.caseId)).toHaveLength(2)
    expect(sentTo(email)).toHaveLength(2)
  }, 30_000)
})

describe('Redis is disposable', () => {
  it('a digest whose delayed job was lost with Redis still goes out, from PostgreSQL', async () => {
    await startPipeline()
    const who = await contact({})
    const kase = await openCase(who.id)
    // notification.schedule done: the digest now waits as a delayed job in Redis only…
    await waitFor(async () => {
      const row = await deps.db
        .selectFrom('outbox')
        .select('processedAt')
        .where('jobName', '=', 'notification.schedule')
        .where(sql<boolean>`(payload->>'caseId')::bigint = ${kase.id}`)
        .executeTakeFirst()
      return row?.processedAt
    })
    for (const r of running.splice(0).reverse()) await r.stop()
    expect(await notificationsOf(kase.id)).toHaveLength(0)
    // …and Redis loses everything before it fires.
    await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
    await startPipeline()
    await settled(kase.id)
    expect(sentTo(who.email as string)).toHaveLength(1)
  }, 30_000)
})
