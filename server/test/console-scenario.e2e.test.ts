import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../core/test/fixtures.ts'
import type { SmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import {
  type ConsoleStack,
  demoUser,
  FIRST_LOAD_MS,
  LIVE_MS,
  reloadUntilVisible,
  seen,
  startConsoleStack,
  UI_MS,
} from './console-stack.ts'

/**
 * One day in the console, end to end, as the people who use it would live it: a citizen
 * sends a report through the public web form; the operator, signed in, sees it arrive
 * live, triages it in place and answers; the answer goes out (email, through a real SMTP
 * peer) and shows on the timeline with its delivery. The office's staff sees only their
 * offices' cases, takes this one and resolves it with an answer; the supervisor's
 * dashboard draws its charts from the data; the administrator edits a routing rule and
 * the rule tester explains why it matches. Everything is real: the API serving the
 * console's production build, the workers, the realtime feed, PostgreSQL, Redis and
 * Debian's Chromium; screenshots of each screen are kept as test artefacts.
 */

const OPERATOR = demoUser('operatore@filo.demo')
const OFFICE = demoUser('ufficio@filo.demo')
const SUPERVISOR = demoUser('supervisore@filo.demo')
const ADMIN = demoUser('admin@filo.demo')
const CITIZEN_EMAIL = 'giovanna.lenzi@example.it'
const SUBJECT_WORDS = 'lampione spento da tre sere davanti al civico 12'

let smtp: SmtpPeer
let stack: ConsoleStack

beforeAll(async () => {
  stack = await startConsoleStack({
    name: 'console-scenario',
    cases: 60,
    live: true,
    // Citizen notifications by email go to the peer, each at once rather than in a digest.
    smtp: true,
    config: (config) => ({ ...config, notificationDigestSeconds: 0 }),
  })
  if (!stack.smtp) throw new Error('no SMTP peer')
  smtp = stack.smtp
}, 180_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

interface CaseView {
  id: number
  number: string
  status: string
  priority: string
  officeId: number | null
  categoryId: number | null
  assigneeId: number | null
  queueId: number | null
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const title = (page: Page, name: string) =>
  page.getByRole('banner').getByRole('heading', { name, exact: true })
const timelineRow = (page: Page, kind: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) })
const triage = (page: Page) => page.getByRole('group', { name: 'Smistamento' })
/** Nothing focused: keys go to the page's shortcuts, not to a field. */
const blur = (page: Page) => page.evaluate('document.activeElement && document.activeElement.blur()')

describe('a day in the console: from a web report to its answer', { timeout: 120_000 }, () => {
  let operator: Page
  let kase: CaseView
  let adminCookie: string

  const read = (id: number) => stack.call<CaseView>('GET', `/api/v1/cases/${id}`, adminCookie)
  const officeId = async (name: string) => {
    const offices = await stack.call<{ id: number; name: string }[]>('GET', '/api/v1/offices', adminCookie)
    const office = offices.find((o) => o.name === name)
    if (!office) throw new Error(`no office named ${name}`)
    return office.id
  }

  it('shows the operator a report sent through the web form, live, without a reload', async () => {
    adminCookie = await stack.login(ADMIN.email)
    operator = await stack.signIn(OPERATOR.email, { live: true })
    await seen(title(operator, 'Segnalazioni'))

    // A citizen, in a browser of their own, reports a street light out as a complaint.
    const citizen = await (await operator.context().browser()?.newContext({ locale: 'it-IT' }))?.newPage()
    if (!citizen) throw new Error('no browser for the citizen')
    await citizen.goto(`${stack.baseUrl}/segnala`)
    await citizen.selectOption('#f-category', { label: 'Reclami e suggerimenti' })
    await citizen.click('button[type=submit]')
    await citizen.waitForSelector('#report-form')
    await citizen.fill('#f-description', `Il ${SUBJECT_WORDS} di Via Ricasoli: la strada è buia.`)
    await citizen.fill('#f-address', 'Via Ricasoli 12, 59100 Prato')
    await citizen.fill('#f-first-name', 'Giovanna')
    await citizen.fill('#f-last-name', 'Lenzi')
    await citizen.fill('#f-email', CITIZEN_EMAIL)
    await citizen.check('#f-privacy')
    await citizen.click('#report-form button[type=submit]')
    await citizen.waitForSelector('#case-number')
    const number = (await citizen.textContent('#case-number'))?.trim() ?? ''
    expect(number).toMatch(/^PRA-\d{4}-\d{6}$/)
    await stack.screenshot(citizen, 'scenario-1-web-form-sent')
    await citizen.context().close()

    // On the operator's list, without a reload.
    const row = operator.getByRole('row').filter({ hasText: number })
    await seen(row, LIVE_MS)
    await seen(row.getByText('Modulo web', { exact: true }))
    await stack.screenshot(operator, 'scenario-2-operator-list')
    await row.getByText(number, { exact: true }).click()
    await operator.waitForURL(/#\/cases\/\d+\/show$/)
    kase = await read(Number(/cases\/(\d+)\/show$/.exec(operator.url())?.[1]))
    expect(kase.number).toBe(number)
    await seen(title(operator, `Segnalazione ${number}`))
  })

  it('lets the operator triage the case in place: priority, category and office', async () => {
    const lavoriPubblici = await officeId('Lavori Pubblici')
    await seen(triage(operator))

    await triage(operator).getByRole('combobox', { name: 'Priorità' }).click()
    await operator.getByRole('option', { name: 'Alta', exact: true }).click()
    await seen(operator.getByText('Modifica salvata: Priorità', { exact: true }))
    await expect.poll(async () => (await read(kase.id)).priority, { timeout: UI_MS }).toBe('high')

    const category = triage(operator).getByRole('combobox', { name: 'Categoria' })
    await category.click()
    await category.fill('Lampione')
    await operator.getByRole('option', { name: 'Lampione spento', exact: true }).click()
    await seen(operator.getByText('Modifica salvata: Categoria', { exact: true }))

    await triage(operator).getByRole('combobox', { name: 'Ufficio' }).click()
    await operator.getByRole('option', { name: 'Lavori Pubblici', exact: true }).click()
    await seen(operator.getByText('Modifica salvata: Ufficio', { exact: true }))
    await expect.poll(async () => (await read(kase.id)).officeId, { timeout: UI_MS }).toBe(lavoriPubblici)

    // Sent to the office, the case waits in the office's queue.
    const queues = await stack.call<{ id: number; code: string }[]>('GET', '/api/v1/queues', adminCookie)
    const triaged = await read(kase.id)
    expect(triaged).toMatchObject({
      priority: 'high',
      officeId: lavoriPubblici,
      queueId: queues.find((q) => q.code === 'lavori-pubblici')?.id,
    })
    expect(triaged.categoryId).not.toBe(kase.categoryId)
    // Each change is on the timeline, in words.
    await seen(operator.getByText('Priorità: Normale → Alta'))
    await stack.screenshot(operator, 'scenario-3-triaged')
  })

  it('lets the operator answer the citizen and shows the answer, then its delivery, on the timeline', async () => {
    const reply =
      'Gentile Giovanna, abbiamo inoltrato la sua segnalazione all’ufficio Lavori Pubblici, che interverrà sul lampione.'
    await seen(operator.getByRole('heading', { name: 'Rispondi al cittadino', exact: true }))
    // The case came from the web form: the answer goes as a notification (IO, or email).
    await seen(operator.getByText('Notifica (App IO o email)'))
    // The keyboard takes the operator there: r for reply.
    await blur(operator)
    await operator.keyboard.press('r')
    await expect
      .poll(() => operator.evaluate<string | undefined>('document.activeElement?.id'))
      .toBe('reply-text')
    await operator.getByRole('textbox', { name: 'Testo della risposta' }).fill(reply)
    await button(operator, 'Invia risposta').click()
    await seen(operator.getByText('Risposta in invio: lo stato della consegna compare nella cronologia'))

    // The workers send it by email to the citizen (no IO key is configured here).
    const mail = await waitFor(
      async () => smtp.received.find((m) => m.to.includes(CITIZEN_EMAIL) && m.parsed.text?.includes(reply)),
      60_000,
    )
    expect(mail.parsed.text).toContain(kase.number)
    // The timeline follows: the answer, then its delivery (the first notification sent was the acknowledgement).
    await reloadUntilVisible(operator, () => timelineRow(operator, 'Notifica inviata al cittadino').nth(1))
    await seen(timelineRow(operator, 'Risposta in invio').getByText(reply, { exact: false }))
    await stack.screenshot(operator, 'scenario-4-answered')
  })

  it('shows office staff only their offices’ cases; they take the case and resolve it with an answer', async () => {
    const mine = [await officeId('Lavori Pubblici'), await officeId('Verde Pubblico')]
    const office = await stack.signIn(OFFICE.email)
    await seen(title(office, 'Segnalazioni'))
    const row = office.getByRole('row').filter({ hasText: kase.number })
    await seen(row, FIRST_LOAD_MS)
    // Every case listed belongs to one of their offices, and all of them are listed.
    const expected = await stack.testDb.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('officeId', 'in', mine)
      .where('mergedIntoId', 'is', null)
      .executeTakeFirstOrThrow()
    const offices = await office
      .getByRole('row')
      .filter({ hasText: /PRA-\d{4}-\d{6}/ })
      .locator('td.column-officeId')
      .allInnerTexts()
    expect(offices.length).toBeGreaterThan(0)
    for (const name of offices) expect(['Lavori Pubblici', 'Verde Pubblico']).toContain(name)
    await seen(office.getByText(new RegExp(`^1-\\d+ di ${expected.n}$`)))
    // Another office's case is not theirs to open.
    const other = await stack.testDb.db
      .selectFrom('cases')
      .select('id')
      .where('officeId', 'not in', mine)
      .executeTakeFirstOrThrow()
    expect((await office.request.get(`/api/v1/cases/${other.id}`)).status()).toBeGreaterThanOrEqual(403)
    await stack.screenshot(office, 'scenario-5-office-list')

    await row.getByText(kase.number, { exact: true }).click()
    await office.waitForURL(new RegExp(`#/cases/${kase.id}/show$`))
    // a: assign to me (the triage panel's button), from the keyboard.
    await seen(button(office, 'Assegna a me'))
    await blur(office)
    await office.keyboard.press('a')
    await seen(office.getByText('Modifica salvata: Assegnatario', { exact: true }))
    await seen(triage(office).getByRole('combobox', { name: 'Assegnatario' }))
    await expect
      .poll(async () => await triage(office).getByRole('combobox', { name: 'Assegnatario' }).inputValue())
      .toBe(OFFICE.fullName)

    const answer = 'Il lampione è stato sostituito il giorno stesso. Grazie della segnalazione.'
    await button(office, 'Risolvi').click()
    const dialog = office.getByRole('dialog')
    await dialog.getByRole('textbox', { name: /^Risposta/ }).fill(answer)
    await dialog.getByRole('button', { name: 'Risolvi', exact: true }).click()
    await seen(office.getByText('Risolta', { exact: true }).first())
    await seen(office.getByText(answer).first())
    expect(await read(kase.id)).toMatchObject({ status: 'resolved' })
    await stack.screenshot(office, 'scenario-6-office-resolved')
  })

  it('draws the supervisor’s dashboard charts from the data', async () => {
    const supervisor = await stack.signIn(SUPERVISOR.email)
    await seen(supervisor.getByRole('heading', { name: 'Cruscotto', level: 1 }), FIRST_LOAD_MS)
    const marks = (chart: string, selector: string) => supervisor.getByTestId(chart).locator(selector)
    for (const chart of ['chart-volumes', 'chart-backlog', 'chart-sla-office', 'chart-first-contact']) {
      await expect
        .poll(() => marks(chart, '.recharts-bar-rectangle path').count(), { timeout: FIRST_LOAD_MS })
        .toBeGreaterThan(0)
    }
    await expect
      .poll(() => marks('chart-sla-period', 'path.recharts-line-curve').count(), { timeout: UI_MS })
      .toBeGreaterThan(0)
    await seen(supervisor.getByTestId('chart-volumes').getByText('Modulo web').first())
    await stack.screenshot(supervisor, 'scenario-7-dashboard')
  })

  it('lets the administrator edit a routing rule; the rule tester explains the match', async () => {
    const admin = await stack.signIn(ADMIN.email)
    await admin.getByRole('menuitem', { name: 'Regole di instradamento' }).click()
    await admin.waitForURL(/#\/routing-rules$/)
    const rule = admin.getByRole('row').filter({ has: admin.getByText('Buche e asfalto', { exact: true }) })
    await rule.getByText('Buche e asfalto', { exact: true }).click()
    await admin.waitForURL(/#\/routing-rules\/\d+$/)
    const words = admin.getByRole('group', { name: 'Almeno una di queste parole' })
    await words.getByRole('button', { name: 'Aggiungi' }).click()
    await words.getByRole('textbox', { name: 'Parola o frase' }).last().fill('avvallamento')
    await button(admin, 'Salva').click()
    await admin.waitForURL(/#\/routing-rules$/)
    await seen(rule.getByText(/«avvallamento» → /))

    const tester = admin.getByRole('region', { name: 'Prova delle regole' })
    await tester.getByRole('textbox', { name: 'Oggetto' }).fill('Avvallamento pericoloso in Via Roma')
    await tester.getByRole('button', { name: 'Prova', exact: true }).click()
    const outcome = tester.getByRole('status')
    await seen(outcome.getByText('Si applica la regola «Buche e asfalto»', { exact: true }))
    await seen(outcome.getByText(/^Trovate le parole: .*avvallamento/i))
    await seen(outcome.getByText(/ufficio Lavori Pubblici/))
    await outcome.scrollIntoViewIfNeeded()
    await stack.screenshot(admin, 'scenario-8-routing-tester')
  })
})
