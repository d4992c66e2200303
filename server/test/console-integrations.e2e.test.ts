import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDeps, createLogger, type Deps, OutboxRelay } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedOpen311DemoKey } from '../../core/src/channels/open311/open311.seed.ts'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../core/src/seed/seed.ts'
import { deleteRedisPrefix } from '../../core/test/fixtures.ts'
import { type FakeIo, startFakeIo } from '../../core/test/io/fake-io.ts'
import { type RunningWorkers, startWorkers } from '../../workers/src/workers.ts'
import { buildApp } from '../src/app.ts'

/**
 * The administrator's integration screens, end to end: an Open311 api_key created in
 * the console, shown once, used by an "app" (this test) to post a report, revoked and
 * then refused; and the IO settings page, whose connection check asks a fake IO
 * Services API (built from its OpenAPI document) about fiscal codes it knows. The real
 * API and workers serve the console's production build on the demo data; Debian's
 * Chromium drives it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Screenshots of the screens, kept as test artefacts. */
const ARTEFACTS = process.env.CONSOLE_SCREENSHOTS_DIR ?? path.join(tmpdir(), 'filo-console-integrations-e2e')
const ADMIN = DEMO_USERS.find((u) => u.email === 'admin@filo.demo')
const FIRST_LOAD_MS = 30_000
const UI_MS = 20_000
const SMTP_PASSWORD = 'segreta-smtp-notifiche'
const ON_IO = 'RSSMRA85T10A562S'
const NOT_ON_IO = 'BNCLCU90B41D612X'

const log = createLogger({ logLevel: 'silent' }, 'test')
let testDb: TestDb
let io: FakeIo
let apiDeps: Deps
let workerDeps: Deps
let app: FastifyInstance
let workers: RunningWorkers | undefined
let relay: OutboxRelay | undefined
let browser: Browser | undefined
let baseUrl: string
let context: BrowserContext
let page: Page

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`,
    )
  }
  testDb = await createTestDb()
  if (!existsSync(path.join(testDb.config.adminUiDist, 'index.html'))) {
    execFileSync('pnpm', ['--filter', '@filo/admin-ui', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  await seedDemo(testDb.db, { cases: 5, numberPrefix: testDb.config.caseNumberPrefix })
  // As `pnpm start` does: the demo app's key.
  await seedOpen311DemoKey(testDb.db)
  mkdirSync(ARTEFACTS, { recursive: true })
  io = await startFakeIo()
  io.profiles.set(ON_IO, { senderAllowed: true, preferredLanguages: ['it_IT', 'de_DE'] })
  const config = {
    ...testDb.config,
    ioApiUrl: io.url,
    ioApiKey: io.key,
    smtpUrl: `smtp://notifiche:${SMTP_PASSWORD}@127.0.0.1:2525`,
  }

  apiDeps = createDeps(config, 'filo-test-api')
  app = await buildApp(apiDeps)
  await app.listen({ host: '127.0.0.1', port: 0 })
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  workerDeps = createDeps(config, 'filo-test-workers')
  workers = startWorkers(workerDeps, log)
  relay = new OutboxRelay(workerDeps.db, workerDeps.queues, testDb.url, log, { pollMs: 100 })
  await relay.start()

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}, 90_000)

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page) return
  const file = path.join(tmpdir(), `filo-console-integrations-e2e-${Date.now()}.png`)
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
  console.error(`console integrations e2e: "${ctx.task.name}" failed at ${page.url()}; screenshot in ${file}`)
})

afterAll(async () => {
  await browser?.close()
  await relay?.stop()
  await workers?.close()
  await app?.close()
  if (workerDeps) await deleteRedisPrefix(workerDeps.redis, workerDeps.config.queuePrefix)
  await workerDeps?.close()
  await apiDeps?.close()
  await io?.stop()
  await testDb?.drop()
}, 30_000)

/** A fresh browser (its own session cookie) signed in as the demo administrator. */
async function signInAsAdmin(): Promise<void> {
  if (!browser || !ADMIN) throw new Error('no browser or no demo admin')
  context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'it-IT',
    viewport: { width: 1400, height: 1000 },
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  page = await context.newPage()
  page.setDefaultTimeout(UI_MS)
  page.on('pageerror', (err) => console.error(`console integrations e2e: page error: ${err.message}`))
  await page.goto('/admin/#/login', { timeout: FIRST_LOAD_MS })
  await seen(button('Accedi'), FIRST_LOAD_MS)
  await page.getByLabel(/^Email/).fill(ADMIN.email)
  await page.getByLabel(/^Password/).fill(DEMO_PASSWORD)
  await button('Accedi').click()
  await page.waitForURL(/#\/cases/, { timeout: FIRST_LOAD_MS })
}

const seen = (locator: Locator, timeout = UI_MS): Promise<void> =>
  locator.waitFor({ state: 'visible', timeout })
const screenshot = (name: string) =>
  page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true })
const button = (name: string) => page.getByRole('button', { name, exact: true })
const rowWith = (text: string) => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) })

/** An app posting a report to Open311 with this api_key, as the GeoReport v2 spec says. */
async function postReport(apiKey: string, description: string) {
  const services = (await (await context.request.get('/open311/v2/services.json')).json()) as {
    service_code: string
    metadata: boolean
  }[]
  // A service without extra questions, so the report needs nothing but the spec's fields.
  const service = services.find((s) => !s.metadata)
  if (!service) throw new Error('the demo data has no Open311 service without questions')
  return context.request.post('/open311/v2/requests.json', {
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
  beforeAll(signInAsAdmin, 60_000)
  afterAll(() => context?.close())

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
    const event = await testDb.db
      .selectFrom('caseEvents')
      .select(['id', 'caseId'])
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await testDb.db
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
