import { createHash, randomBytes } from 'node:crypto'
import { type Actor, fiscalCodeCheckChar, sendOutbound } from '@filo/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { type SmtpPeer, startSmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/**
 * Files sent with a reply to the citizen, through the real API, PostgreSQL and an
 * SMTP server built on smtp-server (and the fake IO): the email carries the bytes,
 * a retry sends the same files once, the limits answer in words, IO says where
 * the files are and the status page serves exactly those.
 */
let t: TestApp
let smtp: SmtpPeer
let io: FakeIo
let admin: Actor
let operator: string
let supervisor: string
let mailboxId: number
const SMTP_USER = { user: 'filo-reply', password: 'reply-secret' }

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
  randomBytes(2048),
  Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
])
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

function multipart(files: { filename: string; data: Buffer }[]) {
  const boundary = `----filo${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

async function upload(caseId: number, files: { filename: string; data: Buffer }[]): Promise<number[]> {
  const body = multipart(files)
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/attachments`,
    headers: { cookie: operator, 'content-type': body.contentType },
    payload: body.payload,
  })
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`)
  return (res.json() as { id: number }[]).map((a) => a.id)
}

const replyTo = (caseId: number, payload: Record<string, unknown>, lang = 'it') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/replies`,
    headers: { cookie: operator, 'accept-language': lang },
    payload,
  })

async function openCase(contact: { email?: string; fiscalCode?: string } = {}): Promise<number> {
  const who = await t.deps.db
    .insertInto('contacts')
    .values({
      kind: 'person',
      firstName: 'Maria',
      lastName: 'Rossi',
      email: contact.email ?? null,
      fiscalCode: contact.fiscalCode ?? null,
      language: 'it',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const kase = await t.deps.services.cases.create(admin, {
    subject: 'Passo carrabile in via Roma',
    channel: 'phone',
    contactId: who.id,
  })
  return kase.id
}

function fiscalCode(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const pick = () => letters[Math.floor(Math.random() * 26)]
  const digit = () => String(Math.floor(Math.random() * 10))
  const first15 = `${pick()}${pick()}${pick()}${pick()}${pick()}${pick()}${digit()}${digit()}A${digit()}1${pick()}${digit()}${digit()}${digit()}`
  return `${first15}${fiscalCodeCheckChar(first15)}`
}

const receivedBy = (address: string) => smtp.received.filter((r) => r.to.includes(address))
const eventsOf = async (caseId: number, kind: string) =>
  (await t.deps.services.cases.events(admin, caseId)).filter((e) => e.kind === kind)

beforeAll(async () => {
  smtp = await startSmtpPeer(SMTP_USER)
  io = await startFakeIo()
  t = await createTestApp({
    ioApiUrl: io.url,
    ioApiKey: io.key,
    smtpUrl: `smtp://${SMTP_USER.user}:${SMTP_USER.password}@127.0.0.1:${smtp.port}`,
  })
  admin = await createUser(t.deps.db, 'admin')
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  const box = await t.deps.services.mailboxes.create(admin, {
    name: 'URP',
    address: 'urp@comune.prato.test',
    imap: { host: '127.0.0.1', port: 1, security: 'none', user: 'urp', password: 'unused' },
    smtp: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: SMTP_USER.user,
      password: SMTP_USER.password,
    },
    pollIntervalSeconds: 60,
  })
  mailboxId = box.id
}, 30_000)
afterEach(() => {
  smtp.refuseWith = null
})
afterAll(async () => {
  await t.close()
  await smtp.stop()
  await io.stop()
})

describe('a reply by email with attachments', () => {
  it('carries the files as MIME attachments with their bytes, names them on the timeline, and a retry sends them once', async () => {
    const to = `mario.${randomBytes(3).toString('hex')}@example.it`
    const caseId = await openCase()
    const [pdf, png] = await upload(caseId, [
      { filename: 'autorizzazione passo carrabile.pdf', data: PDF },
      { filename: 'planimetria.png', data: PNG },
    ])
    const res = await replyTo(caseId, {
      text: 'Gentile signora Rossi, in allegato l’autorizzazione e la planimetria.',
      mailboxId,
      to,
      attachmentIds: [pdf, png],
    })
    expect(res.statusCode).toBe(202)
    const reply = res.json()
    expect(reply.attachments).toEqual([
      { attachmentId: pdf, filename: 'autorizzazione passo carrabile.pdf', size: PDF.length },
      { attachmentId: png, filename: 'planimetria.png', size: PNG.length },
    ])
    // The job names the reply only: the files are in PostgreSQL with it.
    const job = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('jobName', '=', 'mail.send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(job.payload).toEqual({ outboundId: reply.id })

    // The first attempt meets a temporary refusal: nothing sent, tried again later.
    smtp.refuseWith = { code: 451, message: 'try again later' }
    await expect(sendOutbound(t.deps.db, t.deps.db, t.deps.config, reply.id)).rejects.toThrow()
    expect(receivedBy(to)).toHaveLength(0)
    smtp.refuseWith = null
    expect(await sendOutbound(t.deps.db, t.deps.db, t.deps.config, reply.id)).toBe('sent')
    // A job run again (a redelivery) finds it sent and sends nothing.
    expect(await sendOutbound(t.deps.db, t.deps.db, t.deps.config, reply.id)).toBe('already_done')

    const got = receivedBy(to)
    expect(got).toHaveLength(1)
    const files = got[0]?.parsed.attachments ?? []
    expect(files.map((f) => [f.filename, f.contentType, sha256(f.content)])).toEqual([
      ['autorizzazione passo carrabile.pdf', 'application/pdf', sha256(PDF)],
      ['planimetria.png', 'image/png', sha256(PNG)],
    ])
    expect(got[0]?.parsed.text).toContain('in allegato l’autorizzazione')

    const [sent] = await eventsOf(caseId, 'reply_sent')
    expect(sent?.data).toMatchObject({
      attachments: [
        { attachmentId: pdf, filename: 'autorizzazione passo carrabile.pdf', size: PDF.length },
        { attachmentId: png, filename: 'planimetria.png', size: PNG.length },
      ],
    })
    const [queued] = await eventsOf(caseId, 'reply_queued')
    expect(queued?.data).toMatchObject({ attachments: [{ attachmentId: pdf }, { attachmentId: png }] })
  }, 30_000)

  it('refuses another case’s file, a removed one, too many and too much, in words, and queues nothing', async () => {
    const caseId = await openCase()
    const otherCase = await openCase()
    const [mine] = await upload(caseId, [{ filename: 'verbale.pdf', data: PDF }])
    const [theirs] = await upload(otherCase, [{ filename: 'altrui.pdf', data: PDF }])
    const [removed] = await upload(caseId, [{ filename: 'bozza.png', data: PNG }])
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/attachments/${removed}`,
      headers: { cookie: supervisor },
    })
    expect(del.statusCode).toBe(204)
    const base = { text: 'Ecco i documenti.', mailboxId, to: 'mario@example.it' }

    const other = await replyTo(caseId, { ...base, attachmentIds: [mine, theirs] })
    expect(other.statusCode).toBe(400)
    expect(other.json().error).toMatchObject({
      code: 'reply_attachment_not_on_case',
      message: `L'allegato ${theirs} non è un allegato di questo caso: caricalo prima sul caso.`,
    })
    const gone = await replyTo(caseId, { ...base, attachmentIds: [removed] }, 'en')
    expect(gone.statusCode).toBe(400)
    expect(gone.json().error).toMatchObject({
      code: 'reply_attachment_removed',
      message: 'The attachment "bozza.png" was removed from the case: it cannot be sent.',
    })
    const many = await upload(
      caseId,
      Array.from({ length: 10 }, (_, i) => ({ filename: `foto-${i}.png`, data: PNG })),
    )
    const tooMany = await replyTo(caseId, { ...base, attachmentIds: [mine, ...many] })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error).toMatchObject({
      code: 'reply_attachments_too_many',
      message: 'Troppi allegati per una risposta: 11, al massimo 10.',
    })

    // Three files of 7 MB: each fine on the case, together over the 20 MB of a reply.
    const big = await upload(
      caseId,
      [1, 2, 3].map((i) => ({
        filename: `rilievo-${i}.pdf`,
        data: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(7 * 1024 * 1024)]),
      })),
    )
    const tooLarge = await replyTo(caseId, { ...base, attachmentIds: big })
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json().error).toMatchObject({ code: 'reply_attachments_too_large' })
    expect(tooLarge.json().error.message).toContain('il limite è 20 MB')

    const queued = await t.deps.db
      .selectFrom('mailOutbound')
      .select('id')
      .where('caseId', '=', caseId)
      .execute()
    expect(queued).toHaveLength(0)
    expect(await eventsOf(caseId, 'reply_queued')).toHaveLength(0)
  }, 60_000)
})

describe('a reply by notification with attachments', () => {
  it('by email: the notification carries the files; a second send sends nothing', async () => {
    const email = `anna.${randomBytes(3).toString('hex')}@example.it`
    const caseId = await openCase({ email })
    const [pdf] = await upload(caseId, [{ filename: 'ricevuta.pdf', data: PDF }])
    const res = await replyTo(caseId, { text: 'Le inviamo la ricevuta.', attachmentIds: [pdf] })
    expect(res.statusCode).toBe(202)
    const routed = res.json()
    expect(routed).toMatchObject({ via: 'notification', attachments: [{ attachmentId: pdf }] })
    expect(await t.deps.services.notifications.reply(caseId, routed.eventId)).toBe('queued')
    const row = await t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('eventId', '=', routed.eventId)
      .executeTakeFirstOrThrow()
    expect(row.channel).toBe('email')
    expect(await t.deps.services.notifications.send(row.id)).toBe('sent')
    expect(await t.deps.services.notifications.send(row.id)).toBe('already_done')
    const got = receivedBy(email)
    expect(got).toHaveLength(1)
    expect(got[0]?.parsed.text).toContain('In allegato (1): ricevuta.pdf.')
    expect(got[0]?.parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
      ['ricevuta.pdf', sha256(PDF)],
    ])
    const [sent] = (await eventsOf(caseId, 'notification_sent')).filter(
      (e) => (e.data as { notificationId?: number }).notificationId === row.id,
    )
    expect(sent?.data).toMatchObject({
      attachments: [{ attachmentId: pdf, filename: 'ricevuta.pdf', size: PDF.length }],
    })
  }, 30_000)

  it('by IO: the message says how many files and where; the status page serves those and no other', async () => {
    const cf = fiscalCode()
    io.profiles.set(cf, { senderAllowed: true })
    const caseId = await openCase({ fiscalCode: cf })
    const [pdf, unsent] = await upload(caseId, [
      { filename: 'permesso.pdf', data: PDF },
      { filename: 'nota interna.png', data: PNG },
    ])
    const res = await replyTo(caseId, { text: 'Il permesso è pronto.', attachmentIds: [pdf] })
    expect(res.statusCode).toBe(202)
    const { eventId } = res.json()
    expect(await t.deps.services.notifications.reply(caseId, eventId)).toBe('queued')
    const row = await t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('eventId', '=', eventId)
      .executeTakeFirstOrThrow()
    expect(row.channel).toBe('io')
    expect(await t.deps.services.notifications.send(row.id)).toBe('sent')
    const message = io.messages.find((m) => m.fiscalCode === cf)
    expect(message?.markdown).toContain('Il permesso è pronto.')
    expect(message?.markdown).toContain('Allegati a questa risposta: 1 (permesso.pdf).')
    expect(message?.markdown).toContain('pagina di stato')

    const { publicToken } = await t.deps.db
      .selectFrom('cases')
      .select('publicToken')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    const page = await t.app.inject({ url: `/stato/${publicToken}?lang=it` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Documenti inviati dagli uffici')
    expect(page.body).toContain(`href="${publicToken}/documenti/${pdf}"`)
    expect(page.body).not.toContain('nota interna.png')
    const doc = await t.app.inject({ url: `/stato/${publicToken}/documenti/${pdf}` })
    expect(doc.statusCode).toBe(200)
    expect(doc.headers['content-type']).toBe('application/pdf')
    expect(doc.headers['content-disposition']).toContain('attachment; filename="permesso.pdf"')
    expect(sha256(doc.rawPayload)).toBe(sha256(PDF))
    // A file of the case that was never sent, and a sent file under another case's token: not there.
    expect((await t.app.inject({ url: `/stato/${publicToken}/documenti/${unsent}` })).statusCode).toBe(404)
    const other = await openCase()
    const otherToken = await t.deps.db
      .selectFrom('cases')
      .select('publicToken')
      .where('id', '=', other)
      .executeTakeFirstOrThrow()
    expect(
      (await t.app.inject({ url: `/stato/${otherToken.publicToken}/documenti/${pdf}` })).statusCode,
    ).toBe(404)
    // Removed from the case: withdrawn from the page too.
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/attachments/${pdf}`,
      headers: { cookie: supervisor },
    })
    expect((await t.app.inject({ url: `/stato/${publicToken}/documenti/${pdf}` })).statusCode).toBe(404)
  }, 30_000)
})
