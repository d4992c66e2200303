import { notifyStaff } from '@filo/core'
import type { Page, WebSocketRoute } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConsoleStack,
  demoUser,
  FIRST_LOAD_MS,
  LIVE_MS,
  type SignInOptions,
  seen,
  startConsoleStack,
  UI_MS,
} from './console-stack.ts'
import { FakePbx } from './fake-pbx.ts'

/**
 * The console live, end to end: the API (with its websocket hub) serves the console's
 * production build; the workers route new cases and their realtime feed turns what is
 * committed into live events; a fake PBX posts CTI events to the real webhook; Debian's
 * Chromium drives the console as the demo operator (extension 201) and supervisor.
 */

const ADMIN = demoUser('admin@filo.demo')
const OPERATOR = demoUser('operatore@filo.demo')
const SUPERVISOR = demoUser('supervisore@filo.demo')
if (OPERATOR.extension !== '201') throw new Error('the demo operator no longer answers on 201')

let stack: ConsoleStack
let testDb: ConsoleStack['testDb']
let apiDeps: ConsoleStack['apiDeps']
let adminCookie: string
let pbx: FakePbx

beforeAll(async () => {
  stack = await startConsoleStack({ name: 'console-live', cases: 40, live: true })
  testDb = stack.testDb
  apiDeps = stack.apiDeps
  adminCookie = await stack.login(ADMIN.email)
  const token = await call<{ token: string }>('POST', '/api/v1/cti-tokens', adminCookie, {
    name: 'Centralino di prova',
  })
  pbx = new FakePbx(stack.app, token.token)
}, 120_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

const call = <T>(method: string, url: string, cookie: string, body?: unknown): Promise<T> =>
  stack.call<T>(method, url, cookie, body)
const login = (email: string) => stack.login(email)

/** A fresh browser (its own session cookie) signed in as `email`, on their first screen, connected live. */
const signIn = (email: string, options: Omit<SignInOptions, 'live'> = {}): Promise<Page> =>
  stack.signIn(email, { ...options, live: true })

/** Waits until the console's websocket is connected (the app bar's indicator says so). */
const live = (page: Page) =>
  seen(page.locator('[data-live-status="live"]'), FIRST_LOAD_MS).then(() => undefined)

/** Nothing focused: keys go to the page's shortcuts, not to a field. */
const blur = (page: Page) => page.evaluate('document.activeElement && document.activeElement.blur()')

const screenshot = (page: Page, name: string) => stack.screenshot(page, name)

interface CaseRecord {
  id: number
  number: string
  subject: string
  version: number
  priority: string
}

describe('the console, live', { timeout: 60_000 }, () => {
  let operator: Page
  let supervisor: Page

  it('shows a case sent in through the web form on the operator’s open list, without a reload', async () => {
    operator = await signIn(OPERATOR.email)
    await operator.goto('/admin/#/cases')
    await seen(operator.getByRole('banner').getByRole('heading', { name: 'Segnalazioni', exact: true }))
    // The workspace in the menu: the operator's own cases and the queues, each counted.
    await seen(operator.getByRole('menuitem', { name: /^Le mie segnalazioni: \d+$/ }))
    const callCentre = operator.getByRole('menuitem', { name: /^Call centre unico: \d+$/ })
    await seen(callCentre)
    const before = Number((await callCentre.getAttribute('aria-label'))?.split(': ')[1])

    const subject = 'Lampione spento davanti alla scuola di via Roma'
    await expect.poll(() => operator.getByText(subject).count(), { timeout: UI_MS }).toBe(0)
    const callCentreQueue = (
      await call<{ id: number; code: string }[]>('GET', '/api/v1/queues', adminCookie)
    ).find((q) => q.code === 'call-centre')
    const created = await call<CaseRecord>('POST', '/api/v1/cases', adminCookie, {
      channel: 'web',
      subject,
      description: 'Dal modulo web: il lampione è spento da tre sere.',
      queueId: callCentreQueue?.id,
    })
    const row = operator.getByRole('row').filter({ hasText: created.number })
    await seen(row, LIVE_MS)
    await seen(row.getByText(subject, { exact: true }))
    // The queue's count followed.
    await expect
      .poll(async () => Number((await callCentre.getAttribute('aria-label'))?.split(': ')[1]), {
        timeout: LIVE_MS,
      })
      .toBe(before + 1)
    await screenshot(operator, 'live-case-list')

    // Keyboard: j moves to the first row, Enter opens it, ? lists the shortcuts.
    await blur(operator)
    await operator.keyboard.press('j')
    await operator.keyboard.press('Enter')
    await operator.waitForURL(new RegExp(`#/cases/${created.id}/show$`))
    await operator.keyboard.press('?')
    const help = operator.getByRole('dialog', { name: 'Scorciatoie da tastiera' })
    await seen(help)
    await seen(help.getByText('Scrivi una nota interna'))
    await screenshot(operator, 'live-shortcuts-help')
    await operator.keyboard.press('Escape')
    await expect.poll(() => help.count(), { timeout: UI_MS }).toBe(0)
  })

  it('shows who else is viewing a case, and tells an editor when someone else changed it', async () => {
    const [target] = await call<CaseRecord[]>(
      'GET',
      `/api/v1/cases?${new URLSearchParams({
        filter: JSON.stringify({ q: 'Lampione spento davanti alla scuola' }),
      })}`,
      adminCookie,
    )
    if (!target) throw new Error('the case of the previous test is missing')
    supervisor = await signIn(SUPERVISOR.email)
    await operator.goto(`/admin/#/cases/${target.id}/show`)
    await supervisor.goto(`/admin/#/cases/${target.id}/show`)
    await seen(operator.getByRole('status', { name: 'La stanno guardando anche: Lucia Bardazzi' }), LIVE_MS)
    await seen(supervisor.getByRole('status', { name: 'La stanno guardando anche: Marco Bettazzi' }), LIVE_MS)
    await screenshot(supervisor, 'live-also-viewing')

    // The supervisor starts editing; the operator changes the case meanwhile (e opens the edit form).
    await supervisor.getByRole('link', { name: 'Modifica', exact: true }).click()
    await supervisor.waitForURL(new RegExp(`#/cases/${target.id}$`))
    const supervisorSubject = supervisor.getByRole('textbox', { name: /^Oggetto/ })
    await expect.poll(() => supervisorSubject.inputValue(), { timeout: UI_MS }).toBe(target.subject)
    await supervisor.getByRole('textbox', { name: /^Indirizzo/ }).fill('Via Roma 12')

    await blur(operator)
    await operator.keyboard.press('e')
    await operator.waitForURL(new RegExp(`#/cases/${target.id}$`))
    const newSubject = `${target.subject} (anche il secondo)`
    await operator.getByRole('textbox', { name: /^Oggetto/ }).fill(newSubject)
    await operator.getByRole('button', { name: 'Salva', exact: true }).click()
    await operator.waitForURL(new RegExp(`#/cases/${target.id}/show$`))

    // Nothing is overwritten silently: the supervisor is told who changed the case, and reloads.
    const notice = supervisor
      .getByRole('alert')
      .filter({ hasText: 'Marco Bettazzi ha modificato questa segnalazione' })
    await seen(notice, LIVE_MS)
    await expect.poll(() => supervisorSubject.inputValue(), { timeout: UI_MS }).toBe(target.subject)
    await screenshot(supervisor, 'live-edit-notice')
    await notice.getByRole('button', { name: 'Ricarica', exact: true }).click()
    await expect.poll(() => supervisorSubject.inputValue(), { timeout: UI_MS }).toBe(newSubject)
    // Their own unsaved change survived the reload.
    await expect
      .poll(() => supervisor.getByRole('textbox', { name: /^Indirizzo/ }).inputValue(), { timeout: UI_MS })
      .toBe('Via Roma 12')
    await expect.poll(() => notice.count(), { timeout: UI_MS }).toBe(0)

    // The operator's case page follows the supervisor's save, and says who changed it.
    await supervisor.getByRole('button', { name: 'Salva', exact: true }).click()
    await supervisor.waitForURL(new RegExp(`#/cases/${target.id}/show$`))
    await seen(operator.getByText('Via Roma 12', { exact: true }), LIVE_MS)
    await seen(
      operator.getByRole('status').filter({ hasText: 'Lucia Bardazzi ha modificato questa segnalazione' }),
    )

    // A note mentioning the operator pops up on their screen.
    await supervisor
      .getByRole('textbox', { name: /^Nuova nota interna/ })
      .fill('@operatore puoi richiamare il cittadino?')
    await supervisor.getByRole('button', { name: 'Aggiungi nota', exact: true }).click()
    await seen(operator.getByText(`Lucia Bardazzi ti ha menzionato in una nota su ${target.number}`), LIVE_MS)
    // …and lands on the operator's timeline without a reload.
    await seen(operator.getByText('@operatore puoi richiamare il cittadino?'), LIVE_MS)
    await screenshot(operator, 'live-case-page')
  })

  it('warns in the resolve dialog when someone else changed the case while it was open', async () => {
    const [target] = await call<CaseRecord[]>(
      'GET',
      `/api/v1/cases?${new URLSearchParams({ filter: JSON.stringify({ q: 'Lampione spento davanti alla scuola' }) })}`,
      adminCookie,
    )
    if (!target) throw new Error('the case of the first test is missing')
    await operator.goto(`/admin/#/cases/${target.id}/show`)
    await operator.getByRole('button', { name: 'Risolvi', exact: true }).click()
    const dialog = operator.getByRole('dialog', { name: `Risolvi la segnalazione ${target.number}` })
    await seen(dialog)
    await dialog.getByRole('textbox', { name: /^Risposta/ }).fill('Il lampione è stato riparato.')
    const supervisorCookie = await login(SUPERVISOR.email)
    await call('PATCH', `/api/v1/cases/${target.id}`, supervisorCookie, {
      priority: 'high',
      version: target.version,
    })
    const warning = dialog.getByRole('alert').filter({ hasText: 'Qualcuno ha modificato la segnalazione' })
    await seen(warning, LIVE_MS)
    await screenshot(operator, 'live-resolve-warning')
    // Until the operator says they checked, confirming answers with the version they read: refused.
    await dialog.getByRole('button', { name: 'Risolvi', exact: true }).click()
    await seen(operator.getByText(/Nel frattempo qualcun altro ha modificato la segnalazione/))
    await expect
      .poll(
        async () =>
          (await call<CaseRecord & { status: string }>('GET', `/api/v1/cases/${target.id}`, adminCookie))
            .status,
      )
      .not.toBe('resolved')
    await dialog.getByRole('button', { name: 'Ho controllato', exact: true }).click()
    await expect.poll(() => warning.count()).toBe(0)
    await dialog.getByRole('button', { name: 'Risolvi', exact: true }).click()
    await expect
      .poll(
        async () =>
          (await call<CaseRecord & { status: string }>('GET', `/api/v1/cases/${target.id}`, adminCookie))
            .status,
        {
          timeout: UI_MS,
        },
      )
      .toBe('resolved')
  })

  it('pops the caller’s card up when the operator answers, and opens a case from the call in one click', async () => {
    const contact = await call<{ id: number; displayName: string }>('POST', '/api/v1/contacts', adminCookie, {
      kind: 'person',
      firstName: 'Giulia',
      lastName: 'Pacini',
      phones: [{ phone: '+39 0574 555 0101' }],
    })
    const open = await call<CaseRecord>('POST', '/api/v1/cases', adminCookie, {
      channel: 'email',
      subject: 'Buca in via Pistoiese',
      contactId: contact.id,
    })
    await operator.goto('/admin/#/cases')
    await live(operator)
    const phone = pbx.call('05745550101', '0574183111', { queue: 'call-centre' })
    await phone.ring()
    await phone.answer(OPERATOR.extension)

    const pop = operator.getByRole('dialog', { name: /^Chiamata in corso con \+3905745550101/ })
    await seen(pop, LIVE_MS)
    await seen(pop.getByText('Chiamante riconosciuto'))
    await seen(pop.getByText('Giulia Pacini', { exact: true }))
    await seen(pop.getByText(`${open.number} — Buca in via Pistoiese`))
    await screenshot(operator, 'live-screen-pop')
    // The caller hangs up before the case is opened: the card stays and says so.
    await phone.hangup('normalClearing', OPERATOR.extension)
    await seen(pop.getByText('Chiamata terminata', { exact: true }), LIVE_MS)

    await pop.getByRole('button', { name: 'Nuova segnalazione da questa chiamata', exact: true }).click()
    await operator.waitForURL(/#\/cases\/\d+\/show$/)
    const caseId = Number(/#\/cases\/(\d+)\/show$/.exec(operator.url())?.[1])
    expect(caseId).not.toBe(open.id)
    const [logged] = await call<{ id: number; caseId: number | null; contactId: number | null }[]>(
      'GET',
      `/api/v1/calls?${new URLSearchParams({ filter: JSON.stringify({ q: '0574 5550101' }) })}`,
      adminCookie,
    )
    expect(logged).toMatchObject({ caseId, contactId: contact.id })
    const made = await call<{ channel: string; contactId: number | null }>(
      'GET',
      `/api/v1/cases/${caseId}`,
      adminCookie,
    )
    expect(made).toMatchObject({ channel: 'phone', contactId: contact.id })
    await seen(operator.getByText('Chiamata da Giulia Pacini', { exact: true }))
  })

  it('asks which contact is calling when the number belongs to several, and opens the case for the one chosen', async () => {
    const family = []
    for (const firstName of ['Anna', 'Paolo']) {
      family.push(
        await call<{ id: number }>('POST', '/api/v1/contacts', adminCookie, {
          kind: 'person',
          firstName,
          lastName: 'Gori',
          phones: [{ phone: '+39 0574 555 0202' }],
        }),
      )
    }
    const phone = pbx.call('+3905745550202', '0574183111', { queue: 'call-centre' })
    await phone.ring()
    await phone.answer(OPERATOR.extension)
    const pop = operator.getByRole('dialog', { name: /^Chiamata in corso con \+3905745550202/ })
    await seen(pop, LIVE_MS)
    await seen(pop.getByText('Chiamante probabile: 2 contatti'))
    await pop.getByRole('radio', { name: /^Paolo Gori/ }).check()
    await screenshot(operator, 'live-screen-pop-probable')
    const answer = operator.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/api\/v1\/calls\/\d+\/case$/.test(r.url()),
    )
    await pop.getByRole('button', { name: 'Nuova segnalazione da questa chiamata', exact: true }).click()
    const result = (await (await answer).json()) as {
      created: boolean
      case: { id: number; contactId: number }
    }
    expect(result).toMatchObject({ created: true, case: { contactId: family[1]?.id } })
    await operator.waitForURL(new RegExp(`#/cases/${result.case.id}/show$`))
    await seen(operator.getByText('Chiamata da Paolo Gori', { exact: true }))
    await phone.hangup('normalClearing', OPERATOR.extension)
  })

  it('shows the wallboard with its figures, and counts a call as it starts ringing', async () => {
    await supervisor.goto('/admin/#/cases')
    await supervisor.getByRole('menuitem', { name: 'Wallboard', exact: true }).click()
    await supervisor.waitForURL(/#\/wallboard$/)
    const waiting = supervisor.getByRole('group', { name: 'In attesa', exact: true })
    await seen(waiting)
    await expect.poll(() => waiting.locator('[data-figure]').textContent(), { timeout: UI_MS }).toBe('0')
    const today = supervisor
      .getByRole('group', { name: 'Ricevute oggi', exact: true })
      .locator('[data-figure]')
    // The operator's calls of the previous tests.
    await expect.poll(async () => Number(await today.textContent()), { timeout: UI_MS }).toBeGreaterThan(0)
    const before = Number(await today.textContent())
    await seen(
      supervisor.getByRole('table', { name: 'Segnalazioni per coda' }).getByText('Call centre unico'),
    )
    await seen(supervisor.getByRole('table', { name: 'Operatori' }).getByText('Marco Bettazzi'))
    await expect.poll(() => supervisor.getByRole('button', { name: /chiamat. in attesa$/ }).count()).toBe(0)

    const phone = pbx.call('3331234567', '0574183111', { queue: 'call-centre' })
    await phone.ring()
    await expect.poll(() => waiting.locator('[data-figure]').textContent(), { timeout: LIVE_MS }).toBe('1')
    await expect.poll(() => today.textContent(), { timeout: UI_MS }).toBe(String(before + 1))
    // The supervisor follows the call centre's queue: the app bar says a call is ringing there.
    await seen(supervisor.getByRole('button', { name: '1 chiamata in attesa', exact: true }))
    await screenshot(supervisor, 'live-wallboard')
    await phone.hangup('cancel')
    await expect.poll(() => waiting.locator('[data-figure]').textContent(), { timeout: LIVE_MS }).toBe('0')
  })

  it('rings the bell the moment an SLA notification is written, with a toast', async () => {
    await operator.goto('/admin/#/cases')
    await live(operator)
    const bell = operator.getByRole('button', { name: /^Notifiche: \d+ da leggere$/ })
    await seen(bell)
    const label = await bell.getAttribute('aria-label')
    const before = Number(/(\d+)/.exec(label ?? '')?.[1])
    const user = await testDb.db
      .selectFrom('staffUsers')
      .select('id')
      .where('email', '=', OPERATOR.email)
      .executeTakeFirstOrThrow()
    const [slaCase] = await call<CaseRecord[]>('GET', '/api/v1/cases?range=[0,0]', adminCookie)
    if (!slaCase) throw new Error('no case to notify about')
    await testDb.db.transaction().execute((trx) =>
      notifyStaff(trx, [user.id], {
        kind: 'sla_breach',
        caseId: slaCase.id,
        data: { target: 'resolution', dueAt: new Date().toISOString() },
        dedupeKey: `test-breach:${slaCase.id}`,
      }),
    )
    await seen(
      operator.getByRole('button', { name: `Notifiche: ${before + 1} da leggere`, exact: true }),
      LIVE_MS,
    )
    await seen(operator.getByText(`Scadenza superata · ${slaCase.number}`, { exact: false }))
    await screenshot(operator, 'live-bell')
  })

  it('resumes after a dropped connection and shows what happened meanwhile', async () => {
    // The console's websocket goes through a route the test can cut, like a network drop.
    const sockets: { url: string; route: WebSocketRoute }[] = []
    let gate: Promise<void> = Promise.resolve()
    const page = await signIn(OPERATOR.email, {
      prepare: (context) =>
        context.routeWebSocket(/\/api\/v1\/ws/, async (route) => {
          sockets.push({ url: route.url(), route })
          await gate
          route.connectToServer()
        }),
    })
    await seen(page.getByRole('banner').getByRole('heading', { name: 'Segnalazioni', exact: true }))
    expect(sockets).toHaveLength(1)
    expect(sockets[0]?.url).not.toContain('since=')

    let reconnect = () => {}
    gate = new Promise<void>((resolve) => {
      reconnect = resolve
    })
    await sockets[0]?.route.close({ code: 4001, reason: 'test: network drop' })
    await seen(page.locator('[data-live-status="offline"], [data-live-status="connecting"]'))
    const subject = 'Tombino rumoroso in via Bologna'
    const before = await apiDeps.realtime.head()
    const created = await call<CaseRecord>('POST', '/api/v1/cases', adminCookie, { channel: 'web', subject })
    // Its live event goes out while this console is away.
    await expect
      .poll(
        async () =>
          (await apiDeps.realtime.since(before))?.some(
            (e) => e.type === 'case.created' && e.case?.id === created.id,
          ),
        { timeout: LIVE_MS },
      )
      .toBe(true)
    await expect.poll(() => page.getByText(subject).count()).toBe(0)

    reconnect()
    await live(page)
    expect(sockets.length).toBeGreaterThanOrEqual(2)
    expect(sockets.at(-1)?.url).toMatch(/\?since=\d+-\d+$/)
    // What it missed is replayed from the stream: the list shows the new case.
    await seen(page.getByRole('row').filter({ hasText: created.number }), LIVE_MS)
  })
})
