import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalDiskStorage } from '../src/attachments/storage.ts'
import { createCaseService } from '../src/cases/case.service.ts'
import type { MailChannelContext } from '../src/channels/email/mail.inbound.ts'
import { pollMailbox } from '../src/channels/email/mail.poll.ts'
import { createReplyService, sendOutbound } from '../src/channels/email/mail.send.ts'
import { signedMessageId } from '../src/channels/email/mail.sign.ts'
import { createMailboxService } from '../src/channels/email/mailbox.service.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import type { Actor } from '../src/iam/iam.schemas.ts'
import { createUser } from './fixtures.ts'
import { corpusMessage, uniqueMessageId } from './mail/corpus.ts'
import { type Dovecot, startDovecot } from './mail/dovecot.ts'
import { type SmtpPeer, startSmtpPeer } from './mail/smtp-peer.ts'

/**
 * The email and PEC channel against real peers: Dovecot (IMAP) and an SMTP server
 * on smtp-server, with the real database. Each test has mailboxes of its own.
 */
let testDb: TestDb
let dovecot: Dovecot
let smtp: SmtpPeer
let admin: Actor
let operator: Actor
let blobsDir: string
let ctx: MailChannelContext
const SMTP_USER = { user: 'filo-smtp', password: 'smtp-secret' }
const users: { user: string; password: string }[] = []
const userFor = (label: string) => {
  const u = { user: `${label}-${randomBytes(3).toString('hex')}@comune.prato.test`, password: `pw-${label}` }
  users.push(u)
  return u
}
// Declared up front: Dovecot reads its users when it starts.
const MAILBOX_USERS = Object.fromEntries(
  [
    'once',
    'twin',
    'crash',
    'validity',
    'good',
    'move',
    'keys',
    'auto',
    'bounce',
    'pec',
    'receipts',
    'big',
    'storm',
    'closed',
    'followup',
  ].map((l) => [l, userFor(l)]),
)

beforeAll(async () => {
  testDb = await createTestDb()
  dovecot = await startDovecot(users)
  smtp = await startSmtpPeer(SMTP_USER)
  admin = await createUser(testDb.db, 'admin')
  operator = await createUser(testDb.db, 'operator')
  blobsDir = mkdtempSync(path.join(os.tmpdir(), 'filo-mail-blobs-'))
  ctx = {
    db: testDb.db,
    storage: new LocalDiskStorage(blobsDir),
    config: { ...testDb.config, mailSenderMaxPerHour: 1000, closedCasePolicy: 'reopen' },
  }
})
afterAll(async () => {
  await smtp?.stop()
  await dovecot?.stop()
  await testDb?.drop()
  if (blobsDir) rmSync(blobsDir, { recursive: true, force: true })
})

async function mailbox(
  label: string,
  extra: { isPec?: boolean; afterImport?: 'flag' | 'move'; password?: string; folder?: string } = {},
) {
  const u = MAILBOX_USERS[label]
  if (!u) throw new Error(label)
  const service = createMailboxService(testDb.db, { credentialsKey: testDb.config.mailCredentialsKey })
  return service.create(admin, {
    name: `Casella ${label} ${randomBytes(2).toString('hex')}`,
    address: u.user,
    isPec: extra.isPec ?? false,
    imap: {
      host: '127.0.0.1',
      port: dovecot.port,
      security: 'none',
      user: u.user,
      password: extra.password ?? u.password,
    },
    ...(extra.folder ? { folder: extra.folder } : {}),
    ...(extra.afterImport === 'move' ? { afterImport: 'move' as const, moveTo: 'Archivio' } : {}),
    smtp: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: SMTP_USER.user,
      password: SMTP_USER.password,
    },
  })
}

const deliver = (label: string, raw: Buffer) => dovecot.deliver(MAILBOX_USERS[label]?.user ?? '', raw)

const poll = (mailboxId: number, opts: Parameters<typeof pollMailbox>[2] = {}) =>
  pollMailbox(ctx, mailboxId, opts).then((r) => {
    if (r.status === 'failed') throw new Error(r.error)
    return r
  })

const messagesWithId = (externalId: string) =>
  testDb.db.selectFrom('caseMessages').selectAll().where('externalId', '=', externalId).execute()

const caseOf = (id: number) =>
  testDb.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const eventsOf = (caseId: number, kind: string) =>
  testDb.db
    .selectFrom('caseEvents')
    .selectAll()
    .where('caseId', '=', caseId)
    .where('kind', '=', kind)
    .execute()

function simple(
  from: string,
  subject: string,
  extra: { messageId?: string; inReplyTo?: string; body?: string } = {},
) {
  const id = extra.messageId ?? uniqueMessageId()
  return {
    id,
    raw: Buffer.from(
      [
        `From: ${from}`,
        'To: urp@comune.prato.test',
        `Subject: ${subject}`,
        'Date: Mon, 9 Mar 2026 10:00:00 +0100',
        `Message-ID: ${id}`,
        ...(extra.inReplyTo ? [`In-Reply-To: ${extra.inReplyTo}`, `References: ${extra.inReplyTo}`] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        extra.body ?? `Testo del messaggio ${id}.`,
        '',
      ].join('\r\n'),
    ),
  }
}

const citizen = () => `cittadino-${randomBytes(3).toString('hex')}@example.it`

describe('polling: each message imported exactly once', () => {
  it('imports new messages once, whatever the polls and restarts', async () => {
    const box = await mailbox('once')
    const sent = [
      simple(citizen(), 'Buca in via Roma'),
      simple(citizen(), 'Rami caduti'),
      simple(citizen(), 'Rifiuti'),
    ]
    for (const m of sent) await deliver('once', m.raw)
    const first = await poll(box.id)
    expect(first.status === 'ok' && first.handled.map((h) => h.outcome)).toEqual([
      'created',
      'created',
      'created',
    ])
    // A later poll, and a "restarted" poller with a fresh context, find nothing new.
    const again = await poll(box.id)
    expect(again.status === 'ok' && again.handled).toEqual([])
    const restarted = await pollMailbox({ ...ctx, storage: new LocalDiskStorage(blobsDir) }, box.id)
    expect(restarted.status === 'ok' && restarted.handled).toEqual([])
    for (const m of sent) expect(await messagesWithId(m.id)).toHaveLength(1)
    const row = await testDb.db
      .selectFrom('mailboxes')
      .selectAll()
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow()
    expect(row.lastUid).toBe(3)
    expect(row.lastError).toBeNull()
    // Imported messages are flagged \Seen (the default after-import action).
    const client = await dovecot.client(MAILBOX_USERS.once?.user ?? '')
    try {
      await client.mailboxOpen('INBOX')
      expect(await client.search({ seen: false }, { uid: true })).toEqual([])
    } finally {
      await client.logout()
    }
  })

  it('imports once with two pollers running at the same time', async () => {
    const box = await mailbox('twin')
    const sent = Array.from({ length: 6 }, (_, i) => simple(citizen(), `Segnalazione ${i}`))
    for (const m of sent) await deliver('twin', m.raw)
    const [a, b] = await Promise.all([poll(box.id), poll(box.id)])
    expect(a.status).toBe('ok')
    expect(b.status).toBe('ok')
    for (const m of sent) expect(await messagesWithId(m.id)).toHaveLength(1)
    const imports = await testDb.db
      .selectFrom('mailImports')
      .selectAll()
      .where('mailboxId', '=', box.id)
      .execute()
    expect(imports).toHaveLength(6)
    const cases = new Set(
      (await Promise.all(sent.map((m) => messagesWithId(m.id)))).flat().map((m) => m.caseId),
    )
    expect(cases.size).toBe(6)
  })

  it('imports once after a crash between storing a message and recording it', async () => {
    const box = await mailbox('crash')
    const sent = [simple(citizen(), 'Uno'), simple(citizen(), 'Due'), simple(citizen(), 'Tre')]
    for (const m of sent) await deliver('crash', m.raw)
    let calls = 0
    const crashed = await pollMailbox(ctx, box.id, {
      afterImport: async () => {
        if (++calls === 2) throw new Error('worker killed')
      },
    })
    expect(crashed).toMatchObject({ status: 'failed', error: expect.stringContaining('worker killed') })
    // The second message reached its case, but the poll never recorded it: the next poll meets it again.
    expect(await messagesWithId(sent[1]?.id ?? '')).toHaveLength(1)
    expect(await messagesWithId(sent[2]?.id ?? '')).toHaveLength(0)
    const resumed = await poll(box.id, { ignoreBackoff: true })
    expect(resumed.status === 'ok' && resumed.handled.map((h) => h.outcome)).toEqual(['duplicate', 'created'])
    for (const m of sent) expect(await messagesWithId(m.id)).toHaveLength(1)
  })

  it('walks the folder again after a UIDVALIDITY change without importing anything twice', async () => {
    const user = MAILBOX_USERS.validity?.user ?? ''
    const admin = await dovecot.client(user)
    await admin.mailboxCreate('Segnalazioni')
    const box = await mailbox('validity', { folder: 'Segnalazioni' })
    const m = simple(citizen(), 'Lampione')
    await dovecot.deliver(user, m.raw, 'Segnalazioni')
    const first = await poll(box.id)
    const before = first.status === 'ok' ? first.uidValidity : 0
    // The server rebuilds the folder: same old message, a new one, and every UID means something new.
    await admin.mailboxDelete('Segnalazioni')
    await admin.mailboxCreate('Segnalazioni')
    await admin.logout()
    const fresh = simple(citizen(), 'Semaforo')
    await dovecot.deliver(user, m.raw, 'Segnalazioni')
    await dovecot.deliver(user, fresh.raw, 'Segnalazioni')
    const again = await poll(box.id)
    expect(again.status === 'ok' && again.uidValidity).not.toBe(before)
    expect(again.status === 'ok' && again.handled.map((h) => h.outcome)).toEqual(['duplicate', 'created'])
    expect(await messagesWithId(m.id)).toHaveLength(1)
    expect(await messagesWithId(fresh.id)).toHaveLength(1)
  })

  it('records a failing mailbox’s error and backs it off, while the others go on', async () => {
    const bad = await mailbox('good', { password: 'wrong-password' })
    const good = await mailbox('good')
    const m = simple(citizen(), 'Marciapiede rotto')
    await deliver('good', m.raw)
    const failed = await pollMailbox(ctx, bad.id)
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/authentication/i) })
    const row = await testDb.db
      .selectFrom('mailboxes')
      .selectAll()
      .where('id', '=', bad.id)
      .executeTakeFirstOrThrow()
    expect(row.lastError).toMatch(/authentication/i)
    expect(row.consecutiveFailures).toBe(1)
    expect(row.nextPollAt?.getTime()).toBeGreaterThan(Date.now() + 30_000)
    expect(await pollMailbox(ctx, bad.id)).toEqual({ status: 'skipped', reason: 'backing_off' })
    const ok = await poll(good.id)
    expect(ok.status === 'ok' && ok.handled.map((h) => h.outcome)).toEqual(['created'])
  })

  it('moves imported messages when the mailbox says so', async () => {
    const box = await mailbox('move', { afterImport: 'move' })
    await deliver('move', simple(citizen(), 'Da archiviare').raw)
    await poll(box.id)
    const client = await dovecot.client(MAILBOX_USERS.move?.user ?? '')
    try {
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 0 })
      expect(await client.status('Archivio', { messages: true })).toMatchObject({ messages: 1 })
    } finally {
      await client.logout()
    }
  })
})

describe('threading', () => {
  it('threads replies by signed Message-ID, by In-Reply-To/References, and by case number from the contact only', async () => {
    const box = await mailbox('keys')
    const from = citizen()
    const first = corpusMessage('gmail-new.eml', { FROM: from })
    await deliver('keys', first)
    const created = await poll(box.id)
    expect(created.status === 'ok' && created.handled[0]?.outcome).toBe('created')
    const [original] = await messagesWithId('<CAF3xk9Q2b7m=Lampione01@mail.gmail.com>')
    const caseId = original?.caseId ?? 0
    const kase = await caseOf(caseId)
    expect(kase.subject).toBe('Lampione spento in via Ser Lapo Mazzei — là davanti al civico 9')
    expect(original?.attachments).toEqual([
      expect.objectContaining({
        filename: 'foto.png',
        contentType: 'image/png',
        ref: expect.stringMatching(/^sha256:[0-9a-f]{64}#cid=ii_foto01$/),
      }),
      expect.objectContaining({
        filename: 'segnalazione n°1.pdf',
        ref: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      }),
    ])
    expect(original?.bodyHtml).not.toContain('tracker.example')

    // 1. Our own signed Message-ID, with nothing stored under it (the reply's thread broke elsewhere).
    const ours = signedMessageId(testDb.config.mailSigningKey, caseId, 'comune.prato.test')
    await deliver(
      'keys',
      corpusMessage('gmail-reply.eml', {
        FROM: citizen(),
        IN_REPLY_TO: ours,
        REFERENCES: ours,
        SUBJECT: 'altro',
      }),
    )
    // 2. In-Reply-To naming the citizen's first message (Outlook, Windows-1252).
    await deliver(
      'keys',
      corpusMessage('outlook-reply.eml', {
        FROM: from,
        IN_REPLY_TO: '<CAF3xk9Q2b7m=Lampione01@mail.gmail.com>',
        REFERENCES: '<CAF3xk9Q2b7m=Lampione01@mail.gmail.com>',
        SUBJECT: 'Lampione',
      }),
    )
    // 3. The case number in the subject, from the case's contact.
    await deliver('keys', corpusMessage('subject-number.eml', { FROM: from, CASE_NUMBER: kase.number }))
    // A stranger typing the same number, and a forged signature, get cases of their own.
    await deliver('keys', corpusMessage('subject-number.eml', { FROM: citizen(), CASE_NUMBER: kase.number }))
    const forged = ours.replace(/\.[0-9a-f]{24}@/, '.000000000000000000000000@')
    await deliver(
      'keys',
      corpusMessage('gmail-reply.eml', {
        FROM: citizen(),
        IN_REPLY_TO: forged,
        REFERENCES: forged,
        SUBJECT: 'x',
      }),
    )

    const result = await poll(box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual([
      'threaded',
      'threaded',
      'threaded',
      'created',
      'created',
    ])
    const notes = await testDb.db
      .selectFrom('mailImports')
      .select(['uid', 'outcome', 'note', 'caseId'])
      .where('mailboxId', '=', box.id)
      .orderBy('uid')
      .execute()
    expect(notes.slice(1).map((n) => n.note)).toEqual([
      'threaded by signed_message_id',
      'threaded by references',
      'threaded by subject_case_number',
      null,
      null,
    ])
    expect(notes.slice(1, 4).every((n) => n.caseId === caseId)).toBe(true)
    expect(notes.slice(4).every((n) => n.caseId !== caseId)).toBe(true)

    // Replies onto the case show only the new text; the forged reply, a case of its own, keeps its quote.
    const bodies = await testDb.db
      .selectFrom('mailImports as i')
      .innerJoin('caseMessages as m', 'm.id', 'i.caseMessageId')
      .select(['m.bodyText', 'm.bodyHtml', 'm.rawRef'])
      .where('i.mailboxId', '=', box.id)
      .orderBy('i.uid')
      .execute()
    expect(bodies[1]?.bodyText).toBe('Grazie, stasera il lampione è di nuovo spento.')
    expect(bodies[1]?.bodyHtml).toContain('<blockquote>Gentile cittadino')
    expect(bodies[1]?.rawRef).toMatch(/^sha256:/)
    expect(bodies[2]?.bodyText).toBe(
      'Buongiorno, ho pagato 120 € ma risulta ancora il sollecito “TARI 2025”. Perché?\n\nMaria Rossi',
    )
    expect(bodies[5]?.bodyText).toContain('Comune di Prato <urp@comune.prato.test> ha scritto:')
  })

  it('lands a reply to a merged case in its target, and reopens a resolved case', async () => {
    const box = await mailbox('closed')
    const cases = createCaseService(testDb.db, testDb.config)
    const from = citizen()
    const a = simple(from, 'Perdita d’acqua')
    await deliver('closed', a.raw)
    await poll(box.id)
    const [stored] = await messagesWithId(a.id)
    const duplicate = stored?.caseId ?? 0
    const target = await cases.create(operator, { subject: 'Perdita d’acqua (principale)', channel: 'phone' })
    await cases.merge(operator, duplicate, {
      targetId: target.id,
      version: (await caseOf(duplicate)).version,
    })
    await testDb.db
      .updateTable('cases')
      .set({ status: 'resolved', resolvedAt: sql`now()` })
      .where('id', '=', target.id)
      .execute()

    const reply = simple(from, 'Re: Perdita d’acqua', { inReplyTo: a.id })
    await deliver('closed', reply.raw)
    await poll(box.id)
    const [threaded] = await messagesWithId(reply.id)
    expect(threaded?.caseId).toBe(target.id)
    expect((await caseOf(target.id)).status).toBe('open')
  })
})

describe('closed cases', () => {
  it('opens a linked follow-up for a reply to a closed case when the policy says so', async () => {
    const box = await mailbox('followup')
    const followUps = { ...ctx, config: { ...ctx.config, closedCasePolicy: 'follow_up' as const } }
    const from = citizen()
    const first = simple(from, 'Albero pericolante')
    await deliver('followup', first.raw)
    await pollMailbox(followUps, box.id)
    const closedId = (await messagesWithId(first.id))[0]?.caseId ?? 0
    await testDb.db
      .updateTable('cases')
      .set({ status: 'closed', closedAt: sql`now()`, resolvedAt: sql`now()` })
      .where('id', '=', closedId)
      .execute()
    const reply = simple(from, 'Re: Albero pericolante', { inReplyTo: first.id })
    await deliver('followup', reply.raw)
    const result = await pollMailbox(followUps, box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual(['follow_up'])
    const [stored] = await messagesWithId(reply.id)
    expect(stored?.caseId).not.toBe(closedId)
    expect((await caseOf(closedId)).status).toBe('closed')
    const link = await testDb.db
      .selectFrom('caseLinks')
      .selectAll()
      .where('fromCaseId', '=', closedId)
      .where('toCaseId', '=', stored?.caseId ?? 0)
      .executeTakeFirst()
    expect(link?.kind).toBe('related')
  })
})

describe('loops and noise', () => {
  it('records automatic replies on their case without reopening it, and ignores those about nothing', async () => {
    const box = await mailbox('auto')
    const from = citizen()
    const first = simple(from, 'Verde pubblico')
    await deliver('auto', first.raw)
    await poll(box.id)
    const caseId = (await messagesWithId(first.id))[0]?.caseId ?? 0
    await testDb.db
      .updateTable('cases')
      .set({ status: 'resolved', resolvedAt: sql`now()` })
      .where('id', '=', caseId)
      .execute()
    const kinds = [
      'autoreply-auto-submitted.eml',
      'autoreply-x-autoreply.eml',
      'autoreply-x-autorespond.eml',
      'autoreply-precedence-bulk.eml',
      'autoreply-vacation-subject.eml',
    ]
    for (const name of kinds) {
      await deliver(
        'auto',
        corpusMessage(name, {
          FROM: from,
          IN_REPLY_TO: first.id,
          REFERENCES: first.id,
          SUBJECT: 'Verde pubblico',
        }),
      )
    }
    // An out-of-office answering nothing of ours.
    await deliver(
      'auto',
      corpusMessage('autoreply-auto-submitted.eml', {
        FROM: citizen(),
        IN_REPLY_TO: '<x@y>',
        REFERENCES: '<x@y>',
        SUBJECT: 'Newsletter',
      }),
    )
    const result = await poll(box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual([
      'threaded',
      'threaded',
      'threaded',
      'threaded',
      'threaded',
      'auto_reply_ignored',
    ])
    expect((await caseOf(caseId)).status).toBe('resolved')
    const headers = await testDb.db
      .selectFrom('mailHeaders as h')
      .innerJoin('caseMessages as m', 'm.id', 'h.caseMessageId')
      .select(['h.autoReply'])
      .where('m.caseId', '=', caseId)
      .where('m.direction', '=', 'in')
      .orderBy('m.id')
      .execute()
    expect(headers.map((h) => h.autoReply)).toEqual([false, true, true, true, true, true])
    // Nothing is queued to answer them.
    const outbound = await testDb.db
      .selectFrom('mailOutbound')
      .select('id')
      .where('caseId', '=', caseId)
      .execute()
    expect(outbound).toEqual([])
  })

  it('marks a bounced reply and shows the delivery failure on its case', async () => {
    const box = await mailbox('bounce')
    const from = citizen()
    const first = simple(from, 'Scuola: mensa')
    await deliver('bounce', first.raw)
    await poll(box.id)
    const caseId = (await messagesWithId(first.id))[0]?.caseId ?? 0
    const replies = createReplyService(testDb.db, testDb.config)
    const out = await replies.create(operator, caseId, { text: 'Gentile cittadino, la mensa riapre lunedì.' })
    await testDb.db.transaction().execute((trx) => sendOutbound(testDb.db, trx, testDb.config, out.id))
    await deliver('bounce', corpusMessage('dsn-bounce.eml', { RECIPIENT: from, ORIGINAL_ID: out.messageId }))
    const result = await poll(box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual(['bounce'])
    const row = await testDb.db
      .selectFrom('mailOutbound')
      .selectAll()
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('bounced')
    const [event] = await eventsOf(caseId, 'delivery_failed')
    expect(event?.data).toMatchObject({ outboundId: out.id, recipient: from, status: '5.1.1' })
    // No case was opened for the bounce.
    expect(await messagesWithId(out.messageId)).toHaveLength(1)
  })

  it('sets aside messages beyond the per-sender hourly limit', async () => {
    const box = await mailbox('storm')
    const stormy = { ...ctx, config: { ...ctx.config, mailSenderMaxPerHour: 3 } }
    const from = citizen()
    for (let i = 0; i < 5; i++) await deliver('storm', simple(from, `Messaggio ${i}`).raw)
    const result = await pollMailbox(stormy, box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual([
      'created',
      'created',
      'created',
      'rate_limited',
      'rate_limited',
    ])
  })

  it('refuses an oversized message cleanly, with a note on a case', async () => {
    const box = await mailbox('big')
    const small = { ...ctx, config: { ...ctx.config, mailMaxMessageBytes: 10 * 1024 } }
    const big = simple(citizen(), 'Foto enorme', { body: 'x'.repeat(40 * 1024) })
    await deliver('big', big.raw)
    const result = await pollMailbox(small, box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual(['refused_too_large'])
    const [stored] = await messagesWithId(big.id)
    expect(stored?.bodyText).toMatch(/Messaggio di 40 KB non importato: supera il limite di 10 KB/)
    expect(stored?.rawRef).toBeNull()
  })
})

describe('PEC', () => {
  it('unwraps an envelope: the original message from the certified sender, the envelope kept unchanged', async () => {
    const box = await mailbox('pec', { isPec: true })
    const envelope = corpusMessage('pec-posta-certificata.eml', {
      FROM: 'studio.bianchi@pec.example.it',
      TO: box.address,
      ORIGINAL_ID: '<orig.pec.7@pec.example.it>',
      SUBJECT: 'Richiesta di accesso agli atti',
    })
    await deliver('pec', envelope)
    const result = await poll(box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual(['created'])
    const message = await testDb.db
      .selectFrom('caseMessages as m')
      .innerJoin('mailHeaders as h', 'h.caseMessageId', 'm.id')
      .innerJoin('cases as c', 'c.id', 'm.caseId')
      .selectAll('m')
      .select([
        'h.certifiedSender',
        'h.pecTransport',
        'h.messageId as originalId',
        'c.channel as caseChannel',
        'c.subject as caseSubject',
      ])
      .where('h.messageId', '=', '<orig.pec.7@pec.example.it>')
      .executeTakeFirstOrThrow()
    expect(message).toMatchObject({
      channel: 'pec',
      caseChannel: 'pec',
      caseSubject: 'Richiesta di accesso agli atti - pratica edilizia 123/2025',
      certifiedSender: 'studio.bianchi@pec.example.it',
      pecTransport: 'posta-certificata',
      sender: expect.objectContaining({ email: 'studio.bianchi@pec.example.it' }),
    })
    expect(message.bodyText).toContain('accesso agli atti della pratica edilizia 123/2025')
    expect(message.attachments).toEqual([expect.objectContaining({ filename: 'istanza.pdf' })])
    // The raw envelope, byte for byte, signature included.
    const sha = createHash('sha256').update(envelope).digest('hex')
    expect(message.rawRef).toBe(`sha256:${sha}`)
    const kept = await ctx.storage.get(sha)
    const chunks: Buffer[] = []
    for await (const c of kept) chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).equals(envelope)).toBe(true)
  })

  it('matches receipts to our outbound PEC and shows them on the timeline', async () => {
    const box = await mailbox('receipts', { isPec: true })
    const envelope = corpusMessage('pec-posta-certificata.eml', {
      FROM: 'ditta.verdi@pec.example.it',
      TO: box.address,
      ORIGINAL_ID: '<orig.pec.8@pec.example.it>',
      SUBJECT: 'Istanza',
    })
    await deliver('receipts', envelope)
    await poll(box.id)
    const caseId = (
      await testDb.db
        .selectFrom('mailHeaders as h')
        .innerJoin('caseMessages as m', 'm.id', 'h.caseMessageId')
        .select('m.caseId')
        .where('h.messageId', '=', '<orig.pec.8@pec.example.it>')
        .executeTakeFirstOrThrow()
    ).caseId
    const out = await createReplyService(testDb.db, testDb.config).create(operator, caseId, {
      text: 'Risposta certificata.',
    })
    expect(out.to).toBe('ditta.verdi@pec.example.it')
    await testDb.db.transaction().execute((trx) => sendOutbound(testDb.db, trx, testDb.config, out.id))
    const vars = {
      FROM: box.address,
      TO: 'ditta.verdi@pec.example.it',
      ORIGINAL_ID: out.messageId,
      SUBJECT: out.subject,
    }
    for (const name of [
      'pec-accettazione.eml',
      'pec-avvenuta-consegna.eml',
      'pec-non-accettazione.eml',
      'pec-errore-consegna.eml',
    ]) {
      await deliver('receipts', corpusMessage(name, vars))
    }
    // A receipt about a message that is not ours.
    await deliver(
      'receipts',
      corpusMessage('pec-accettazione.eml', { ...vars, ORIGINAL_ID: '<altro@pec.example.it>' }),
    )
    const result = await poll(box.id)
    expect(result.status === 'ok' && result.handled.map((h) => h.outcome)).toEqual([
      'pec_receipt',
      'pec_receipt',
      'pec_receipt',
      'pec_receipt',
      'unmatched_report',
    ])
    const events = await eventsOf(caseId, 'pec_receipt')
    expect(events.map((e) => e.data)).toMatchObject([
      { receipt: 'accettazione', failed: false },
      { receipt: 'avvenuta-consegna', failed: false },
      { receipt: 'non-accettazione', failed: true },
      { receipt: 'errore-consegna', failed: true },
    ])
    expect(events[3]?.data).toMatchObject({ error: 'no-dest', rawRef: expect.stringMatching(/^sha256:/) })
    const row = await testDb.db
      .selectFrom('mailOutbound')
      .selectAll()
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow()
    expect(row.pecState).toBe('errore-consegna')
    // Receipts never become cases of their own.
    const cases = await testDb.db
      .selectFrom('caseMessages')
      .select('caseId')
      .where('channel', '=', 'pec')
      .where('direction', '=', 'in')
      .execute()
    expect(cases.every((c) => c.caseId !== 0)).toBe(true)
    expect(
      await testDb.db
        .selectFrom('mailImports')
        .select('caseMessageId')
        .where('mailboxId', '=', box.id)
        .where('outcome', '=', 'pec_receipt')
        .execute(),
    ).toEqual(Array(4).fill({ caseMessageId: null }))
  })
})
