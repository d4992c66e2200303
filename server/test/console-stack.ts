import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Config, createDeps, createLogger, type Deps, OutboxRelay, RealtimeFeed } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../core/src/seed/seed.ts'
import { deleteRedisPrefix } from '../../core/test/fixtures.ts'
import { type SmtpPeer, startSmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import { type RunningWorkers, startWorkers } from '../../workers/src/workers.ts'
import { buildApp } from '../src/app.ts'

/**
 * The whole product for a browser test: a fresh database with the demo data, the real
 * API serving the console's production build, the workers with the outbox relay (and,
 * when asked, the realtime feed), and Debian's Chromium. Nothing is mocked: the API and
 * the workers share only PostgreSQL and Redis, as in production.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** The built console loads a few large chunks: the first paint on a busy 2-core machine can be slow. */
export const FIRST_LOAD_MS = 30_000
export const UI_MS = 20_000
/** From a commit to the browser: the feed's poll, Redis, the hub, a debounced refetch. */
export const LIVE_MS = 15_000

export const demoUser = (email: string) => {
  const user = DEMO_USERS.find((u) => u.email === email)
  if (!user) throw new Error(`the demo data has no ${email}`)
  return user
}

/** Waits (auto-retrying) until the locator is visible. */
export const seen = (locator: Locator, timeout = UI_MS): Promise<void> =>
  locator.waitFor({ state: 'visible', timeout })

export interface ConsoleStackOptions {
  /** Names the screenshot folder and prefixes the browser's complaints in the log. */
  name: string
  /** Demo cases to seed. */
  cases: number
  /** Run the workers and the outbox relay (default: yes). */
  workers?: boolean
  /** The workers' timings, for a test that cannot wait for production's. */
  workerOptions?: Parameters<typeof startWorkers>[2]
  /** Run the realtime feed, for the console's live updates. */
  live?: boolean
  /** Start an SMTP peer and send citizen notifications through it (`SMTP_URL`). */
  smtp?: boolean
  /** Adjust the configuration the API and the workers share. */
  config?: (config: Config) => Config
}

export interface SignInOptions {
  /** Wait until the console's websocket is connected. */
  live?: boolean
  /** Runs on the new context before its page opens (to route a websocket, say). */
  prepare?: (context: BrowserContext) => Promise<void>
}

export interface ConsoleStack {
  testDb: TestDb
  apiDeps: Deps
  app: FastifyInstance
  browser: Browser
  /** The SMTP peer notifications go to, when asked for. */
  smtp: SmtpPeer | undefined
  baseUrl: string
  /** Where screenshots of the main screens are kept as test artefacts. */
  artefacts: string
  /** A session cookie for the API, as `email` signed in with the demo password. */
  login(email: string): Promise<string>
  /** One API call with a session cookie; throws with the status and body unless 2xx. */
  call<T>(method: string, url: string, cookie: string, body?: unknown): Promise<T>
  /** A fresh browser context (its own session) signed in as `email`, on their home screen. */
  signIn(email: string, options?: SignInOptions): Promise<Page>
  screenshot(page: Page, name: string): Promise<void>
  /** For afterEach: a screenshot of every open page when the test failed. */
  captureFailure(ctx: { task: { name: string; result?: { state?: string } } }): Promise<void>
  stop(): Promise<void>
}

export async function startConsoleStack(options: ConsoleStackOptions): Promise<ConsoleStack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`,
    )
  }
  const log = createLogger({ logLevel: 'silent' }, 'test')
  const artefacts = process.env.CONSOLE_SCREENSHOTS_DIR ?? path.join(tmpdir(), `filo-${options.name}-e2e`)
  mkdirSync(artefacts, { recursive: true })
  const stoppers: (() => Promise<unknown>)[] = []
  const contexts: BrowserContext[] = []
  const pages: Page[] = []

  const stop = async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    for (const fn of stoppers.reverse()) await fn()
  }

  try {
    const testDb = await createTestDb()
    stoppers.push(() => testDb.drop())
    // CI builds the console before the tests; a fresh checkout may not have.
    if (!existsSync(path.join(testDb.config.adminUiDist, 'index.html'))) {
      execFileSync('pnpm', ['--filter', '@filo/admin-ui', 'build'], { cwd: ROOT, stdio: 'inherit' })
    }
    await seedDemo(testDb.db, { cases: options.cases, numberPrefix: testDb.config.caseNumberPrefix })
    let smtp: SmtpPeer | undefined
    let config = testDb.config
    if (options.smtp) {
      const auth = { user: 'filo', password: 'smtp-di-prova' }
      const peer = await startSmtpPeer(auth)
      stoppers.push(() => peer.stop())
      smtp = peer
      config = { ...config, smtpUrl: `smtp://${auth.user}:${auth.password}@127.0.0.1:${peer.port}` }
    }
    if (options.config) config = options.config(config)

    const apiDeps = createDeps(config, 'filo-test-api')
    stoppers.push(() => apiDeps.close())
    const workerDeps = createDeps(config, 'filo-test-workers')
    stoppers.push(async () => {
      await deleteRedisPrefix(workerDeps.redis, config.queuePrefix)
      await workerDeps.close()
    })
    const app: FastifyInstance = await buildApp(apiDeps)
    stoppers.push(() => app.close())
    await app.listen({ host: '127.0.0.1', port: 0 })
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

    if (options.workers ?? true) {
      const workers: RunningWorkers = startWorkers(workerDeps, log, options.workerOptions)
      stoppers.push(() => workers.close())
      const relay = new OutboxRelay(workerDeps.db, workerDeps.queues, testDb.url, log, { pollMs: 100 })
      stoppers.push(() => relay.stop())
      await relay.start()
    }
    if (options.live) {
      const feed = new RealtimeFeed(workerDeps, {
        databaseUrl: testDb.url,
        prefix: config.queuePrefix,
        log,
        pollMs: 100,
      })
      stoppers.push(() => feed.stop())
      await feed.start()
      // The feed starts from "now" on its first pass: everything after it goes out live.
      await feed.tick()
    }

    const browser: Browser = await chromium.launch({
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
    stoppers.push(() => browser.close())

    const call = async <T>(method: string, url: string, cookie: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`)
      return (text ? JSON.parse(text) : null) as T
    }

    const login = async (email: string): Promise<string> => {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      })
      const cookie = res.headers.get('set-cookie')?.split(';')[0]
      if (!res.ok || !cookie) throw new Error(`login of ${email} failed: ${res.status}`)
      return cookie
    }

    const signIn = async (email: string, signInOptions: SignInOptions = {}): Promise<Page> => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'it-IT',
        // The Comune's clock: times typed in the console are Italian time.
        timezoneId: 'Europe/Rome',
        viewport: { width: 1400, height: 1000 },
      })
      contexts.push(context)
      await signInOptions.prepare?.(context)
      const page = await context.newPage()
      pages.push(page)
      page.setDefaultTimeout(UI_MS)
      const who = `${options.name} e2e (${email.split('@')[0]})`
      page.on('pageerror', (err) => console.error(`${who}: page error: ${err.message}`))
      // A refused API call is the likeliest reason for a screen that does not show up
      // (401 before signing in and version conflicts are expected).
      page.on('response', (res) => {
        if (res.status() >= 400 && res.status() !== 401 && res.status() !== 409)
          console.error(`${who}: ${res.status()} ${res.url()}`)
      })
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          console.error(`${who}: browser console: ${msg.text()}`)
      })
      await page.goto('/admin/#/login', { timeout: FIRST_LOAD_MS })
      const signInButton = page.getByRole('button', { name: 'Accedi', exact: true })
      await seen(signInButton, FIRST_LOAD_MS)
      await page.getByLabel(/^Email/).fill(email)
      await page.getByLabel(/^Password/).fill(DEMO_PASSWORD)
      await signInButton.click()
      // Each role lands on its own home: the case list, or (supervisors) the dashboard.
      const home = demoUser(email).role === 'supervisor' ? /#\/$/ : /#\/cases/
      await page.waitForURL(home, { timeout: FIRST_LOAD_MS })
      // The app bar's indicator says when the console's websocket is connected.
      if (signInOptions.live) await seen(page.locator('[data-live-status="live"]'), FIRST_LOAD_MS)
      return page
    }

    const screenshot = async (page: Page, name: string) => {
      await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true })
    }

    const captureFailure: ConsoleStack['captureFailure'] = async (ctx) => {
      if (ctx.task.result?.state !== 'fail') return
      for (const [i, page] of pages.entries()) {
        if (page.isClosed()) continue
        const file = path.join(tmpdir(), `filo-${options.name}-e2e-failed-${Date.now()}-${i}.png`)
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
        console.error(
          `${options.name} e2e: "${ctx.task.name}" failed at ${page.url()}; screenshot in ${file}`,
        )
      }
    }

    return {
      testDb,
      apiDeps,
      app,
      browser,
      smtp,
      baseUrl,
      artefacts,
      login,
      call,
      signIn,
      screenshot,
      captureFailure,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Reloads the page until the probe shows, for at most `ms`: for what reaches the page only through a worker. */
export async function reloadUntilVisible(page: Page, probe: () => Locator, ms = 30_000): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    try {
      await probe().waitFor({ state: 'visible', timeout: 2_000 })
      return
    } catch (err) {
      if (Date.now() > until) throw new Error(`${probe()} still not visible after ${ms} ms`, { cause: err })
      await page.reload()
    }
  }
}
