import { fireDueTimers, notifyStaff } from '@filo/core'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../core/test/fixtures.ts'
import {
  type ConsoleStack,
  demoUser,
  FIRST_LOAD_MS,
  seen,
  startConsoleStack,
  UI_MS,
} from './console-stack.ts'

/**
 * The console's side of the pipeline, end to end: SLA policies and business calendars
 * (with the server's preview), a case's SLA countdowns, the notifications bell and the
 * presence selector. The real API serves the console's production build on a database
 * with the demo data; the workers route new cases (which applies their SLA); Debian's
 * Chromium drives the console as an administrator and as a supervisor.
 */

const ADMIN = demoUser('admin@filo.demo')
const SUPERVISOR = demoUser('supervisore@filo.demo')

let stack: ConsoleStack
let testDb: ConsoleStack['testDb']
let context: BrowserContext
let page: Page

beforeAll(async () => {
  stack = await startConsoleStack({ name: 'console-sla', cases: 40 })
  testDb = stack.testDb
}, 120_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

/** A fresh browser (its own session cookie) signed in as `email`, on their home page. */
async function signInAs(email: string): Promise<void> {
  await context?.close()
  page = await stack.signIn(email)
  context = page.context()
}

const screenshot = (name: string) => stack.screenshot(page, name)

const button = (name: string) => page.getByRole('button', { name, exact: true })
const title = (name: string) => page.getByRole('banner').getByRole('heading', { name, exact: true })
const rowWith = (text: string) => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) })
const timelineRow = (kind: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) })
const api = async <T>(url: string): Promise<T> => {
  const res = await context.request.get(url)
  expect(res.status(), url).toBe(200)
  return (await res.json()) as T
}

interface Policy {
  id: number
  name: string
  categoryId: number | null
  priority: string | null
  firstResponseMinutes: number
  resolutionMinutes: number
  warnPercent: number
  onWarning: Record<string, unknown>
  onBreach: Record<string, unknown>
  version: number
}
interface SlaCase {
  id: number
  number: string
  slaPolicyId: number | null
  firstResponseDueAt: string | null
  version: number
}

describe('SLA administration in the console', () => {
  it('lets an administrator create an SLA policy, with targets in hours and minutes', async () => {
    await signInAs(ADMIN.email)
    await page.getByRole('menuitem', { name: 'Politiche SLA' }).click()
    await page.waitForURL(/#\/sla-policies$/)
    await seen(title('Politiche SLA'))
    // The demo policies, each target in hours and minutes of business time.
    const standard = rowWith('Standard')
    await seen(standard.getByText('9 h', { exact: true }))
    await seen(standard.getByText('135 h', { exact: true }))
    await screenshot('sla-policies-list')

    await page.getByRole('link', { name: 'Crea', exact: true }).click()
    await page.waitForURL(/#\/sla-policies\/create$/)
    await page.getByRole('textbox', { name: /^Nome/ }).fill('Semafori guasti')
    await page.getByRole('combobox', { name: /^Categoria/ }).fill('Semaforo')
    await page.getByRole('option', { name: 'Semaforo guasto', exact: true }).click()
    await page.getByRole('combobox', { name: /^Calendario/ }).click()
    await page.getByRole('option', { name: 'Comune di Prato – sportelli', exact: true }).click()
    await page.getByRole('spinbutton', { name: 'Prima risposta entro: Ore' }).fill('2')
    await page.getByRole('spinbutton', { name: 'Prima risposta entro: Minuti' }).fill('30')
    await page.getByRole('spinbutton', { name: 'Risoluzione entro: Ore' }).fill('20')
    await page.getByRole('spinbutton', { name: 'Risoluzione entro: Minuti' }).fill('0')
    await page.getByRole('spinbutton', { name: /^Avviso al/ }).fill('80')
    const onBreach = page.getByRole('group', { name: 'Quando il termine è superato' })
    await onBreach.getByLabel('Alza la priorità di un livello').check()
    await onBreach.getByRole('combobox', { name: 'Sposta nella coda' }).click()
    await page.getByRole('option', { name: 'Smistamento (triage)', exact: true }).click()
    await screenshot('sla-policy-create')
    const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/sla-policies'))
    await button('Salva').click()
    const body = (await post).postDataJSON() as Policy
    expect(body).toMatchObject({ firstResponseMinutes: 150, resolutionMinutes: 1200, warnPercent: 80 })

    await page.waitForURL(/#\/sla-policies$/)
    const created = rowWith('Semafori guasti')
    await seen(created.getByText('2 h 30 min', { exact: true }))
    await seen(created.getByText('20 h', { exact: true }))
    await seen(created.getByText('Semaforo guasto', { exact: true }))
    const [policy] = await api<Policy[]>(
      `/api/v1/sla-policies?filter=${encodeURIComponent(JSON.stringify({ q: 'Semafori' }))}`,
    )
    const triage = (await api<{ id: number; name: string }[]>('/api/v1/queues')).find(
      (q) => q.name === 'Smistamento (triage)',
    )
    expect(policy).toMatchObject({
      name: 'Semafori guasti',
      priority: null,
      firstResponseMinutes: 150,
      resolutionMinutes: 1200,
      warnPercent: 80,
      onWarning: { notifySupervisors: true, raisePriority: false },
      onBreach: { notifySupervisors: true, raisePriority: true, moveToQueueId: triage?.id },
    })
  })

  it('keeps the administrator’s edit when someone else saved the policy first', async () => {
    const [policy] = await api<Policy[]>(
      `/api/v1/sla-policies?filter=${encodeURIComponent(JSON.stringify({ q: 'Semafori' }))}`,
    )
    if (!policy) throw new Error('the policy of the previous test is missing')
    await rowWith('Semafori guasti').getByText('Semafori guasti', { exact: true }).click()
    await page.waitForURL(new RegExp(`#/sla-policies/${policy.id}$`))
    await seen(page.getByRole('spinbutton', { name: 'Prima risposta entro: Ore' }))
    const res = await context.request.patch(`/api/v1/sla-policies/${policy.id}`, {
      data: { warnPercent: 70, version: policy.version },
    })
    expect(res.status()).toBe(200)
    await page.getByRole('spinbutton', { name: 'Risoluzione entro: Ore' }).fill('18')
    await button('Salva').click()
    await seen(button('Ricarica'))
    await seen(page.getByRole('alert').filter({ hasText: 'le tue modifiche restano nel modulo' }))
    await button('Ricarica').click()
    // The other person's change arrives with the reload; the administrator's own edit stays.
    await expect
      .poll(() => page.getByRole('spinbutton', { name: /^Avviso al/ }).inputValue(), { timeout: UI_MS })
      .toBe('70')
    expect(await page.getByRole('spinbutton', { name: 'Risoluzione entro: Ore' }).inputValue()).toBe('18')
    await button('Salva').click()
    await page.waitForURL(/#\/sla-policies$/)
    await seen(rowWith('Semafori guasti').getByText('18 h', { exact: true }))
  })

  it('lets an administrator add an afternoon to a calendar and see the deadline move in the preview', async () => {
    if (!page) await signInAs(ADMIN.email)
    await page.getByRole('menuitem', { name: 'Calendari lavorativi' }).click()
    await page.waitForURL(/#\/business-calendars$/)
    await seen(title('Calendari lavorativi'))
    await rowWith('prato').getByText('Comune di Prato – sportelli', { exact: true }).click()
    await page.waitForURL(/#\/business-calendars\/\d+$/)
    const calendarId = Number(page.url().split('/').pop())

    const preview = page.getByRole('region', { name: 'Anteprima del calendario' })
    // Easter Monday is computed; Santo Stefano is both national and Prato's own.
    await preview.getByRole('spinbutton', { name: 'Anno' }).fill('2026')
    await seen(preview.getByText('lunedì 6 aprile — Lunedì dell’Angelo (Pasquetta)', { exact: true }))
    await seen(preview.getByText(/^sabato 26 dicembre — Santo Stefano/).first())

    // Monday 2 March 2026, 12:00: two business hours reach into Tuesday while Monday has mornings only.
    await preview.getByLabel('A partire da (ora italiana)').fill('2026-03-02T12:00')
    await preview.getByRole('spinbutton', { name: 'Ore' }).fill('2')
    await preview.getByRole('spinbutton', { name: 'Minuti' }).fill('0')
    await preview.getByRole('button', { name: 'Calcola' }).click()
    await seen(preview.getByRole('status').filter({ hasText: 'scadenza il 03/03/2026, 09:30' }))

    await seen(page.getByText('Chiuso', { exact: true }).first())
    await button('Aggiungi un intervallo a Lunedì').click()
    await page.getByRole('textbox', { name: 'Lunedì: Dalle (2)' }).fill('14:30')
    await page.getByRole('textbox', { name: 'Lunedì: Alle (2)' }).fill('17:30')
    await seen(page.getByText('31 h 30 min a settimana', { exact: true }))
    await screenshot('business-calendar-edit')
    await button('Salva').click()
    // Saved, the preview is computed again on the new hours: the deadline stays on Monday.
    await seen(preview.getByRole('status').filter({ hasText: 'scadenza il 02/03/2026, 15:30' }))
    await screenshot('business-calendar-preview')
    const saved = await api<{ settings: { weeklyHours: { mon: unknown[] } } }>(
      `/api/v1/business-calendars/${calendarId}`,
    )
    expect(saved.settings.weeklyHours.mon).toEqual([
      { from: '08:30', to: '13:00' },
      { from: '14:30', to: '17:30' },
    ])
  })
})

describe('assignment settings in the console', () => {
  it('lets an administrator set a queue’s strategy, its members and what happens when they go offline', async () => {
    await page.getByRole('menuitem', { name: 'Code' }).click()
    await page.waitForURL(/#\/queues$/)
    await seen(title('Code'))
    await rowWith('Smistamento (triage)').getByText('Smistamento (triage)', { exact: true }).click()
    await page.waitForURL(/#\/queues\/\d+$/)
    const queueId = Number(page.url().split('/').pop())
    const before = await api<{ memberIds: number[] }>(`/api/v1/queues/${queueId}`)
    const staff = await api<{ id: number; fullName: string }[]>(
      `/api/v1/users?filter=${encodeURIComponent(JSON.stringify({ active: true }))}&range=[0,199]`,
    )
    const newcomer = staff.find((u) => !before.memberIds.includes(u.id))
    if (!newcomer) throw new Error('every active user is already in the triage queue')
    await page.getByRole('combobox', { name: /^Assegnazione/ }).click()
    await page.getByRole('option', { name: 'Al meno carico', exact: true }).click()
    await page.getByLabel('Rimetti in coda le segnalazioni di chi va offline').uncheck()
    await page.getByRole('combobox', { name: 'Operatori della coda' }).fill(newcomer.fullName)
    await page.getByRole('option', { name: newcomer.fullName, exact: true }).click()
    await screenshot('queue-edit')
    await button('Salva').click()
    await page.waitForURL(/#\/queues$/)
    const row = rowWith('Smistamento (triage)')
    await seen(row.getByText('Al meno carico', { exact: true }))
    await seen(row.getByText(newcomer.fullName, { exact: true }))
    const queue = await api<{ assignmentStrategy: string; releaseOnOffline: boolean; memberIds: number[] }>(
      `/api/v1/queues/${queueId}`,
    )
    expect(queue).toMatchObject({ assignmentStrategy: 'least_loaded', releaseOnOffline: false })
    expect([...queue.memberIds].sort()).toEqual([...before.memberIds, newcomer.id].sort())
  })

  it('lets an administrator require a skill for a category', async () => {
    await page.getByRole('menuitem', { name: 'Categorie' }).click()
    await page.waitForURL(/#\/categories/)
    await seen(title('Categorie'))
    await page.getByText('Alberi pericolanti', { exact: true }).first().click()
    await page.waitForURL(/#\/categories\/\d+$/)
    const categoryId = Number(page.url().split('/').pop())
    await page.getByRole('combobox', { name: 'Competenze richieste' }).fill('potature')
    await page.getByRole('option', { name: 'Crea potature' }).click()
    await button('Salva').click()
    await page.waitForURL(/#\/categories$/)
    const category = await api<{ requiredSkills: string[] }>(`/api/v1/categories/${categoryId}`)
    expect(category.requiredSkills).toEqual(['potature'])
  })
})

describe('the supervisor’s console', () => {
  let slaCase: SlaCase

  it('shows the SLA countdowns on a case the pipeline gave a policy', async () => {
    await signInAs(SUPERVISOR.email)
    const potholes = (
      await api<{ id: number; code: string }[]>(
        `/api/v1/categories?filter=${encodeURIComponent(JSON.stringify({ q: 'Buche' }))}`,
      )
    ).find((c) => c.code === 'strade.buche')
    const res = await context.request.post('/api/v1/cases', {
      data: {
        subject: 'Voragine sulla carreggiata in Via Pistoiese',
        channel: 'phone',
        categoryId: potholes?.id,
      },
    })
    expect(res.status()).toBe(201)
    const { id } = (await res.json()) as { id: number }
    // The worker routes the case, and routing applies the category's policy.
    slaCase = await waitFor(async () => {
      const c = await api<SlaCase>(`/api/v1/cases/${id}`)
      return c.slaPolicyId !== null && c.firstResponseDueAt ? c : undefined
    }, 15_000)

    await page.goto(`/admin/#/cases/${slaCase.id}/show`)
    await seen(title(`Segnalazione ${slaCase.number}`))
    await seen(page.getByRole('heading', { name: 'Tempi di servizio (SLA)', exact: true }))
    await seen(page.getByRole('link', { name: 'Buche stradali', exact: true }))
    for (const clock of ['Prima risposta', 'Risoluzione']) {
      const card = page.getByRole('region', { name: clock, exact: true })
      await seen(card.getByText('Nei tempi', { exact: true }))
      await seen(card.getByText(/^tra \d+ (minut[oi]|or[ae]|giorn[oi])$/))
      await seen(card.getByText(/^Entro il \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} · avviso dal /))
    }
    await seen(timelineRow('Politica SLA applicata').getByText('Politica «Buche stradali»', { exact: true }))
    // The routing decision in words: the summary, then the server's explanation.
    const routed = timelineRow('Instradata')
    await seen(routed.getByText(/^Nessuna regola: instradamento predefinito · Impostato: /))
    await seen(
      routed.getByText('Nessuna regola applicabile: usato l’instradamento predefinito.', { exact: true }),
    )
    await screenshot('case-sla-panel')
  })

  it('marks the late and overdue cases in the list, with the SLA filter explained', async () => {
    // A case whose first response came due two hours ago, whatever the seed's dates.
    const overdue = await testDb.db
      .updateTable('cases')
      .set({
        firstRespondedAt: null,
        firstResponseWarnAt: new Date(Date.now() - 3 * 3_600_000),
        firstResponseDueAt: new Date(Date.now() - 2 * 3_600_000 - 60_000),
      })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('cases')
          .select('id')
          .where('status', 'in', ['open', 'in_progress'])
          .where('slaPolicyId', 'is not', null)
          .where('slaPausedAt', 'is', null)
          .where('mergedIntoId', 'is', null)
          .orderBy('id')
          .limit(1),
      )
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow()
    await page.goto(`/admin/#/cases?filter=${encodeURIComponent(JSON.stringify({ slaState: 'breached' }))}`)
    await seen(page.getByRole('columnheader', { name: 'Scadenza' }))
    const rows = page.getByRole('row').filter({ hasText: /PRA-\d{4}-\d{6}/ })
    await seen(rows.first())
    const count = await rows.count()
    expect(await rows.getByText('Scaduta', { exact: true }).count()).toBe(count)
    await page.getByRole('combobox', { name: /^Scadenza/ }).click()
    await seen(page.getByRole('option', { name: /^In scadenza.*superata la soglia di avviso/ }))
    await page.keyboard.press('Escape')
    await screenshot('case-list-sla')

    await page.goto(`/admin/#/cases/${overdue.id}/show`)
    await seen(title(`Segnalazione ${overdue.number}`))
    const firstResponse = page.getByRole('region', { name: 'Prima risposta', exact: true })
    await seen(firstResponse.getByText('Scaduta', { exact: true }))
    await seen(firstResponse.getByText('scaduta da 2 ore', { exact: true }))
  })

  it('shows an SLA breach in the bell, opens its case, and clears the count when read', async () => {
    // The breach timer fires through the real engine: the pothole policy notifies supervisors and raises priority.
    const at = new Date(new Date(slaCase.firstResponseDueAt ?? '').getTime() + 60_000)
    await testDb.db.transaction().execute((trx) => fireDueTimers(trx, slaCase.id, at))
    const inbox = await api<{ unread: number; rows: { kind: string; caseId: number }[] }>(
      '/api/v1/me/notifications',
    )
    // The warning came due on the way: both timers fire, each telling the supervisors once.
    expect(inbox.unread).toBe(2)
    expect(inbox.rows.map((r) => [r.kind, r.caseId])).toEqual([
      ['sla_breach', slaCase.id],
      ['sla_warning', slaCase.id],
    ])

    await page.goto('/admin/#/cases')
    await page.reload()
    const bell = page.getByRole('button', { name: 'Notifiche: 2 da leggere', exact: true })
    await seen(bell, FIRST_LOAD_MS)
    await bell.click()
    const list = page.getByRole('dialog', { name: 'Notifiche' })
    await seen(list.getByText(`Scadenza superata · ${slaCase.number}`, { exact: true }))
    await seen(
      list
        .getByText(
          /Voragine sulla carreggiata in Via Pistoiese — Prima risposta, entro il \d{2}\/\d{2}\/\d{4}/,
        )
        .first(),
    )
    await seen(list.getByText(`Scadenza vicina · ${slaCase.number}`, { exact: true }))
    await screenshot('notifications')
    await list.getByText(`Scadenza superata · ${slaCase.number}`, { exact: true }).click()
    await page.waitForURL(new RegExp(`#/cases/${slaCase.id}/show$`))
    await seen(page.getByRole('button', { name: 'Notifiche: 1 da leggere', exact: true }))
    expect((await api<{ unread: number }>('/api/v1/me/notifications')).unread).toBe(1)

    // The timeline says what fired and what the escalation did.
    await seen(timelineRow('Scadenza superata').getByText(/^Prima risposta: termine superato il /))
    await seen(timelineRow('Segnalazione scalata').getByText('Priorità: Normale → Alta'))
  })

  it('marks one notification read, then all of them', async () => {
    const supervisor = await testDb.db
      .selectFrom('staffUsers')
      .select('id')
      .where('email', '=', SUPERVISOR.email)
      .executeTakeFirstOrThrow()
    await testDb.db.transaction().execute(async (trx) => {
      for (const n of [1, 2]) {
        await notifyStaff(trx, [supervisor.id], {
          kind: 'message_received',
          caseId: slaCase.id,
          data: { messageId: n, channel: 'email', subject: `Sollecito ${n}` },
          dedupeKey: `test-message:${n}`,
        })
      }
    })
    await page.reload()
    // With the warning still unread, three in all.
    await page.getByRole('button', { name: 'Notifiche: 3 da leggere', exact: true }).click()
    const list = page.getByRole('dialog', { name: 'Notifiche' })
    await seen(list.getByText(/Sollecito 2 \(via Email\)/))
    const markRead = list.getByRole('button', { name: 'Segna come letta', exact: true })
    expect(await markRead.count()).toBe(3)
    await markRead.first().click()
    await waitFor(async () => (await markRead.count()) === 2)
    expect((await api<{ unread: number }>('/api/v1/me/notifications')).unread).toBe(2)
    await list.getByRole('button', { name: 'Segna tutte come lette', exact: true }).click()
    await waitFor(async () => (await markRead.count()) === 0)
    expect((await api<{ unread: number }>('/api/v1/me/notifications')).unread).toBe(0)
    // A click outside closes the list (the button that had the focus is gone).
    await page.mouse.click(700, 900)
    await list.waitFor({ state: 'hidden' })
    await seen(page.getByRole('button', { name: 'Notifiche: 0 da leggere', exact: true }))
  })

  it('changes the supervisor’s presence from the app bar', async () => {
    expect((await api<{ state: string }>('/api/v1/me/presence')).state).toBe('offline')
    await page.getByRole('button', { name: 'La tua presenza: Non in linea', exact: true }).click()
    await page.getByRole('menuitem', { name: 'Disponibile', exact: true }).click()
    await seen(page.getByRole('button', { name: 'La tua presenza: Disponibile', exact: true }))
    await seen(page.getByText('Presenza: Disponibile', { exact: true }))
    expect((await api<{ state: string }>('/api/v1/me/presence')).state).toBe('available')
    await screenshot('presence')

    await page.getByRole('button', { name: 'La tua presenza: Disponibile', exact: true }).click()
    await page.getByRole('menuitem', { name: 'Occupato', exact: true }).click()
    await seen(page.getByRole('button', { name: 'La tua presenza: Occupato', exact: true }))
    expect((await api<{ state: string }>('/api/v1/me/presence')).state).toBe('busy')
  })

  it('says it all in English too', async () => {
    await page.goto(`/admin/#/cases/${slaCase.id}/show`)
    await seen(title(`Segnalazione ${slaCase.number}`))
    await page.getByRole('button', { name: 'Italiano', exact: true }).click()
    await page.getByRole('menuitem', { name: 'English', exact: true }).click()
    await seen(page.getByRole('heading', { name: 'Service levels (SLA)', exact: true }))
    const firstResponse = page.getByRole('region', { name: 'First response', exact: true })
    await seen(firstResponse.getByText(/^(in \d+ (minutes?|hours?|days?)|overdue by .+|Answered on .+)$/))
    await seen(
      timelineRow('Deadline missed').getByText(/^First response: deadline passed at \d{2}\/\d{2}\/\d{4}/),
    )
    await seen(timelineRow('Case escalated').getByText('Priority: Normal → High'))
    await seen(page.getByRole('button', { name: 'Your presence: Busy', exact: true }))
    await seen(page.getByRole('button', { name: 'Notifications: 0 unread', exact: true }))
    await screenshot('case-sla-english')
    await page.getByRole('button', { name: 'English', exact: true }).click()
    await page.getByRole('menuitem', { name: 'Italiano', exact: true }).click()
    await seen(page.getByRole('heading', { name: 'Tempi di servizio (SLA)', exact: true }))
  })

  it('reads SLA policies and calendars without editing them', async () => {
    await page.getByRole('menuitem', { name: 'Politiche SLA' }).click()
    await page.waitForURL(/#\/sla-policies$/)
    await seen(title('Politiche SLA'))
    await seen(rowWith('Buche stradali'))
    expect(await page.getByRole('link', { name: 'Crea', exact: true }).count()).toBe(0)
    await rowWith('Buche stradali').getByText('Buche stradali', { exact: true }).click()
    await page.waitForURL(/#\/sla-policies\/\d+\/show$/)
    await seen(
      page.getByText('Politiche e calendari si modificano solo dagli amministratori.', { exact: true }),
    )
  })
})
