import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedOpen311DemoKey } from '../../core/src/channels/open311/open311.seed.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { type ConsoleStack, demoUser, seen, startConsoleStack } from './console-stack.ts'

/**
 * The administrator's integration screens, end to end: an Open311 api_key created in
 * the console, shown once, used by an "app" (this test) to post a report, revoked and
 * then refused; and the IO settings page, whose connection check asks a fake IO
 * Services API (built from its OpenAPI document) about fiscal codes it knows. The real
 * API and workers serve the console's production build on the demo data; Debian's
 * Chromium drives it.
 */

const ADMIN = demoUser('admin@filo.demo')
const SMTP_PASSWORD = 'segreta-smtp-notifiche'
const ON_IO = 'RSSMRA85T10A562S'
const NOT_ON_IO = 'BNCLCU90B41D612X'

let io: FakeIo
let stack: ConsoleStack
let page: Page

beforeAll(async () => {
  io = await startFakeIo()
  io.profiles.set(ON_IO, { senderAllowed: true, preferredLanguages: ['it_IT', 'de_DE'] })
  stack = await startConsoleStack({
    name: 'console-integrations',
    cases: 5,
    config: (config) => ({
      ...config,
      ioApiUrl: io.url,
      ioApiKey: io.key,
      smtpUrl: `smtp://notifiche:${SMTP_PASSWORD}@127.0.0.1:2525`,
    }),
  })
  // As `pnpm start` does: the demo app's key.
  await seedOpen311DemoKey(stack.testDb.db)
}, 90_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(async () => {
  await stack?.stop()
  await io?.stop()
}, 30_000)

const screenshot = (name: string) => stack.screenshot(page, name)
const button = (name: string) => page.getByRole('button', { name, exact: true })
const rowWith = (text: string) => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) })

/** An app posting a report to Open311 with this api_key, as the GeoReport v2 spec says. */
async function postReport(apiKey: string, description: string) {
  const services = (await (await page.request.get('/open311/v2/services.json')).json()) as {
    service_code: string
    metadata: boolean
  }[]
  // A service without extra questions, so the report needs nothing but the spec's fields.
  const service = services.find((s) => !s.metadata)
  if (!service) throw new Error('the demo data has no Open311 service without questions')
  return page.request.post('/open311/v2/requests.json', {
    form: {
      api_key: apiKey,
      jurisdiction_id: 'comune.prato.it',
      service_code: service.service_code,
      lat: '43.8805',
      long: '11.0966',
      email: 'sviluppatori@app.example.it',
      description,
    },
  })
}

describe('the administrator’s integration screens', () => {
  beforeAll(async () => {
    page = await stack.signIn(ADMIN.email)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  }, 60_000)

  it('creates an Open311 api_key shown once, which works until it is revoked', async () => {
    await page.getByRole('menuitem', { name: 'Chiavi Open311' }).click()
    await page.waitForURL(/#\/open311-keys$/)
    // The demo app's key is listed by its last four characters only.
    await seen(rowWith('App dimostrativa (demo)').getByText('…2026', { exact: true }))
    await page.getByRole('link', { name: 'Crea', exact: true }).click()
    await page.waitForURL(/#\/open311-keys\/create$/)
    await page.locator('input[name="name"]').fill('App Prato Segnala (Ditta Rossi)')
    await button('Salva').click()
    const dialog = page.getByRole('dialog', { name: 'Chiave Open311 creata' })
    await seen(dialog.getByText('Copiala adesso: non verrà mostrata di nuovo.'))
    const apiKey = (await dialog.getByTestId('open311-api-key').textContent())?.trim() ?? ''
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await seen(dialog.getByText(/\/open311\/v2\/discovery\.json$/))
    await dialog.getByRole('button', { name: 'Copia', exact: true }).click()
    await seen(page.getByText('Copiato negli appunti'))
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(apiKey)
    await screenshot('open311-key-created')

    // The app posts with it at once.
    const accepted = await postReport(apiKey, 'Lampione spento davanti alla scuola di via Roma')
    expect(accepted.status(), await accepted.text()).toBe(200)
    const [report] = (await accepted.json()) as { service_request_id: string }[]
    expect(report?.service_request_id).toMatch(/^PRA-\d{4}-\d{6}$/)

    await dialog.getByRole('button', { name: 'Fatto', exact: true }).click()
    await page.waitForURL(/#\/open311-keys$/)
    const row = rowWith('App Prato Segnala (Ditta Rossi)')
    await seen(row.getByText(`…${apiKey.slice(-4)}`, { exact: true }))
    // Shown once: the list never carries the key itself.
    expect(await page.content()).not.toContain(apiKey)
    await row.getByRole('button', { name: 'Revoca' }).click()
    const confirm = page.getByRole('dialog')
    await seen(confirm.getByText('Revocare la chiave di «App Prato Segnala (Ditta Rossi)»?'))
    await confirm.getByRole('button', { name: 'Conferma' }).click()
    await seen(page.getByText('Chiave revocata'))
    await expect.poll(() => row.getByRole('button', { name: 'Revoca' }).count()).toBe(0)
    await screenshot('open311-keys')

    const refused = await postReport(apiKey, 'Lampione spento davanti alla scuola di via Roma, di nuovo')
    expect(refused.status()).toBe(403)
    expect(await refused.text()).toMatch(/api_key/)
  }, 90_000)

  it('shows the IO settings without the key and checks fiscal codes against IO', async () => {
    // An email sent an hour ago: the delivery figures count it.
    const event = await stack.testDb.db
      .selectFrom('caseEvents')
      .select(['id', 'caseId'])
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await stack.testDb.db
      .insertInto('notifications')
      .values({
        caseId: event.caseId,
        eventId: event.id,
        channel: 'email',
        triggers: ['received'],
        language: 'it',
        recipient: 'cittadino@example.it',
        subject: 'Richiesta ricevuta',
        state: 'sent',
        createdAt: new Date(Date.now() - 3600_000),
      })
      .execute()
    await page.getByRole('menuitem', { name: 'Impostazioni IO' }).click()
    await page.waitForURL(/#\/io-settings$/)
    const ioPanel = page.getByRole('region', { name: 'App IO' })
    await seen(ioPanel.getByText('Configurata', { exact: true }))
    await seen(ioPanel.getByText(io.url, { exact: true }))
    await seen(ioPanel.getByText(`Impostata, finisce con …${io.key.slice(-4)}`, { exact: true }))
    await seen(ioPanel.getByText('1 giorno', { exact: true }))
    await seen(
      page
        .getByRole('region', { name: 'Email' })
        .getByText('smtp://notifiche:***@127.0.0.1:2525', { exact: true }),
    )
    const sent = page.getByRole('table', { name: 'Notifiche recenti' }).getByRole('row').nth(1)
    await expect.poll(() => sent.getByRole('cell').allTextContents()).toEqual(['Email', 'Inviata', '1', '1'])
    const html = await page.content()
    expect(html).not.toContain(io.key)
    expect(html).not.toContain(SMTP_PASSWORD)

    const check = page.getByRole('region', { name: 'Verifica la connessione con IO' })
    // Typed in lower case with a space: the field writes it as IO wants it.
    await check.getByLabel('Codice fiscale').fill('rssmra85t10 a562s')
    await check.getByRole('button', { name: 'Verifica', exact: true }).click()
    const result = check.getByRole('status')
    await seen(result.getByText(`${ON_IO}: può ricevere i messaggi del Comune su IO`))
    await seen(result.getByText('Lingue preferite su IO: it_IT, de_DE'))
    expect(io.requests.some((r) => r.path === '/profiles' && r.fiscalCode === ON_IO)).toBe(true)
    await screenshot('io-settings-check')

    await check.getByLabel('Codice fiscale').fill(NOT_ON_IO)
    await check.getByRole('button', { name: 'Verifica', exact: true }).click()
    await seen(result.getByText(`${NOT_ON_IO}: nessun profilo su IO`))
    await seen(
      result.getByText('Questo codice fiscale non ha un profilo su IO: riceverà le notifiche via email.'),
    )
    expect(io.invalid).toEqual([])

    // IO refusing the key reads as what to fix, in the console's language.
    const key = io.key
    io.key = 'una-chiave-diversa'
    try {
      await check.getByRole('button', { name: 'Verifica', exact: true }).click()
      await seen(
        check
          .getByRole('alert')
          .getByText(
            'IO ha rifiutato la chiave del servizio (401): controlla IO_API_KEY nell’ambiente del servizio.',
          ),
      )
    } finally {
      io.key = key
    }
    await screenshot('io-settings-refused')
  }, 60_000)
})
