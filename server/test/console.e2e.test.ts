import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../core/src/seed/seed.ts'
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
 * The foundation's "done when", end to end: a clean database with the demo data, the
 * real API serving the console's production build, the workers running, and Debian's
 * Chromium driving the console as an operator would.
 */

const SEEDED_CASES = 300
const PAGE_SIZE = 25 // CaseList's perPage
const OPERATOR = demoUser('operatore@filo.demo')
const ADMIN = demoUser('admin@filo.demo')

let stack: ConsoleStack
let context: BrowserContext
let page: Page

beforeAll(async () => {
  stack = await startConsoleStack({ name: 'console', cases: SEEDED_CASES })
  context = await stack.browser.newContext({
    baseURL: stack.baseUrl,
    // An English browser: the console must still open in Italian, its own default.
    locale: 'en-US',
    viewport: { width: 1400, height: 900 },
  })
  page = await context.newPage()
  page.setDefaultTimeout(UI_MS)
}, 120_000)

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page) return
  await stack.screenshot(page, `failed-${Date.now()}`).catch(() => undefined)
  console.error(`console e2e: "${ctx.task.name}" failed at ${page.url()}; screenshot in ${stack.artefacts}`)
})

afterAll(async () => {
  await context?.close()
  await stack?.stop()
}, 60_000)

// Required fields' labels end with " *"; the password's visibility toggle is labelled "Mostra la password".
const emailInput = () => page.getByLabel(/^Email/)
const passwordInput = () => page.getByLabel(/^Password/)
const signIn = () => page.getByRole('button', { name: 'Accedi', exact: true })
const title = (name: string) => page.getByRole('banner').getByRole('heading', { name, exact: true })
const caseRows = () => page.getByRole('row').filter({ hasText: /PRA-\d{4}-\d{6}/ })
const cell = (name: string) => page.getByRole('cell', { name, exact: true })
const button = (name: string) => page.getByRole('button', { name, exact: true })
const timelineRow = (kind: string) => page.getByRole('row').filter({ has: cell(kind) })

let created: { id: number; number: string }

describe('the console, served by the API, with the demo data and the workers', () => {
  it('opens on the Italian login page', async () => {
    await page.goto('/admin/', { timeout: FIRST_LOAD_MS })
    await seen(signIn(), FIRST_LOAD_MS)
    expect(page.url()).toMatch(/\/admin\/#\/login$/)
    await seen(page.getByText('Filo — Comune di Prato', { exact: true }))
    await seen(emailInput())
    await seen(passwordInput())
    await seen(page.getByRole('button', { name: 'Italiano', exact: true }))
    expect(await page.locator('html').getAttribute('lang')).toBe('it')
  }, 45_000)

  it('shows the server’s Italian message for a wrong password', async () => {
    await emailInput().fill(OPERATOR.email)
    await passwordInput().fill('not-the-password')
    await signIn().click()
    await seen(page.getByText('Email o password non corretti.', { exact: true }))
    expect(page.url()).toMatch(/#\/login$/)
  })

  it('signs the operator in and lists the seeded cases, a page at a time', async () => {
    await passwordInput().fill(DEMO_PASSWORD)
    await signIn().click()
    await seen(caseRows().first(), FIRST_LOAD_MS)
    expect(page.url()).toMatch(/#\/cases/)
    await seen(title('Segnalazioni'))
    expect(await page.getByRole('columnheader').allInnerTexts()).toEqual([
      'Numero',
      'Oggetto',
      'Stato',
      'Priorità',
      'Canale',
      'Ufficio',
      'Categoria',
      'Scadenza',
      'Creata il',
    ])
    await seen(page.getByText(`1-${PAGE_SIZE} di ${SEEDED_CASES}`, { exact: true }))
    expect(await caseRows().count()).toBe(PAGE_SIZE)
  }, 45_000)

  it('shows a case created through the API, with the worker’s acknowledgement on its timeline', async () => {
    // Sent by the browser context's request client, so with the console's own session cookie.
    const res = await context.request.post('/api/v1/cases', {
      data: { subject: 'Lampione spento in Via Ricasoli', channel: 'phone' },
    })
    expect(res.status()).toBe(201)
    created = (await res.json()) as { id: number; number: string }
    expect(created.number).toMatch(/^PRA-\d{4}-\d{6}$/)

    // Newest first: after a reload it heads the list.
    await page.reload()
    const row = caseRows().filter({ hasText: created.number })
    await seen(row)
    await seen(row.getByText('Lampione spento in Via Ricasoli', { exact: true }))
    await seen(page.getByText(`1-${PAGE_SIZE} di ${SEEDED_CASES + 1}`, { exact: true }))

    await row.getByText(created.number, { exact: true }).click()
    await page.waitForURL(new RegExp(`#/cases/${created.id}/show$`))
    await seen(title(`Segnalazione ${created.number}`))
    await seen(page.getByRole('heading', { name: 'Cronologia', exact: true }))
    await seen(cell('Segnalazione creata'))
    await reloadUntilVisible(page, () => cell('Presa in carico automatica confermata'))
    // Created by the operator; acknowledged (and routed) by the system (the worker has no actor).
    await seen(cell(OPERATOR.fullName))
    await seen(cell('Sistema').first())
  }, 30_000)

  it('edits the case’s priority in the edit form, sending only what changed with the version read', async () => {
    const before = (await (await context.request.get(`/api/v1/cases/${created.id}`)).json()) as {
      version: number
    }
    await page.getByRole('link', { name: 'Modifica', exact: true }).click()
    await page.waitForURL(new RegExp(`#/cases/${created.id}$`))
    // The edit form, not the show page's triage inputs it replaces.
    await seen(button('Salva'))
    await page.getByRole('combobox', { name: /^Priorità/ }).click()
    await page.getByRole('option', { name: 'Alta', exact: true }).click()
    const patch = page.waitForRequest(
      (r) => r.method() === 'PATCH' && r.url().endsWith(`/cases/${created.id}`),
    )
    await button('Salva').click()
    expect((await patch).postDataJSON()).toEqual({ priority: 'high', version: before.version })
    await page.waitForURL(new RegExp(`#/cases/${created.id}/show$`))
    await seen(page.getByRole('group', { name: 'Smistamento' }).getByRole('combobox', { name: 'Priorità' }))
    expect(
      await page
        .getByRole('group', { name: 'Smistamento' })
        .getByRole('combobox', { name: 'Priorità' })
        .textContent(),
    ).toBe('Alta')
    await seen(timelineRow('Segnalazione modificata').getByText('Priorità: Normale → Alta'))
  })

  it('takes the case on and resolves it with an answer, from the status buttons', async () => {
    await button('Prendi in carico').click()
    await seen(page.getByText('Aperta', { exact: true }))
    await seen(timelineRow('Stato cambiato').getByText('Nuova → Aperta'))
    // Resolving is answering: the dialog asks for the words the timeline keeps.
    await button('Risolvi').click()
    const dialog = page.getByRole('dialog')
    await dialog
      .getByRole('textbox', { name: /^Risposta/ })
      .fill('Lampione sostituito dalla ditta incaricata.')
    await dialog.getByRole('button', { name: 'Risolvi', exact: true }).click()
    await seen(page.getByText('Risolta', { exact: true }))
    await seen(page.getByText('Lampione sostituito dalla ditta incaricata.', { exact: true }))
    await seen(button('Riapri'))
    const after = (await (await context.request.get(`/api/v1/cases/${created.id}`)).json()) as {
      status: string
    }
    expect(after.status).toBe('resolved')
  })

  it('adds an internal note with a mention and shows it on the timeline', async () => {
    const handle = ADMIN.email.split('@')[0]
    await page
      .getByRole('textbox', { name: 'Nuova nota interna' })
      .fill(`Richiamare il cittadino, @${handle} è informato.`)
    await button('Aggiungi nota').click()
    const note = timelineRow('Nota interna')
    await seen(note.getByText(`Richiamare il cittadino, @${handle} è informato.`, { exact: true }))
    await seen(note.getByText(`@${ADMIN.fullName}`, { exact: true }))
    expect(await page.getByRole('textbox', { name: 'Nuova nota interna' }).inputValue()).toBe('')
  })

  it('opens a contact from the contacts list', async () => {
    await page.getByRole('menuitem', { name: 'Contatti' }).click()
    await page.waitForURL(/#\/contacts/)
    await seen(title('Contatti'))
    const first = page.getByRole('row').nth(1)
    const name = (await first.getByRole('cell').first().textContent())?.trim() ?? ''
    expect(name).not.toBe('')
    await first.getByText(name, { exact: true }).click()
    await page.waitForURL(/#\/contacts\/\d+\/show$/)
    await seen(title(`Contatto ${name}`))
    await seen(page.getByRole('heading', { name: 'Segnalazioni del contatto', exact: true }))
    await seen(page.getByRole('heading', { name: 'Possibili duplicati', exact: true }))
  })

  it('switches to English from the locale menu', async () => {
    await page.goto(`/admin/#/cases/${created.id}/show`)
    await seen(title(`Segnalazione ${created.number}`))
    await page.getByRole('button', { name: 'Italiano', exact: true }).click()
    await page.getByRole('menuitem', { name: 'English', exact: true }).click()
    await seen(title(`Case ${created.number}`))
    await seen(page.getByRole('heading', { name: 'Timeline', exact: true }))
    await seen(cell('Case created'))
    await seen(page.getByRole('button', { name: 'English', exact: true }))
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
  })
})
