import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleStack, demoUser, FIRST_LOAD_MS, seen, startConsoleStack } from './console-stack.ts'

/**
 * The routing rules screen and its rule tester, end to end: the real API serving the
 * console's production build on a database with the demo data (its two demo rules),
 * and Debian's Chromium driving the console as an administrator and a supervisor.
 * Routing rules are read and tried synchronously by the API, so no workers run here.
 */

const ADMIN = demoUser('admin@filo.demo')
const SUPERVISOR = demoUser('supervisore@filo.demo')

let stack: ConsoleStack
let context: BrowserContext
let page: Page

beforeAll(async () => {
  stack = await startConsoleStack({ name: 'console-routing', cases: 10, workers: false })
}, 120_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

const screenshot = async (name: string) => {
  // From the top: a full-page capture of a scrolled page repeats the sticky bars.
  await page.evaluate('window.scrollTo(0, 0)')
  await stack.screenshot(page, name)
}

const button = (name: string) => page.getByRole('button', { name, exact: true })
const title = (name: string) => page.getByRole('banner').getByRole('heading', { name, exact: true })
const ruleRow = (name: string) => page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) })
const tester = () => page.getByRole('region', { name: 'Prova delle regole' })
const outcome = () => tester().getByRole('status')
const wordsAny = () => page.getByRole('group', { name: 'Almeno una di queste parole' })

/** A fresh browser (its own session cookie) signed in as `email`, on their home page. */
async function signIn(email: string): Promise<void> {
  await context?.close()
  page = await stack.signIn(email)
  context = page.context()
}

async function openRules(): Promise<void> {
  await page.getByRole('menuitem', { name: 'Regole di instradamento' }).click()
  await page.waitForURL(/#\/routing-rules$/)
  await seen(title('Regole di instradamento'))
}

describe('routing rules in the console', () => {
  it('lists the rules in order for an administrator, each summarised in Italian', async () => {
    await signIn(ADMIN.email)
    await openRules()
    const potholes = ruleRow('Buche e asfalto')
    await seen(potholes.getByText(/^Se parole: almeno una tra «buca», «buche», «asfalto» → /))
    await seen(potholes.getByText(/ufficio Lavori Pubblici/))
    const noise = ruleRow('Rumore in centro')
    await seen(noise.getByText(/^Se parole: almeno una tra «rumore», «schiamazzi»; in Prato Centro → /))
    // In the order they are tried, each order editable in place.
    const names = await page.getByRole('row').locator('td:nth-child(2)').allInnerTexts()
    expect(names).toEqual(['Buche e asfalto', 'Rumore in centro'])
    expect(await page.getByRole('spinbutton', { name: 'Ordine di «Buche e asfalto»' }).inputValue()).toBe(
      '10',
    )
    await seen(page.getByRole('link', { name: 'Crea', exact: true }))
    await screenshot('routing-rules-list')
  }, 60_000)

  it('shows a preset area by the circoscrizione’s name, and refuses malformed GeoJSON before saving', async () => {
    await ruleRow('Rumore in centro').getByText('Rumore in centro', { exact: true }).click()
    await page.waitForURL(/#\/routing-rules\/\d+$/)
    const area = page.getByRole('combobox', { name: 'Area' })
    await seen(area)
    expect(await area.textContent()).toBe('Prato Centro')
    await area.click()
    await page.getByRole('option', { name: 'Area personalizzata (GeoJSON)…', exact: true }).click()
    const geoJson = page.getByRole('textbox', { name: /^Area personalizzata \(GeoJSON\)/ })
    // It starts from the circoscrizione chosen before.
    expect(JSON.parse(await geoJson.inputValue())).toMatchObject({ type: 'Polygon' })
    await geoJson.fill('{"type":"Polygon","coordinates":[[[11.09,43.88],[11.1,43.88],[11.1,43.89]]]}')
    await button('Salva').click()
    await seen(page.getByText(/^Ogni anello è una lista di almeno 4 posizioni/))
    expect(page.url()).toMatch(/#\/routing-rules\/\d+$/)
    await page.goBack()
    await page.waitForURL(/#\/routing-rules$/)
  })

  it('edits a rule: a new word is saved with the version read and shows in the summary', async () => {
    const before = (await (await context.request.get('/api/v1/routing-rules')).json()) as {
      id: number
      name: string
      version: number
      conditions: { words: { any: string[] } }
    }[]
    const rule = before.find((r) => r.name === 'Buche e asfalto')
    if (!rule) throw new Error('the demo rule "Buche e asfalto" is missing')

    await ruleRow('Buche e asfalto').getByText('Buche e asfalto', { exact: true }).click()
    await page.waitForURL(new RegExp(`#/routing-rules/${rule.id}$`))
    await seen(title('Regola di instradamento Buche e asfalto'))
    await wordsAny().getByRole('button', { name: 'Aggiungi' }).click()
    await wordsAny().getByRole('textbox', { name: 'Parola o frase' }).last().fill('tombino')
    await screenshot('routing-rule-edit')
    const patch = page.waitForRequest(
      (r) => r.method() === 'PATCH' && r.url().endsWith(`/routing-rules/${rule.id}`),
    )
    await button('Salva').click()
    expect((await patch).postDataJSON()).toEqual({
      conditions: { words: { any: [...rule.conditions.words.any, 'tombino'] } },
      version: rule.version,
    })
    await page.waitForURL(/#\/routing-rules$/)
    await seen(ruleRow('Buche e asfalto').getByText(/«asfalto», «tombino» → /))
  })

  it('shows the API’s objection on the field it concerns', async () => {
    await ruleRow('Buche e asfalto').getByText('Buche e asfalto', { exact: true }).click()
    await page.waitForURL(/#\/routing-rules\/\d+$/)
    await wordsAny().getByRole('button', { name: 'Aggiungi' }).click()
    await wordsAny().getByRole('textbox', { name: 'Parola o frase' }).last().fill('!!!')
    await button('Salva').click()
    // The server's message, under the word it is about, and not saved.
    const message = /^La parola «!!!» \(\/conditions\/words\/any\/4\) non contiene lettere né cifre\.$/
    await seen(wordsAny().getByText(message))
    expect(page.url()).toMatch(/#\/routing-rules\/\d+$/)
    await page.goBack()
    await page.waitForURL(/#\/routing-rules$/)
  })

  it('the rule tester says which rule fires and why, naming the rules passed over', async () => {
    await seen(tester())
    await tester().getByRole('textbox', { name: 'Oggetto' }).fill('Tombino rotto in via Roma')
    await tester().getByRole('button', { name: 'Prova', exact: true }).click()
    await seen(outcome().getByText('Si applica la regola «Buche e asfalto»', { exact: true }))
    await seen(outcome().getByText('Applicata la regola «Buche e asfalto».', { exact: true }))
    await seen(outcome().getByText(/^Trovate le parole: .*tombino/i))
    await seen(outcome().getByText(/ufficio Lavori Pubblici/))
    await seen(outcome().getByText('Nessuna regola scartata prima di questa.', { exact: true }))

    // Noise in the centre: the pin dropped at the centre of Prato Centro.
    await tester().getByRole('textbox', { name: 'Oggetto' }).fill('Schiamazzi notturni in piazza')
    await tester().getByRole('combobox', { name: 'Posizione: al centro di' }).click()
    await page.getByRole('option', { name: 'Prato Centro', exact: true }).click()
    expect(Number(await tester().getByRole('spinbutton', { name: 'Latitudine' }).inputValue())).toBeCloseTo(
      43.881,
      3,
    )
    await tester().getByRole('button', { name: 'Prova', exact: true }).click()
    await seen(outcome().getByText('Si applica la regola «Rumore in centro»', { exact: true }))
    await seen(
      outcome().getByText('La posizione segnalata è dentro l’area «Rumore in centro».', { exact: true }),
    )
    await seen(
      outcome().getByText(
        /^Regola «Buche e asfalto» non applicata: non compare nessuna delle parole cercate/,
      ),
    )
    await outcome().scrollIntoViewIfNeeded()
    await screenshot('routing-rule-tester')
  })

  it('creates a rule from the form’s inputs, placed after the others', async () => {
    await page.getByRole('link', { name: 'Crea', exact: true }).click()
    await page.waitForURL(/#\/routing-rules\/create$/)
    await page.getByRole('textbox', { name: /^Nome/ }).fill('PEC notturne')
    await page.getByRole('checkbox', { name: 'PEC', exact: true }).check()
    await page.getByRole('combobox', { name: 'Il contatto ha un codice fiscale' }).click()
    await page.getByRole('option', { name: 'Sì', exact: true }).click()
    await page.getByRole('checkbox', { name: 'Sabato', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Domenica', exact: true }).check()
    await page.getByLabel('Dalle', { exact: true }).fill('22:00')
    await page.getByLabel('Alle', { exact: true }).fill('06:00')
    await page.getByRole('combobox', { name: 'Priorità' }).click()
    await page.getByRole('option', { name: 'Alta', exact: true }).click()
    await page.getByRole('combobox', { name: 'Assegnazione' }).click()
    await page.getByRole('option', { name: 'A rotazione', exact: true }).click()
    const tags = page.getByRole('group', { name: 'Etichette' })
    await tags.getByRole('button', { name: 'Aggiungi' }).click()
    await tags.getByRole('textbox', { name: 'Etichetta' }).fill('notturna')
    const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/routing-rules'))
    await button('Salva').click()
    expect((await post).postDataJSON()).toEqual({
      name: 'PEC notturne',
      position: 30,
      enabled: true,
      conditions: {
        channel: ['pec'],
        contact: { hasFiscalCode: true },
        timeWindow: { days: [6, 7], from: '22:00', to: '06:00' },
      },
      actions: { priority: 'high', tags: ['notturna'], assignment: 'round_robin' },
    })
    await page.waitForURL(/#\/routing-rules$/)
    await seen(
      ruleRow('PEC notturne').getByText(
        'Se canale PEC; contatto con codice fiscale; sab, dom; 22:00–06:00 → priorità Alta, etichette notturna, assegnazione A rotazione',
        { exact: true },
      ),
    )
  })

  it('reorders the rules by editing a rule’s order in the list', async () => {
    const order = page.getByRole('spinbutton', { name: 'Ordine di «PEC notturne»' })
    await order.fill('5')
    await order.press('Enter')
    await seen(page.getByText('Ordine di «PEC notturne» aggiornato', { exact: true }))
    await expect
      .poll(() => page.getByRole('row').locator('td:nth-child(2)').allInnerTexts())
      .toEqual(['PEC notturne', 'Buche e asfalto', 'Rumore in centro'])
  })

  it('keeps the administrator’s change when someone else saved the rule first', async () => {
    await ruleRow('Rumore in centro').getByText('Rumore in centro', { exact: true }).click()
    await page.waitForURL(/#\/routing-rules\/\d+$/)
    const id = Number(/routing-rules\/(\d+)$/.exec(page.url())?.[1])
    const name = page.getByRole('textbox', { name: /^Nome/ })
    await seen(name)
    // Someone else disables the rule meanwhile.
    const current = (await (await context.request.get(`/api/v1/routing-rules/${id}`)).json()) as {
      version: number
    }
    const other = await context.request.patch(`/api/v1/routing-rules/${id}`, {
      data: { enabled: false, version: current.version },
    })
    expect(other.status()).toBe(200)
    await name.fill('Rumore e schiamazzi in centro')
    await button('Salva').click()
    await seen(page.getByText(/^Nel frattempo qualcun altro ha modificato questa regola/))
    await button('Ricarica').click()
    expect(await name.inputValue()).toBe('Rumore e schiamazzi in centro')
    const patch = page.waitForRequest(
      (r) => r.method() === 'PATCH' && r.url().endsWith(`/routing-rules/${id}`),
    )
    await button('Salva').click()
    expect((await patch).postDataJSON()).toEqual({
      name: 'Rumore e schiamazzi in centro',
      version: current.version + 1,
    })
    await page.waitForURL(/#\/routing-rules$/)
    const saved = (await (await context.request.get(`/api/v1/routing-rules/${id}`)).json()) as {
      name: string
      enabled: boolean
    }
    expect(saved).toMatchObject({ name: 'Rumore e schiamazzi in centro', enabled: false })
  })

  it('tries a rule on the contact and the time a message was received', async () => {
    await page.reload()
    await seen(tester())
    await tester()
      .getByRole('combobox', { name: /^Canale/ })
      .click()
    await page.getByRole('option', { name: 'PEC', exact: true }).click()
    await tester().getByRole('textbox', { name: 'Oggetto' }).fill('Richiesta di accesso agli atti')
    await tester().getByRole('textbox', { name: 'Codice fiscale del contatto' }).fill('RSSMRA80A01G999X')
    // Saturday 28 November 2026, 23:30 in Prato: inside the Saturday 22:00–06:00 window.
    await tester().getByLabel('Ricevuto il (vuoto: adesso)').fill('2026-11-28T23:30')
    const request = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith('/routing-rules/test'),
    )
    await tester().getByRole('button', { name: 'Prova', exact: true }).click()
    expect((await request).postDataJSON()).toEqual({
      channel: 'pec',
      subject: 'Richiesta di accesso agli atti',
      text: '',
      contact: { fiscalCode: 'RSSMRA80A01G999X' },
      receivedAt: '2026-11-28T22:30:00.000Z',
    })
    await seen(outcome().getByText('Si applica la regola «PEC notturne»', { exact: true }))
    await seen(outcome().getByText('Il contatto ha un codice fiscale.', { exact: true }))
    await seen(
      outcome().getByText(/^Ricevuto sabato alle 23:30 \(ora italiana\), nella fascia 22:00–06:00\.$/),
    )
    await seen(
      outcome().getByText('priorità Alta, etichette notturna, assegnazione A rotazione', { exact: true }),
    )
  })

  it('picks the SLA policy from its list, or by id while the list is not served', async () => {
    const rule = ruleRow('Buche e asfalto').getByText('Buche e asfalto', { exact: true })
    // The list of SLA policies belongs to another part of the API: stood in for here, then withdrawn.
    await page.route('**/api/v1/sla-policies?*', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'content-range': 'sla-policies 0-1/2' },
        body: JSON.stringify([
          { id: 1, name: 'Strade: 5 giorni lavorativi' },
          { id: 2, name: 'Urgenze: 4 ore' },
        ]),
      }),
    )
    await rule.click()
    await page.waitForURL(/#\/routing-rules\/\d+$/)
    await page.getByRole('combobox', { name: 'Politica SLA' }).click()
    await seen(page.getByRole('option', { name: 'Urgenze: 4 ore', exact: true }))
    await page.keyboard.press('Escape')
    await page.unroute('**/api/v1/sla-policies?*')

    await page.route('**/api/v1/sla-policies?*', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'route_not_found', message: 'Indirizzo non trovato.' } }),
      }),
    )
    // A fresh page: nothing cached from the list served a moment ago.
    await page.reload()
    await seen(page.getByRole('spinbutton', { name: 'Politica SLA (ID)' }))
    await seen(page.getByText(/^L’elenco delle politiche SLA non è disponibile/))
    await page.unroute('**/api/v1/sla-policies?*')
    await page.goto('/admin/#/routing-rules')
    await seen(title('Regole di instradamento'))
  })

  it('lets a supervisor read and try the rules, without editing them', async () => {
    await page.getByRole('banner').getByText(ADMIN.fullName, { exact: true }).click()
    await page.getByRole('menuitem', { name: 'Esci' }).click()
    await seen(button('Accedi'), FIRST_LOAD_MS)
    await signIn(SUPERVISOR.email)
    await seen(page.getByRole('banner').getByText(SUPERVISOR.fullName, { exact: true }))
    await openRules()
    await seen(ruleRow('Buche e asfalto').getByText(/«tombino»/))
    await seen(
      page.getByText('Le regole si modificano solo dagli amministratori; puoi consultarle e provarle.'),
    )
    expect(await page.getByRole('link', { name: 'Crea', exact: true }).count()).toBe(0)
    expect(await page.getByRole('spinbutton', { name: /^Ordine di/ }).count()).toBe(0)
    await ruleRow('Buche e asfalto').getByText('Buche e asfalto', { exact: true }).click()
    expect(page.url()).toMatch(/#\/routing-rules$/)
    // The API says the same: a supervisor's write is refused.
    const refused = await context.request.patch('/api/v1/routing-rules/1', {
      data: { enabled: false, version: 1 },
    })
    expect(refused.status()).toBe(403)
    // The tester works for supervisors too.
    await tester().getByRole('textbox', { name: 'Oggetto' }).fill('Una buca in via Roma')
    await tester().getByRole('button', { name: 'Prova', exact: true }).click()
    await seen(outcome().getByText('Si applica la regola «Buche e asfalto»', { exact: true }))
    await screenshot('routing-rules-supervisor')
  }, 60_000)

  it('speaks English when asked', async () => {
    await page.getByRole('button', { name: 'Italiano', exact: true }).click()
    await page.getByRole('menuitem', { name: 'English', exact: true }).click()
    await seen(title('Routing rules'))
    await seen(
      ruleRow('Buche e asfalto').getByText(
        /^If words: at least one of “buca”, “buche”, “asfalto”, “tombino” → /,
      ),
    )
    await seen(page.getByRole('region', { name: 'Rule tester' }))
    await seen(page.getByText('Only administrators change the rules; you can read and try them.'))
  })
})
