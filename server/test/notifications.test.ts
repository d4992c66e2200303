import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Actor } from '@filo/core'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../core/test/fixtures.ts'
import { STATUS_PAGE_PER_MINUTE } from '../src/public/status-page.routes.ts'
import { createTestApp, type TestApp } from './helpers.ts'

/**
 * Citizen notifications in the API: the admins' templates (edit, preview with IO's
 * limits), per-category settings, failed notifications and their retry; and the
 * public status page — what it shows and hides, its 404, its rate limit, and an
 * axe-core audit in Chromium.
 */
let t: TestApp
let admin: Actor & { email: string }
let operator: Actor & { email: string }
let adminCookie: string
let operatorCookie: string
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

beforeAll(async () => {
  t = await createTestApp()
  admin = await createUser(t.deps.db, 'admin')
  operator = await createUser(t.deps.db, 'operator')
  adminCookie = await t.login(admin.email)
  operatorCookie = await t.login(operator.email)
})
afterAll(() => t.close())

const api = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  cookie: string,
  payload?: Record<string, unknown>,
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload }),
  })

async function caseWithStory() {
  const contact = await t.deps.db
    .insertInto('contacts')
    .values({ kind: 'person', firstName: 'Gianna', lastName: 'Segreta', email: 'gianna.segreta@example.it' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const category = await t.deps.db
    .insertInto('categories')
    .values({ code: `strade-${Date.now()}`, nameIt: 'Strade e marciapiedi', nameEn: 'Roads and pavements' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const kase = await t.deps.services.cases.create(admin, {
    subject: 'Buca in via Roma',
    description: 'Descrizione riservata con il telefono 3331234567',
    channel: 'phone',
    contactId: contact.id,
    categoryId: category.id,
  })
  await t.deps.services.cases.addNote(admin, kase.id, {
    text: 'Nota interna: il geometra Bianchi è in ferie',
  })
  let v = (await t.deps.services.cases.get(admin, kase.id)).version
  await t.deps.services.cases.changeStatus(admin, kase.id, { status: 'open', version: v })
  v = (await t.deps.services.cases.get(admin, kase.id)).version
  await t.deps.services.cases.changeStatus(admin, kase.id, { status: 'in_progress', version: v })
  v = (await t.deps.services.cases.get(admin, kase.id)).version
  await t.deps.services.cases.changeStatus(admin, kase.id, {
    status: 'resolved',
    version: v,
    comment: 'La buca è stata chiusa il 3 marzo.',
  })
  const { publicToken } = await t.deps.db
    .selectFrom('cases')
    .select('publicToken')
    .where('id', '=', kase.id)
    .executeTakeFirstOrThrow()
  return { kase, token: publicToken, categoryId: category.id }
}

describe('templates', () => {
  it('admins list, edit (with the version they read, audited) and preview templates; others may not', async () => {
    expect((await api('GET', '/notification-templates', operatorCookie)).statusCode).toBe(403)
    const list = await api('GET', '/notification-templates', adminCookie)
    expect(list.statusCode).toBe(200)
    const templates = list.json() as { id: number; trigger: string; language: string; version: number }[]
    expect(templates).toHaveLength(16)
    const resolvedIt = templates.find((x) => x.trigger === 'resolved' && x.language === 'it')
    if (!resolvedIt) throw new Error('no resolved/it template')
    const put = await api('PUT', `/notification-templates/${resolvedIt.id}`, adminCookie, {
      subject: 'Risolta: {{subject}} ({{number}})',
      version: resolvedIt.version,
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({
      subject: 'Risolta: {{subject}} ({{number}})',
      version: resolvedIt.version + 1,
    })
    const stale = await api('PUT', `/notification-templates/${resolvedIt.id}`, adminCookie, {
      subject: 'Altro oggetto',
      version: resolvedIt.version,
    })
    expect(stale.statusCode).toBe(409)
    const unknown = await api('PUT', `/notification-templates/${resolvedIt.id}`, adminCookie, {
      markdown: 'Ciao {{nome}}',
      version: resolvedIt.version + 1,
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({
      code: 'notification_template_unknown_variable',
      details: { field: 'markdown', unknown: ['nome'] },
    })
    expect(stale.json().error.code).toBe('notification_template_version_conflict')
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action', 'actorId'])
      .where('action', '=', 'notification_template.update')
      .execute()
    expect(audit).toEqual([{ action: 'notification_template.update', actorId: admin.id }])
  })

  it('previews for IO within its limits: a short text padded, a long one trimmed, a long subject cut', async () => {
    const short = await api('POST', '/notification-templates/preview', adminCookie, {
      trigger: 'closed',
      language: 'en',
      subject: 'Closed',
      markdown: 'Closed: {{number}}.',
    })
    expect(short.statusCode, short.body).toBe(200)
    const s = short.json() as {
      io: { subject: string; markdown: string; adjusted: string[] }
      email: { html: string }
    }
    expect(s.io.subject.length).toBeGreaterThanOrEqual(10)
    expect(s.io.markdown.length).toBeGreaterThanOrEqual(80)
    expect(s.io.markdown).toContain('PRA-2026-000123')
    expect(s.io.adjusted).toEqual(['subject_padded', 'markdown_padded'])

    const long = await api('POST', '/notification-templates/preview', adminCookie, {
      trigger: 'reply',
      language: 'it',
      subject: `${'Aggiornamento molto lungo '.repeat(6)}{{number}}`,
      markdown: `${'Un paragrafo lungo e articolato sulla richiesta. '.repeat(60)}\n\n`.repeat(5),
    })
    const l = long.json() as { io: { subject: string; markdown: string; adjusted: string[] } }
    expect(l.io.subject.length).toBeLessThanOrEqual(120)
    expect(l.io.subject.endsWith('…')).toBe(true)
    expect(l.io.markdown.length).toBeLessThanOrEqual(10_000)
    expect(l.io.markdown).toContain('/stato/')
    expect(l.io.adjusted).toEqual(['subject_trimmed', 'markdown_trimmed'])
  })
})

describe('settings and failed notifications', () => {
  it('admins set which changes of a category notify; the change is audited', async () => {
    const { categoryId } = await caseWithStory()
    const put = await api('PUT', `/notification-settings/${categoryId}`, adminCookie, {
      triggers: ['received', 'resolved'],
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({
      categoryId,
      triggers: ['received', 'resolved'],
      custom: true,
      version: 1,
    })
    const list = await api('GET', '/notification-settings', adminCookie)
    const mine = (list.json() as { categoryId: number; triggers: string[] }[]).find(
      (c) => c.categoryId === categoryId,
    )
    expect(mine?.triggers).toEqual(['received', 'resolved'])
    const bad = await api('PUT', `/notification-settings/${categoryId}`, adminCookie, { triggers: ['sms'] })
    expect(bad.statusCode).toBe(400)
    expect(
      (await api('PUT', `/notification-settings/${categoryId}`, operatorCookie, { triggers: [] })).statusCode,
    ).toBe(403)
  })

  it('lists failed notifications for admins and retries one: queued again, on the timeline and in the audit log', async () => {
    const { kase } = await caseWithStory()
    const event = await t.deps.db
      .selectFrom('caseEvents')
      .select('id')
      .where('caseId', '=', kase.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const failed = await t.deps.db
      .insertInto('notifications')
      .values({
        caseId: kase.id,
        eventId: event.id,
        channel: 'email',
        triggers: ['resolved'],
        language: 'it',
        recipient: 'gianna.segreta@example.it',
        subject: 'La tua richiesta è stata risolta',
        bodyText: 'Testo',
        state: 'failed',
        attempts: 6,
        lastError: '451 Try again later',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const list = await api(
      'GET',
      `/notifications?filter=${encodeURIComponent('{"state":"failed"}')}`,
      adminCookie,
    )
    expect(list.statusCode).toBe(200)
    expect(list.headers['content-range']).toMatch(/^notifications 0-\d+\/\d+$/)
    const rows = list.json() as { id: number; state: string; lastError: string; caseNumber: string }[]
    expect(rows.find((r) => r.id === failed.id)).toMatchObject({ state: 'failed', caseNumber: kase.number })
    expect((await api('GET', '/notifications', operatorCookie)).statusCode).toBe(403)

    const retry = await api('POST', `/notifications/${failed.id}/retry`, adminCookie, {
      reason: 'Il server SMTP è tornato disponibile',
    })
    expect(retry.statusCode).toBe(200)
    expect(retry.json()).toMatchObject({ id: failed.id, state: 'queued', attempts: 0, lastError: null })
    const again = await api('POST', `/notifications/${failed.id}/retry`, adminCookie, {})
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('notification_not_retryable')
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('jobName', '=', 'notification.send')
      .execute()
    expect(outbox.map((o) => o.payload)).toContainEqual({ notificationId: failed.id })
    const events = await t.deps.services.cases.events(admin, kase.id)
    expect(events.filter((e) => e.kind === 'notification_retried')).toHaveLength(1)
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select('entityId')
      .where('action', '=', 'notification.retry')
      .execute()
    expect(audit).toEqual([{ entityId: failed.id }])
  })
})

describe('replies', () => {
  it('a reply on a case that did not come by email goes out as a notification (202, via notification)', async () => {
    const contact = await t.deps.db
      .insertInto('contacts')
      .values({ kind: 'person', firstName: 'Luca', lastName: 'Neri', fiscalCode: 'RSSMRA85T10A562S' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const kase = await t.deps.services.cases.create(admin, {
      subject: 'Lampione',
      channel: 'phone',
      contactId: contact.id,
    })
    const res = await api('POST', `/cases/${kase.id}/replies`, operatorCookie, {
      text: 'Ripareremo il lampione giovedì.',
    })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ caseId: kase.id, via: 'notification', state: 'queued' })
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('jobName', '=', 'notification.reply')
      .execute()
    expect(outbox.map((o) => o.payload)).toContainEqual({ caseId: kase.id, eventId: res.json().eventId })
    const blank = await api('POST', `/cases/${kase.id}/replies`, operatorCookie, { text: '   ' })
    expect(blank.statusCode).toBe(400)
  })
})

describe('status page', () => {
  it('shows number, subject, category, status in words, dates and the public answer — nothing internal', async () => {
    const { kase, token } = await caseWithStory()
    const res = await t.app.inject({ url: `/stato/${token}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const html = res.body
    expect(html).toContain('<html lang="it">')
    expect(html).toContain(kase.number)
    expect(html).toContain('Buca in via Roma')
    expect(html).toContain('Strade e marciapiedi')
    expect(html).toContain('Risolta')
    expect(html).toContain('La buca è stata chiusa il 3 marzo.')
    for (const secret of ['Gianna', 'Segreta', 'gianna.segreta', 'geometra', '3331234567', 'Test admin'])
      expect(html).not.toContain(secret)

    const en = await t.app.inject({ url: `/stato/${token}?lang=en` })
    expect(en.body).toContain('<html lang="en">')
    expect(en.body).toContain('Roads and pavements')
    expect(en.body).toContain('Resolved')
    const accept = await t.app.inject({
      url: `/stato/${token}`,
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    })
    expect(accept.body).toContain('<html lang="en">')
  })

  it('answers an unknown token and a malformed one with the same 404 page', async () => {
    const unknown = await t.app.inject({ url: `/stato/${'0'.repeat(32)}` })
    const malformed = await t.app.inject({ url: '/stato/PRA-2026-000001' })
    expect(unknown.statusCode).toBe(404)
    expect(malformed.statusCode).toBe(404)
    expect(unknown.body).toBe(malformed.body)
    expect(unknown.body).toContain('Richiesta non trovata')
  })

  it('takes what the citizen adds — a text and a photo — onto the case through ingest, once per form', async () => {
    const { kase, token } = await caseWithStory()
    const page = await t.app.inject({ url: `/stato/${token}` })
    const nonce = /name="nonce" value="([a-f0-9]{32})"/.exec(page.body)?.[1] ?? ''
    expect(nonce).toHaveLength(32)
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 7),
    ])
    const form = (fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) => {
      const boundary = '----filo-test-boundary'
      const parts: Buffer[] = []
      for (const [k, v] of Object.entries(fields))
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
        )
      if (file)
        parts.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
          ),
          file.data,
          Buffer.from('\r\n'),
        )
      parts.push(Buffer.from(`--${boundary}--\r\n`))
      return {
        payload: Buffer.concat(parts),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }
    }
    const body = form(
      { nonce, text: 'La buca si è riaperta dopo la pioggia.' },
      { name: 'buca.png', type: 'image/png', data: png },
    )
    const sent = await t.app.inject({ method: 'POST', url: `/stato/${token}?lang=it`, ...body })
    expect(sent.statusCode, sent.body).toBe(303)
    expect(sent.headers.location).toBe('?lang=it&sent=1')
    const again = await t.app.inject({ method: 'POST', url: `/stato/${token}?lang=it`, ...body })
    expect(again.statusCode).toBe(303)
    const messages = await t.deps.db
      .selectFrom('caseMessages')
      .select(['channel', 'direction', 'bodyText', 'attachments'])
      .where('caseId', '=', kase.id)
      .execute()
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      channel: 'web',
      direction: 'in',
      bodyText: 'La buca si è riaperta dopo la pioggia.',
    })
    expect(messages[0]?.attachments).toMatchObject([
      { filename: 'buca.png', contentType: 'image/png', size: png.length },
    ])
    // The citizen wrote on a resolved case: ingest reopens it, as for any channel.
    expect((await t.deps.services.cases.get(admin, kase.id)).status).toBe('open')
    const thanks = await t.app.inject({ url: `/stato/${token}?lang=it&sent=1` })
    expect(thanks.body).toContain('Grazie')

    const notAnImage = form(
      { nonce: 'a'.repeat(32), text: 'Foto' },
      { name: 'x.png', type: 'image/png', data: Buffer.from('<svg/>') },
    )
    expect((await t.app.inject({ method: 'POST', url: `/stato/${token}`, ...notAnImage })).statusCode).toBe(
      400,
    )
    const empty = form({ nonce: 'b'.repeat(32), text: '   ' })
    expect((await t.app.inject({ method: 'POST', url: `/stato/${token}`, ...empty })).statusCode).toBe(400)
    const unknown = form({ nonce: 'c'.repeat(32), text: 'Ciao' })
    expect(
      (await t.app.inject({ method: 'POST', url: `/stato/${'0'.repeat(32)}`, ...unknown })).statusCode,
    ).toBe(404)
  })

  it('is rate-limited per address', async () => {
    const { token } = await caseWithStory()
    const headers = { 'x-forwarded-for': '203.0.113.77' }
    for (let i = 0; i < STATUS_PAGE_PER_MINUTE; i++) {
      const res = await t.app.inject({ url: `/stato/${token}`, headers })
      // A new minute may start mid-loop: never a 429 before the limit.
      expect(res.statusCode).toBe(200)
    }
    const over = await t.app.inject({ url: `/stato/${token}`, headers })
    if (over.statusCode === 200) return // the minute turned exactly here; the loop above already proved the rest
    expect(over.statusCode).toBe(429)
    expect(over.headers['retry-after']).toBe('60')
    const other = await t.app.inject({
      url: `/stato/${token}`,
      headers: { 'x-forwarded-for': '203.0.113.78' },
    })
    expect(other.statusCode).toBe(200)
  })

  it('has no axe-core violations in Chromium, found or not found, in Italian and English', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`)
    const { token } = await caseWithStory()
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    let browser: Browser | undefined
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-background-networking'],
      })
      // The page's CSP forbids inline scripts, as it should: axe is injected by the browser, bypassing it.
      const page = await (await browser.newContext({ bypassCSP: true })).newPage()
      for (const url of [`/stato/${token}`, `/stato/${token}?lang=en`, `/stato/${'f'.repeat(32)}`]) {
        await page.goto(`${base}${url}`)
        await page.addScriptTag({ content: axeSource })
        const violations = await page.evaluate(async () => {
          const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } })
            .axe
          return (await axe.run()).violations.map((v) => v.id)
        })
        expect(violations, url).toEqual([])
      }
    } finally {
      await browser?.close()
    }
  }, 60_000)
})
