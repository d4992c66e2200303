import { decryptSecret } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let admin: string
let supervisor: string
let operator: string
let fieldWorker: string
let officeStaff: string
let otherOfficeId: number

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login((await createUser(t.deps.db, 'admin')).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  operator = await t.login((await createUser(t.deps.db, 'operator')).email)
  fieldWorker = await t.login((await createUser(t.deps.db, 'field_worker')).email)
  otherOfficeId = (await createOffice(t.deps.db, 'Tributi')).id
  officeStaff = await t.login(
    (await createUser(t.deps.db, 'office_staff', { officeIds: [otherOfficeId] })).email,
  )
})
afterAll(() => t.close())

const call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) })

let seq = 0
const urp = () => ({
  name: `URP ${++seq}`,
  address: `urp${seq}@comune.prato.test`,
  imap: { host: 'imap.comune.prato.test', port: 993, security: 'tls', user: 'urp', password: 'imap-segreta' },
  smtp: { host: 'smtp.comune.prato.test', port: 465, security: 'tls', user: 'urp', password: 'smtp-segreta' },
})

describe('mailboxes API', () => {
  it('creates a mailbox whose passwords are stored encrypted and never returned or audited', async () => {
    const res = await call('POST', '/api/v1/mailboxes', admin, { ...urp(), isPec: true })
    expect(res.statusCode).toBe(201)
    const box = res.json()
    expect(box).toMatchObject({
      isPec: true,
      enabled: true,
      folder: 'INBOX',
      afterImport: 'flag',
      imap: { host: 'imap.comune.prato.test', port: 993, security: 'tls', user: 'urp', hasPassword: true },
      smtp: { hasPassword: true },
      status: { lastError: null, consecutiveFailures: 0, lastUid: 0 },
      version: 1,
    })
    expect(res.body).not.toContain('segreta')
    const row = await t.deps.db
      .selectFrom('mailboxes')
      .selectAll()
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow()
    expect(row.imapPasswordEnc).not.toContain('imap-segreta')
    expect(decryptSecret(t.deps.config.mailCredentialsKey, row.imapPasswordEnc)).toBe('imap-segreta')
    expect(decryptSecret(t.deps.config.mailCredentialsKey, row.smtpPasswordEnc ?? '')).toBe('smtp-segreta')
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('entityType', '=', 'mailbox')
      .where('entityId', '=', box.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['mailbox.create'])
    expect(JSON.stringify(audit)).not.toContain('segreta')
    expect(JSON.stringify(audit)).not.toContain(row.imapPasswordEnc)
  })

  it('changes a mailbox with optimistic concurrency, keeping a password left out', async () => {
    const box = (await call('POST', '/api/v1/mailboxes', admin, urp())).json()
    const before = await t.deps.db
      .selectFrom('mailboxes')
      .select('imapPasswordEnc')
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow()
    const changed = await call(
      'PATCH',
      `/api/v1/mailboxes/${box.id}`,
      admin,
      { folder: 'Segnalazioni', afterImport: 'move', moveTo: 'Importati' },
      { 'if-match': '"1"' },
    )
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({
      folder: 'Segnalazioni',
      afterImport: 'move',
      moveTo: 'Importati',
      version: 2,
    })
    expect(changed.headers.etag).toBe('"2"')
    const after = await t.deps.db
      .selectFrom('mailboxes')
      .select('imapPasswordEnc')
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow()
    expect(after.imapPasswordEnc).toBe(before.imapPasswordEnc)

    const stale = await call('PATCH', `/api/v1/mailboxes/${box.id}`, admin, { enabled: false, version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'mailbox_version_conflict',
      details: { current: { version: 2 } },
    })

    // A poll failed: admins see why, and new credentials end the backoff at once.
    await t.deps.db
      .updateTable('mailboxes')
      .set({
        lastError: 'authentication failed',
        consecutiveFailures: 3,
        nextPollAt: new Date(Date.now() + 3600_000),
      })
      .where('id', '=', box.id)
      .execute()
    const failing = await call('GET', `/api/v1/mailboxes/${box.id}`, admin)
    expect(failing.json().status).toMatchObject({
      lastError: 'authentication failed',
      consecutiveFailures: 3,
      nextPollAt: expect.any(String),
    })
    const password = await call('PATCH', `/api/v1/mailboxes/${box.id}`, admin, {
      imap: { password: 'nuova' },
      version: 2,
    })
    expect(password.statusCode).toBe(200)
    const sealed = await t.deps.db
      .selectFrom('mailboxes')
      .select('imapPasswordEnc')
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow()
    expect(decryptSecret(t.deps.config.mailCredentialsKey, sealed.imapPasswordEnc)).toBe('nuova')
    expect(password.json().status).toMatchObject({ consecutiveFailures: 0, nextPollAt: null })
  })

  it('validates input with a stable error body, in the reader’s language', async () => {
    const bad = await call(
      'POST',
      '/api/v1/mailboxes',
      admin,
      { ...urp(), imap: { ...urp().imap, port: 0 } },
      { 'accept-language': 'en' },
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBeTypeOf('string')
    expect(bad.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('port') })]),
    )
    const move = await call('POST', '/api/v1/mailboxes', admin, { ...urp(), afterImport: 'move' })
    expect(move.statusCode).toBe(400)
    expect(move.json().error).toMatchObject({
      code: 'mailbox_move_to_required',
      message: 'Indica la cartella in cui spostare i messaggi importati.',
    })
    const dup = urp()
    expect((await call('POST', '/api/v1/mailboxes', admin, dup)).statusCode).toBe(201)
    const taken = await call('POST', '/api/v1/mailboxes', admin, dup, { 'accept-language': 'en' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error).toMatchObject({
      code: 'mailbox_name_taken',
      message: `A mailbox named “${dup.name}” already exists.`,
    })
    expect((await call('GET', '/api/v1/mailboxes/999999', admin)).json().error.code).toBe('mailbox_not_found')
  })

  it('lists what the polls did with each message, set-aside ones included', async () => {
    const box = (await call('POST', '/api/v1/mailboxes', admin, urp())).json()
    await t.deps.db
      .insertInto('mailImports')
      .values([
        {
          mailboxId: box.id,
          uidValidity: 7,
          uid: 1,
          messageId: '<a@x>',
          outcome: 'created',
          sender: 'a@example.it',
        },
        {
          mailboxId: box.id,
          uidValidity: 7,
          uid: 2,
          messageId: '<b@x>',
          outcome: 'rate_limited',
          sender: 'b@example.it',
          note: 'more than 30 messages',
        },
        {
          mailboxId: box.id,
          uidValidity: 7,
          uid: 3,
          messageId: '<c@x>',
          outcome: 'refused_too_large',
          sender: 'b@example.it',
        },
      ])
      .execute()
    const all = await call('GET', `/api/v1/mailboxes/${box.id}/imports?sort=["uid","ASC"]`, admin)
    expect(all.statusCode).toBe(200)
    expect(all.json().map((r: { outcome: string }) => r.outcome)).toEqual([
      'created',
      'rate_limited',
      'refused_too_large',
    ])
    expect(all.headers['content-range']).toBe('mail-imports 0-2/3')
    const setAside = await call(
      'GET',
      `/api/v1/mailboxes/${box.id}/imports?filter=${encodeURIComponent('{"outcome":["rate_limited","refused_too_large"],"sender":"B@example.it"}')}`,
      admin,
    )
    expect(setAside.json()).toEqual([
      expect.objectContaining({ uid: 3, outcome: 'refused_too_large' }),
      expect.objectContaining({ uid: 2, outcome: 'rate_limited', note: 'more than 30 messages' }),
    ])
    expect((await call('GET', `/api/v1/mailboxes/${box.id}/imports`, supervisor)).statusCode).toBe(403)
    expect((await call('GET', '/api/v1/mailboxes/999999/imports', admin)).statusCode).toBe(404)
  })

  it('is for administrators only', async () => {
    for (const cookie of [supervisor, operator, fieldWorker]) {
      expect((await call('GET', '/api/v1/mailboxes', cookie)).statusCode).toBe(403)
      expect((await call('POST', '/api/v1/mailboxes', cookie, urp())).statusCode).toBe(403)
    }
    const list = await call('GET', '/api/v1/mailboxes?filter={"isPec":true}', admin)
    expect(list.statusCode).toBe(200)
    expect(list.json().every((m: { isPec: boolean }) => m.isPec)).toBe(true)
    expect(list.headers['content-range']).toMatch(/^mailboxes 0-\d+\/\d+$/)
  })
})

describe('replies API', () => {
  it('queues a reply on a visible case with an outbox job, and refuses what it cannot send', async () => {
    const box = (await call('POST', '/api/v1/mailboxes', admin, urp())).json()
    const created = await call('POST', '/api/v1/cases', operator, {
      subject: 'Buca in via Roma',
      channel: 'phone',
    })
    expect(created.statusCode).toBe(201)
    const caseId = created.json().id
    const number = created.json().number

    const noRecipient = await call('POST', `/api/v1/cases/${caseId}/replies`, operator, {
      text: 'Buongiorno',
      mailboxId: box.id,
    })
    expect(noRecipient.statusCode).toBe(400)
    expect(noRecipient.json().error.code).toBe('reply_no_recipient')
    const noMailbox = await call('POST', `/api/v1/cases/${caseId}/replies`, operator, {
      text: 'Buongiorno',
      to: 'a@example.it',
    })
    expect(noMailbox.json().error.code).toBe('reply_no_mailbox')

    const res = await call('POST', `/api/v1/cases/${caseId}/replies`, operator, {
      text: 'Buongiorno, la buca sarà chiusa domani.',
      html: '<p>Buongiorno, la buca sarà chiusa <b>domani</b>.</p><script>x()</script>',
      mailboxId: box.id,
      to: 'Mario.Rossi@example.it',
    })
    expect(res.statusCode).toBe(202)
    const reply = res.json()
    expect(reply).toMatchObject({
      caseId,
      mailboxId: box.id,
      to: 'mario.rossi@example.it',
      subject: `Re: Buca in via Roma [${number}]`,
      state: 'queued',
      inReplyTo: null,
      references: [],
    })
    expect(reply.messageId).toMatch(
      new RegExp(`^<filo\\.c${caseId}\\.[0-9a-f]{16}\\.[0-9a-f]{24}@comune\\.prato\\.test>$`),
    )
    const stored = await t.deps.db
      .selectFrom('caseMessages')
      .selectAll()
      .where('id', '=', reply.caseMessageId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ direction: 'out', channel: 'email', externalId: reply.messageId })
    expect(stored.bodyHtml).not.toContain('<script')
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select(['jobName', 'payload'])
      .where('jobName', '=', 'mail.send')
      .execute()
    expect(outbox).toContainEqual({ jobName: 'mail.send', payload: { outboundId: reply.id } })
    const events = await call('GET', `/api/v1/cases/${caseId}/events`, operator)
    expect(events.json().map((e: { kind: string }) => e.kind)).toContain('reply_queued')
  })

  it('answers 404 on a case the caller cannot see, 403 to field workers, 400 on an empty text', async () => {
    const caseId = (
      await call('POST', '/api/v1/cases', operator, { subject: 'Tributi', channel: 'phone' })
    ).json().id
    const hidden = await call('POST', `/api/v1/cases/${caseId}/replies`, officeStaff, {
      text: 'x',
      to: 'a@example.it',
      mailboxId: 1,
    })
    expect(hidden.statusCode).toBe(404)
    const field = await call('POST', `/api/v1/cases/${caseId}/replies`, fieldWorker, {
      text: 'x',
      to: 'a@example.it',
    })
    expect(field.statusCode).toBe(403)
    const empty = await call('POST', `/api/v1/cases/${caseId}/replies`, operator, { text: '' })
    expect(empty.statusCode).toBe(400)
  })
})
