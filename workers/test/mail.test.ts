import { randomBytes } from 'node:crypto'
import {
  type Actor,
  createDeps,
  createLogger,
  type Deps,
  MAIL_POLL_JOB,
  mailPollSchedulerId,
  OutboxRelay,
  sendOutbound,
} from '@filo/core'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { corpusMessage } from '../../core/test/mail/corpus.ts'
import { type Dovecot, startDovecot } from '../../core/test/mail/dovecot.ts'
import { type SmtpPeer, startSmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import { startMailPolling } from '../src/mail-polling.ts'
import { startWorkers } from '../src/workers.ts'

/**
 * The email channel through the real workers: the repeatable poll job reads
 * Dovecot, the outbox relay carries mail.send to its handler, which sends through
 * an SMTP server built on smtp-server; the citizen's answer comes back threaded.
 */
let testDb: TestDb
let deps: Deps
let dovecot: Dovecot
let smtp: SmtpPeer
let admin: Actor
let operator: Actor
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []
const SMTP_USER = { user: 'filo-smtp', password: 'smtp-secret' }
const URP = { user: `urp-${randomBytes(3).toString('hex')}@comune.prato.test`, password: 'urp-secret' }
const UFFICIO = {
  user: `ufficio-${randomBytes(3).toString('hex')}@comune.prato.test`,
  password: 'uff-secret',
}

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps(testDb.config, 'filo-test')
  dovecot = await startDovecot([URP, UFFICIO])
  smtp = await startSmtpPeer(SMTP_USER)
  admin = await createUser(deps.db, 'admin')
  operator = await createUser(deps.db, 'operator')
})
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
  smtp.refuseWith = null
})
afterAll(async () => {
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await smtp.stop()
  await dovecot.stop()
  await testDb.drop()
})

function startPipeline() {
  const workers = startWorkers(deps, log)
  running.push({ stop: () => workers.close() })
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, { pollMs: 100 })
  running.push({ stop: () => relay.stop() })
  return relay.start()
}

function startPolling() {
  const polling = startMailPolling(deps, log, { syncMs: 200 })
  running.push({ stop: () => polling.close() })
  return polling
}

const createMailbox = (who: { user: string; password: string }, name: string) =>
  deps.services.mailboxes.create(admin, {
    name,
    address: who.user,
    imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: who.user, password: who.password },
    smtp: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: SMTP_USER.user,
      password: SMTP_USER.password,
    },
    pollIntervalSeconds: 10,
  })

const messageByExternalId = (externalId: string) =>
  deps.db.selectFrom('caseMessages').selectAll().where('externalId', '=', externalId).executeTakeFirst()

const outboundState = (id: number) =>
  deps.db
    .selectFrom('mailOutbound')
    .select(['state', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

const receivedWith = (messageId: string) => smtp.received.filter((r) => r.parsed.messageId === messageId)

describe('email channel in the workers', () => {
  it('polls a mailbox by its repeatable job, sends a reply that arrives with the right headers, and threads the answer', async () => {
    await startPipeline()
    const box = await createMailbox(URP, 'URP')
    const polling = startPolling()
    const citizen = `mario.rossi.${randomBytes(3).toString('hex')}@example.it`
    await dovecot.deliver(
      URP.user,
      Buffer.from(
        corpusMessage('gmail-new.eml', { FROM: citizen }).toString().replace('Lampione01', 'Lampione77'),
      ),
    )
    const firstId = '<CAF3xk9Q2b7m=Lampione77@mail.gmail.com>'
    const original = await waitFor(() => messageByExternalId(firstId), 15_000)
    const schedulers = await polling.queue.getJobSchedulers()
    expect(schedulers.map((s) => s.key)).toContain(mailPollSchedulerId(box.id))
    const kase = await deps.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', original.caseId)
      .executeTakeFirstOrThrow()

    const reply = await deps.services.replies.create(operator, kase.id, {
      text: 'Gentile Niccolò, il lampione sarà riparato entro venerdì.',
      html: '<p>Gentile Niccolò, il lampione sarà riparato <b>entro venerdì</b>.</p>',
    })
    const [arrived] = await waitFor(async () => {
      const got = receivedWith(reply.messageId)
      return got.length ? got : null
    })
    expect(arrived?.from).toBe(URP.user)
    expect(arrived?.to).toEqual([citizen])
    const mail = arrived?.parsed
    expect(mail?.messageId).toMatch(new RegExp(`^<filo\\.c${kase.id}\\.`))
    expect(mail?.inReplyTo).toBe(firstId)
    expect(mail?.references).toBe(firstId)
    expect(mail?.subject).toBe(
      `Re: Lampione spento in via Ser Lapo Mazzei — là davanti al civico 9 [${kase.number}]`,
    )
    expect(mail?.from?.value[0]).toEqual({ address: URP.user, name: 'URP' })
    expect(mail?.text).toContain('il lampione sarà riparato entro venerdì')
    expect(mail?.html).toContain('<b>entro venerdì</b>')
    expect(mail?.headers.get('x-filo-case')).toBe(kase.number)
    await waitFor(async () => (await outboundState(reply.id)).state === 'sent')
    const sentEvents = await waitFor(async () => {
      const events = await deps.db
        .selectFrom('caseEvents')
        .select('kind')
        .where('caseId', '=', kase.id)
        .where('kind', 'in', ['reply_queued', 'reply_sent'])
        .orderBy('id')
        .execute()
      return events.length === 2 ? events : null
    })
    expect(sentEvents.map((e) => e.kind)).toEqual(['reply_queued', 'reply_sent'])

    // The citizen answers from Gmail: the reply names only our Message-ID.
    const answerId = `<answer-${randomBytes(4).toString('hex')}@mail.gmail.com>`
    await dovecot.deliver(
      URP.user,
      corpusMessage('gmail-reply.eml', {
        FROM: citizen,
        MESSAGE_ID: answerId,
        IN_REPLY_TO: mail?.messageId ?? '',
        REFERENCES: `${firstId} ${mail?.messageId}`,
        SUBJECT: mail?.subject ?? '',
      }),
    )
    // The next repetition would find it; an extra run of the same job gets there sooner.
    await polling.queue.add(MAIL_POLL_JOB, { mailboxId: box.id })
    const answer = await waitFor(() => messageByExternalId(answerId), 15_000)
    expect(answer.caseId).toBe(kase.id)
    expect(answer.bodyText).toContain('stasera il lampione è di nuovo spento')
    // Sent exactly once, whatever the polls.
    expect(receivedWith(reply.messageId)).toHaveLength(1)
  })

  it('never sends a reply twice when the worker died after the SMTP server accepted it', async () => {
    const box = await createMailbox(UFFICIO, 'Ufficio')
    const created = await deps.services.cases.create(operator, { subject: 'Tassa rifiuti', channel: 'phone' })
    const reply = await deps.services.replies.create(operator, created.id, {
      text: 'Le confermiamo il rimborso.',
      mailboxId: box.id,
      to: 'giovanna@example.it',
    })
    // The worker sends, the server says 250 OK, and the process dies before it writes that down.
    await expect(
      deps.db.transaction().execute((trx) =>
        sendOutbound(deps.db, trx, deps.config, reply.id, {
          afterAccepted: async () => {
            throw new Error('killed')
          },
        }),
      ),
    ).rejects.toThrow('killed')
    expect(receivedWith(reply.messageId)).toHaveLength(1)
    expect((await outboundState(reply.id)).state).toBe('sending')

    // The outbox row is still pending: the relay delivers the job again, and the handler reconciles.
    await startPipeline()
    await waitFor(async () => (await outboundState(reply.id)).state === 'uncertain')
    const outbox = await waitFor(() =>
      deps.db
        .selectFrom('outbox')
        .select('processedAt')
        .where('jobName', '=', 'mail.send')
        .where('processedAt', 'is not', null)
        .where(sql<boolean>`payload->>'outboundId' = ${String(reply.id)}`)
        .executeTakeFirst(),
    )
    expect(outbox.processedAt).not.toBeNull()
    expect(receivedWith(reply.messageId)).toHaveLength(1)
    const events = await deps.db
      .selectFrom('caseEvents')
      .select(['kind', 'data'])
      .where('caseId', '=', created.id)
      .where('kind', '=', 'reply_delivery_uncertain')
      .execute()
    expect(events).toEqual([
      { kind: 'reply_delivery_uncertain', data: expect.objectContaining({ outboundId: reply.id }) },
    ])
  })

  it('reconciles a reply left half-sent with the copy the provider filed in Sent: sent, and still once', async () => {
    const box = await createMailbox(UFFICIO, 'Ufficio tributi')
    const created = await deps.services.cases.create(operator, { subject: 'IMU', channel: 'phone' })
    const reply = await deps.services.replies.create(operator, created.id, {
      text: 'La rata è stata registrata.',
      mailboxId: box.id,
      to: 'paolo@example.it',
    })
    await expect(
      deps.db.transaction().execute((trx) =>
        sendOutbound(deps.db, trx, deps.config, reply.id, {
          afterAccepted: async () => {
            throw new Error('killed')
          },
        }),
      ),
    ).rejects.toThrow('killed')
    // The provider keeps a copy of what its SMTP server accepted.
    const [accepted] = receivedWith(reply.messageId)
    await dovecot.deliver(UFFICIO.user, accepted?.raw ?? Buffer.alloc(0), 'Sent')
    await startPipeline()
    await waitFor(async () => (await outboundState(reply.id)).state === 'sent')
    const [event] = await waitFor(async () => {
      const events = await deps.db
        .selectFrom('caseEvents')
        .select(['kind', 'data'])
        .where('caseId', '=', created.id)
        .where('kind', 'in', ['reply_sent', 'reply_delivery_uncertain'])
        .execute()
      return events.length ? events : null
    })
    expect(event).toEqual({
      kind: 'reply_sent',
      data: expect.objectContaining({ outboundId: reply.id, reconciled: true }),
    })
    expect(receivedWith(reply.messageId)).toHaveLength(1)
  })

  it('records a reply the SMTP server refuses as failed, on the timeline, without retrying it', async () => {
    await startPipeline()
    const box = await createMailbox(UFFICIO, 'Ufficio rifiuti')
    const created = await deps.services.cases.create(operator, {
      subject: 'Passo carrabile',
      channel: 'phone',
    })
    smtp.refuseWith = { code: 550, message: 'Mailbox unavailable' }
    const reply = await deps.services.replies.create(operator, created.id, {
      text: 'Buongiorno.',
      mailboxId: box.id,
      to: 'nessuno@example.it',
    })
    await waitFor(async () => (await outboundState(reply.id)).state === 'failed')
    expect(await outboundState(reply.id)).toEqual({ state: 'failed', attempts: 1 })
    const [event] = await waitFor(async () => {
      const events = await deps.db
        .selectFrom('caseEvents')
        .select('data')
        .where('caseId', '=', created.id)
        .where('kind', '=', 'reply_failed')
        .execute()
      return events.length ? events : null
    })
    expect(event?.data).toMatchObject({ outboundId: reply.id, error: expect.stringContaining('550') })
  })

  it('keeps one poll schedule per enabled mailbox and drops a disabled one', async () => {
    const box = await createMailbox(UFFICIO, 'Da disattivare')
    const polling = startPolling()
    await polling.sync()
    expect((await polling.queue.getJobSchedulers()).map((s) => s.key)).toContain(mailPollSchedulerId(box.id))
    await deps.services.mailboxes.update(admin, box.id, { enabled: false, version: box.version })
    await polling.sync()
    expect((await polling.queue.getJobSchedulers()).map((s) => s.key)).not.toContain(
      mailPollSchedulerId(box.id),
    )
  })
})
