import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../core/test/fixtures.ts'
import { type SmtpPeer, startSmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import {
  type ConsoleStack,
  demoUser,
  FIRST_LOAD_MS,
  reloadUntilVisible,
  seen,
  startConsoleStack,
  UI_MS,
} from './console-stack.ts'

/**
 * The supervisor's and the administrator's console, end to end: the dashboard's charts
 * drawn from the stats API, bulk reassignment from the case list, an operator's reply
 * with a canned reply (sent by the workers to a real SMTP peer and shown on the
 * timeline), and an administrator creating a mailbox and a CTI token. The real API
 * serves the console's production build on a database with the demo data; Debian's
 * Chromium drives it.
 */

const ADMIN = demoUser('admin@filo.demo')
const SUPERVISOR = demoUser('supervisore@filo.demo')
const OPERATOR = demoUser('operatore@filo.demo')
const SMTP_AUTH = { user: 'urp', password: 'smtp-di-prova' }

let stack: ConsoleStack
let testDb: ConsoleStack['testDb']
let smtp: SmtpPeer | undefined
let context: BrowserContext
let page: Page

beforeAll(async () => {
  smtp = await startSmtpPeer(SMTP_AUTH)
  stack = await startConsoleStack({ name: 'console-admin', cases: 40 })
  testDb = stack.testDb
}, 120_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(async () => {
  await stack?.stop()
  await smtp?.stop()
}, 60_000)

/** A fresh browser (its own session cookie) signed in as `email`, on their home page. */
async function signInAs(email: string): Promise<void> {
  await context?.close()
  page = await stack.signIn(email)
  context = page.context()
}

const screenshot = (name: string) => stack.screenshot(page, name)
const button = (name: string) => page.getByRole('button', { name, exact: true })
const input = (name: string) => page.locator(`input[name="${name}"]`)
const rowWith = (text: string) => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) })
const timelineRow = (kind: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) })
const api = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, data?: unknown): Promise<T> => {
  const res = await context.request.fetch(url, { method, ...(data === undefined ? {} : { data }) })
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300)
  return (await res.json()) as T
}

/** The drawn marks of one chart: bars, or the line's path, with a non-empty shape. */
const marks = (chart: string, selector: string) => page.getByTestId(chart).locator(selector)

/** A case once the workers have routed it (they change it, so its version moves on). */
const routed = (id: number): Promise<CaseView> =>
  waitFor(async () => {
    const c = await api<CaseView & { queueId: number | null }>('GET', `/api/v1/cases/${id}`)
    return c.queueId !== null ? c : undefined
  }, 15_000)

interface CaseView {
  id: number
  number: string
  version: number
  assigneeId: number | null
  status: string
}

describe('the supervisor’s and the administrator’s console', () => {
  it('opens the supervisor on the dashboard, whose charts are drawn from the data', async () => {
    // One first-contact resolution of today: the operator opens a case and resolves it at once.
    await signInAs(OPERATOR.email)
    const quick = await api<CaseView>('POST', '/api/v1/cases', {
      subject: 'Informazioni sugli orari dell’anagrafe',
      channel: 'phone',
    })
    await api('POST', `/api/v1/cases/${quick.id}/status`, {
      status: 'resolved',
      version: (await routed(quick.id)).version,
      comment: 'Orari comunicati al telefono.',
    })

    await signInAs(SUPERVISOR.email)
    await seen(page.getByRole('heading', { name: 'Cruscotto', level: 1 }), FIRST_LOAD_MS)
    // Cases opened over the last twelve weeks, stacked by channel: bars with a height.
    await expect
      .poll(() => marks('chart-volumes', '.recharts-bar-rectangle path').count(), { timeout: FIRST_LOAD_MS })
      .toBeGreaterThan(0)
    await seen(page.getByTestId('chart-volumes').getByText('Telefono').first())
    // The open backlog by age, the SLA compliance lines and bars, first-contact resolution.
    await expect.poll(() => marks('chart-backlog', '.recharts-bar-rectangle path').count()).toBeGreaterThan(0)
    await expect.poll(() => marks('chart-sla-period', 'path.recharts-line-curve').count()).toBeGreaterThan(0)
    const line = await marks('chart-sla-period', 'path.recharts-line-curve').first().getAttribute('d')
    expect(line ?? '').toMatch(/^M[\d.]+,[\d.]+/)
    await expect
      .poll(() => marks('chart-sla-office', '.recharts-bar-rectangle path').count())
      .toBeGreaterThan(0)
    await expect
      .poll(() => marks('chart-first-contact', '.recharts-bar-rectangle path').count())
      .toBeGreaterThan(0)
    // Figures in Italian: a percentage with a comma or a whole one, "su" between the counts.
    await seen(page.getByTestId('chart-first-contact').getByText(/^\d+(,\d)?\s?% \(\d+ su \d+\)$/))
    // The split by office names the offices.
    await page.getByTestId('chart-volumes').getByRole('button', { name: 'Ufficio', exact: true }).click()
    await expect
      .poll(() => marks('chart-volumes', '.recharts-bar-rectangle path').count(), { timeout: UI_MS })
      .toBeGreaterThan(0)
    await screenshot('dashboard')
  }, 120_000)

  it('reassigns three cases at once from the case list, each with the version the list showed', async () => {
    await signInAs(SUPERVISOR.email)
    const made: CaseView[] = []
    for (const n of [1, 2, 3]) {
      const c = await api<CaseView>('POST', '/api/v1/cases', {
        subject: `Riassegnazione multipla ${n}`,
        channel: 'phone',
      })
      made.push(await routed(c.id))
    }
    const operatorId = (
      await testDb.db
        .selectFrom('staffUsers')
        .select('id')
        .where('email', '=', OPERATOR.email)
        .executeTakeFirstOrThrow()
    ).id
    const filter = encodeURIComponent(JSON.stringify({ q: 'riassegnazione multipla' }))
    await page.goto(`/admin/#/cases?filter=${filter}`)
    for (const c of made) await seen(rowWith(c.number))
    for (const c of made) await rowWith(c.number).getByRole('checkbox').check()
    await button('Riassegna').click()
    const dialog = page.getByRole('dialog')
    await seen(dialog.getByRole('heading', { name: 'Riassegna 3 segnalazioni' }))
    await dialog.getByRole('combobox', { name: 'Operatore' }).click()
    await page.getByRole('option', { name: OPERATOR.fullName, exact: true }).click()
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/cases/bulk-reassign'))
    await dialog.getByRole('button', { name: 'Riassegna', exact: true }).click()
    const body = (await sent).postDataJSON() as {
      cases: { id: number; version: number }[]
      assigneeId: number
    }
    expect(body.assigneeId).toBe(operatorId)
    expect([...body.cases].sort((a, b) => a.id - b.id)).toEqual(
      made.map((c) => ({ id: c.id, version: c.version })).sort((a, b) => a.id - b.id),
    )
    const results = dialog.getByRole('list', { name: 'Esito per segnalazione' })
    for (const c of made) await seen(results.getByText(`${c.number} — riassegnata`, { exact: true }))
    await screenshot('bulk-reassign')
    await dialog.getByRole('button', { name: 'Chiudi', exact: true }).click()
    for (const c of made) {
      const after = await api<CaseView>('GET', `/api/v1/cases/${c.id}`)
      expect(after).toMatchObject({ assigneeId: operatorId, status: 'assigned', version: c.version + 1 })
    }
  }, 60_000)

  it('lets an operator reply with a canned reply; the workers send it and the timeline shows it sent', async () => {
    if (!smtp) throw new Error('no SMTP peer')
    // An administrator's mailbox, whose SMTP account is the peer, and a supervisor's canned reply.
    await signInAs(ADMIN.email)
    const mailbox = await api<{ id: number }>('POST', '/api/v1/mailboxes', {
      name: 'URP di prova',
      address: 'urp@comune.prato.test',
      imap: { host: '127.0.0.1', port: 1, security: 'none', user: 'urp', password: 'imap-di-prova' },
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', ...SMTP_AUTH },
    })
    const canned = await api<{ id: number }>('POST', '/api/v1/canned-replies', {
      title: 'Presa in carico',
      body: 'Gentile {{nome}}, la segnalazione {{numero}} («{{oggetto}}») è stata presa in carico. Può seguirla qui: {{link_stato}}',
    })
    const contact = await api<{ id: number }>('POST', '/api/v1/contacts', {
      kind: 'person',
      firstName: 'Maria',
      lastName: 'Rossi',
      emails: [{ email: 'maria.rossi@example.it' }],
    })
    const kase = await api<CaseView>('POST', '/api/v1/cases', {
      subject: 'Cassonetto rotto in Via Roma',
      channel: 'email',
      contactId: contact.id,
    })
    // The citizen's email that opened it, as the mailbox's poller stores it.
    const message = await testDb.db
      .insertInto('caseMessages')
      .values({
        caseId: kase.id,
        direction: 'in',
        channel: 'email',
        externalId: '<cassonetto-1@example.it>',
        sender: JSON.stringify({ email: 'maria.rossi@example.it', name: 'Maria Rossi' }),
        subject: 'Cassonetto rotto in Via Roma',
        bodyText: 'Il cassonetto davanti al 12 è rotto.',
        attachments: '[]',
        receivedAt: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await testDb.db
      .insertInto('mailHeaders')
      .values({ caseMessageId: message.id, mailboxId: mailbox.id, messageId: '<cassonetto-1@example.it>' })
      .execute()
    expect(canned.id).toBeGreaterThan(0)

    await signInAs(OPERATOR.email)
    await page.goto(`/admin/#/cases/${kase.id}/show`)
    await seen(page.getByRole('heading', { name: 'Rispondi al cittadino', exact: true }))
    await page.getByRole('combobox', { name: 'Risposta predefinita' }).click()
    await page.getByRole('option', { name: 'Presa in carico (IT)', exact: true }).click()
    const text = page.getByRole('textbox', { name: 'Testo della risposta' })
    await expect
      .poll(() => text.inputValue())
      .toMatch(
        new RegExp(
          `^Gentile Maria Rossi, la segnalazione ${kase.number} \\(?«Cassonetto rotto in Via Roma»\\)? è stata presa in carico\\. Può seguirla qui: http\\S+/stato/\\S+$`,
        ),
      )
    await screenshot('reply-box')
    await button('Invia risposta').click()
    await seen(page.getByText('Risposta in invio: lo stato della consegna compare nella cronologia'))
    await reloadUntilVisible(page, () => timelineRow('Risposta in invio'))
    // The workers send it through the SMTP peer; a loaded machine can take a while.
    await reloadUntilVisible(page, () => timelineRow('Risposta inviata'), 45_000)
    const received = await waitFor(async () =>
      smtp?.received.find((m) => m.to.includes('maria.rossi@example.it')),
    )
    expect(received.parsed.subject).toBe(`Re: Cassonetto rotto in Via Roma [${kase.number}]`)
    expect(received.parsed.text).toContain('Gentile Maria Rossi')
    expect(received.parsed.inReplyTo).toBe('<cassonetto-1@example.it>')
    await screenshot('reply-on-timeline')
  }, 150_000)

  it('lets an administrator create a mailbox and a CTI token, whose secret is shown once and works', async () => {
    await signInAs(ADMIN.email)
    await page.getByRole('menuitem', { name: 'Caselle di posta' }).click()
    await page.waitForURL(/#\/mailboxes$/)
    await seen(rowWith('URP di prova'))
    await page.getByRole('link', { name: 'Crea', exact: true }).click()
    await page.waitForURL(/#\/mailboxes\/create$/)
    await input('name').fill('Protocollo PEC')
    await input('address').fill('protocollo@pec.comune.prato.test')
    await page.getByLabel('PEC', { exact: true }).check()
    await input('imap.host').fill('imap.pec.comune.prato.test')
    await input('imap.user').fill('protocollo')
    await input('imap.password').fill('segreta-imap')
    await input('smtp.host').fill('smtp.pec.comune.prato.test')
    await input('smtp.user').fill('protocollo')
    await input('smtp.password').fill('segreta-smtp')
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/mailboxes'),
    )
    await button('Salva').click()
    const response = await created
    expect(response.status()).toBe(201)
    const mailbox = (await response.json()) as {
      id: number
      isPec: boolean
      imap: { hasPassword: boolean; port: number }
      smtp: { hasPassword: boolean }
    }
    expect(mailbox).toMatchObject({
      isPec: true,
      imap: { hasPassword: true, port: 993 },
      smtp: { hasPassword: true },
    })
    // Passwords are write-only: never in the page.
    await page.waitForURL(new RegExp(`#/mailboxes/${mailbox.id}$`))
    await page.reload()
    await seen(input('imap.host'))
    expect(await input('imap.host').inputValue()).toBe('imap.pec.comune.prato.test')
    expect(await input('imap.password').inputValue()).toBe('')
    await seen(page.getByRole('heading', { name: 'Messaggi importati', exact: true }))
    await screenshot('mailbox-edit')

    await page.getByRole('menuitem', { name: 'Token CTI' }).click()
    await page.waitForURL(/#\/cti-tokens$/)
    await page.getByRole('link', { name: 'Crea', exact: true }).click()
    await input('name').fill('Centralino URP')
    await button('Salva').click()
    const dialog = page.getByRole('dialog', { name: 'Token creato' })
    await seen(dialog.getByText('Copialo adesso: non verrà mostrato di nuovo.'))
    const token = (await dialog.getByTestId('cti-token-secret').textContent())?.trim() ?? ''
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    await seen(dialog.getByText(new RegExp(`/api/v1/cti/${token}$`)))
    await screenshot('cti-token-created')
    // The PBX can post with it at once.
    const call = await context.request.post(`/api/v1/cti/${token}`, {
      data: { event: 'newCall', from: '0574123456', to: '0574183', direction: 'in', callId: 'e2e-admin-1' },
    })
    expect(call.status()).toBe(200)
    await dialog.getByRole('button', { name: 'Fatto', exact: true }).click()
    await page.waitForURL(/#\/cti-tokens$/)
    const row = rowWith('Centralino URP')
    await seen(row.getByText(`…${token.slice(-4)}`, { exact: true }))
    await row.getByRole('button', { name: 'Revoca' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Conferma' }).click()
    await seen(page.getByText('Token revocato'))
    const refused = await context.request.post(`/api/v1/cti/${token}`, {
      data: { event: 'newCall', from: '0574123456', to: '0574183', direction: 'in', callId: 'e2e-admin-2' },
    })
    expect(refused.status()).toBe(401)
    await screenshot('cti-tokens')
  }, 90_000)
})
