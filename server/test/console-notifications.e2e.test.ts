import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../core/test/fixtures.ts'
import type { SmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import {
  type ConsoleStack,
  demoUser,
  reloadUntilVisible,
  seen,
  startConsoleStack,
  UI_MS,
} from './console-stack.ts'

/**
 * The administrator's citizen-notification screens, end to end: a template edited
 * beside its live preview (and a version conflict met as in every form), a
 * category's notified updates changed and saved, and a notification that really
 * failed (the workers' SMTP server refused it, and one attempt is all they have)
 * retried from the console and sent. The real API serves the console's production
 * build on a database with the demo data; the workers send through an SMTP peer;
 * Debian's Chromium drives it.
 */

const ADMIN = demoUser('admin@filo.demo')

let stack: ConsoleStack
let testDb: ConsoleStack['testDb']
let smtp: SmtpPeer | undefined
let context: BrowserContext
let page: Page

beforeAll(async () => {
  stack = await startConsoleStack({
    name: 'console-notifications',
    cases: 5,
    // The default sender's SMTP server is the peer; one attempt, so a refusal is a failure at once.
    smtp: true,
    config: (config) => ({
      ...config,
      notificationDigestSeconds: 1,
      notificationMaxAttempts: 1,
      notificationRetryBaseMs: 100,
    }),
    workerOptions: { timerSweepMs: 300, notificationGraceMs: 0 },
  })
  testDb = stack.testDb
  smtp = stack.smtp
}, 120_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

/** A fresh browser (its own session cookie) signed in as the administrator, on the case list. */
async function signInAsAdmin(): Promise<void> {
  await context?.close()
  page = await stack.signIn(ADMIN.email)
  context = page.context()
}

const screenshot = (name: string) => stack.screenshot(page, name)
const button = (name: string) => page.getByRole('button', { name, exact: true })
const rowWith = (text: string) => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) })
const timelineRow = (kind: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) })
const api = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown): Promise<T> => {
  const res = await context.request.fetch(url, { method, ...(data === undefined ? {} : { data }) })
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300)
  return (await res.json()) as T
}

interface Template {
  id: number
  trigger: string
  language: string
  subject: string
  version: number
}
interface CategorySetting {
  categoryId: number
  categoryName: string
  triggers: string[]
  custom: boolean
  version: number
}
interface Notification {
  id: number
  caseId: number
  caseNumber: string
  recipient: string
  state: string
  attempts: number
  lastError: string | null
}

const notificationsOfCase = (caseId: number) =>
  api<Notification[]>('GET', `/api/v1/notifications?filter=${encodeURIComponent(JSON.stringify({ caseId }))}`)

describe('the administrator’s citizen-notification screens', () => {
  it('edits a template beside its live preview; a save over someone else’s shows the version conflict', async () => {
    await signInAsAdmin()
    const templates = await api<Template[]>('GET', '/api/v1/notification-templates')
    const resolvedIt = templates.find((t) => t.trigger === 'resolved' && t.language === 'it')
    if (!resolvedIt) throw new Error('no resolved/it template')

    await page.getByRole('menuitem', { name: 'Modelli di notifica' }).click()
    await page.waitForURL(/#\/notification-templates$/)
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Risolta', exact: true }) })
      .filter({ has: page.getByRole('cell', { name: 'Italiano', exact: true }) })
    await seen(row)
    await seen(rowWith('Riepilogo di più aggiornamenti').first())
    await screenshot('notification-templates')
    await row.click()
    await page.waitForURL(new RegExp(`#/notification-templates/${resolvedIt.id}$`))
    await seen(page.getByText('Modello «Risolta» (Italiano)').first())
    await seen(page.getByTestId('template-variables').getByText(/\{\{statusUrl\}\}/))

    // The preview renders the stored template with sample values first.
    const ioSubject = page.getByTestId('preview-io-subject')
    const emailSubject = page.getByTestId('preview-email-subject')
    await expect
      .poll(() => emailSubject.textContent(), { timeout: UI_MS })
      .toMatch(/^La tua richiesta \S+-2026-000123 è stata risolta$/)

    // Edited: the preview follows the text being typed, IO's padding of a short subject said in words.
    const subject = page.locator('input[name="subject"]')
    await subject.fill('Risolta {{number}}')
    await expect.poll(() => ioSubject.textContent(), { timeout: UI_MS }).toMatch(/^Risolta \S+-2026-000123$/)
    await subject.fill('Risolta: {{subject}}')
    await expect.poll(() => emailSubject.textContent(), { timeout: UI_MS }).toBe('Risolta: Buca in via Roma')
    const html = page.locator('textarea[name="emailHtml"]')
    await html.fill('<p>Gentile {{name}}, <strong>fatto</strong>: {{answer}}</p><script>alert(1)</script>')
    const frame = page.frameLocator('iframe[title="Email in HTML"]')
    await seen(frame.getByText('fatto', { exact: true }))
    expect(await page.locator('iframe[title="Email in HTML"]').getAttribute('sandbox')).toBe('')
    await seen(frame.getByText(/Gentile Maria Rossi/))
    const markdown = page.locator('textarea[name="markdown"]')
    await markdown.fill('Risolta.')
    await seen(page.getByText('testo troppo corto: aggiunta una frase di chiusura', { exact: true }))
    await markdown.fill(
      'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è stata risolta.\n\n{{answer}}\n\nDettagli: {{statusUrl}}',
    )
    await screenshot('notification-template-edit')

    // Someone else saves first: the save is refused with the server's message and a reload.
    await api('PUT', `/api/v1/notification-templates/${resolvedIt.id}`, {
      emailText: 'Gentile {{name}}, la richiesta {{number}} è risolta. {{statusUrl}}',
      version: resolvedIt.version,
    })
    await button('Salva').click()
    await seen(page.getByText(/qualcun altro ha modificato questo modello/))
    await screenshot('notification-template-conflict')
    await button('Ricarica').click()
    await expect.poll(() => subject.inputValue()).toBe('Risolta: {{subject}}')
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().endsWith(`/notification-templates/${resolvedIt.id}`),
    )
    await button('Salva').click()
    expect((await saved).status()).toBe(200)
    const after = (await api<Template[]>('GET', '/api/v1/notification-templates')).find(
      (t) => t.id === resolvedIt.id,
    )
    expect(after).toMatchObject({ subject: 'Risolta: {{subject}}', version: resolvedIt.version + 2 })
  }, 120_000)

  it('changes which updates a category notifies, saved with the version read', async () => {
    await signInAsAdmin()
    const [category] = await api<CategorySetting[]>('GET', '/api/v1/notification-settings')
    if (!category) throw new Error('no categories')
    expect(category).toMatchObject({ custom: false, version: 0 })

    await page.getByRole('menuitem', { name: 'Notifiche per categoria' }).click()
    await page.waitForURL(/#\/notification-settings$/)
    const row = page.getByRole('row', { name: category.categoryName, exact: true })
    await seen(row)
    await seen(row.getByText('Predefinita', { exact: true }))
    const resolved = row.getByRole('checkbox', { name: `Risolta per ${category.categoryName}` })
    const closed = row.getByRole('checkbox', { name: `Chiusa per ${category.categoryName}` })
    await expect.poll(() => resolved.isChecked()).toBe(true)
    await resolved.uncheck()
    await closed.uncheck()
    const put = page.waitForRequest(
      (r) => r.method() === 'PUT' && r.url().endsWith(`/notification-settings/${category.categoryId}`),
    )
    await row.getByRole('button', { name: 'Salva' }).click()
    // Never saved before: no version to send.
    expect((await put).postDataJSON()).toEqual({
      triggers: ['received', 'taken_in_charge', 'waiting_citizen', 'reopened', 'reply'],
    })
    await seen(page.getByText(`Notifiche di «${category.categoryName}» salvate`))
    await seen(row.getByText('Personalizzata', { exact: true }))
    await screenshot('notification-settings')

    // A second change sends the version the first save returned.
    await closed.check()
    const second = page.waitForRequest(
      (r) => r.method() === 'PUT' && r.url().endsWith(`/notification-settings/${category.categoryId}`),
    )
    await row.getByRole('button', { name: 'Salva' }).click()
    expect((await second).postDataJSON()).toMatchObject({ version: 1 })
    await seen(page.getByText(`Notifiche di «${category.categoryName}» salvate`))
    await expect
      .poll(
        async () =>
          (await api<CategorySetting[]>('GET', '/api/v1/notification-settings')).find(
            (c) => c.categoryId === category.categoryId,
          ),
        { timeout: UI_MS },
      )
      .toEqual({
        ...category,
        triggers: ['received', 'taken_in_charge', 'waiting_citizen', 'closed', 'reopened', 'reply'],
        custom: true,
        version: 2,
      })

    // In English the rows name the categories in English (the API's name is the Italian one).
    const names = await api<{ id: number; nameEn: string }[]>(
      'GET',
      `/api/v1/categories?filter=${encodeURIComponent(JSON.stringify({ id: [category.categoryId] }))}`,
    )
    const english = names[0]?.nameEn ?? ''
    expect(english).not.toBe('')
    expect(english).not.toBe(category.categoryName)
    await page.getByRole('button', { name: 'Italiano', exact: true }).click()
    await page.getByRole('menuitem', { name: 'English', exact: true }).click()
    await seen(page.getByRole('row', { name: english, exact: true }).getByText('Custom', { exact: true }))
  }, 90_000)

  it('retries a notification the SMTP server refused; the workers send it and the timeline tells the story', async () => {
    if (!smtp) throw new Error('no SMTP peer')
    await signInAsAdmin()
    const contact = await api<{ id: number }>('POST', '/api/v1/contacts', {
      kind: 'person',
      firstName: 'Giulia',
      lastName: 'Bianchi',
      emails: [{ email: 'giulia.bianchi@example.it' }],
    })
    smtp.refuseWith = { code: 451, message: 'Casella temporaneamente non disponibile' }
    const kase = await api<{ id: number; number: string }>('POST', '/api/v1/cases', {
      subject: 'Lampione spento in via Ferrucci',
      channel: 'phone',
      contactId: contact.id,
    })
    // The workers' one attempt is refused: the notification is failed, for an administrator to see.
    const failed = await waitFor(async () => {
      const [n] = await notificationsOfCase(kase.id)
      return n?.state === 'failed' ? n : undefined
    }, 30_000)
    expect(failed).toMatchObject({ recipient: 'giulia.bianchi@example.it', attempts: 1 })
    expect(failed.lastError).toContain('Casella temporaneamente non disponibile')
    smtp.refuseWith = null

    await page.getByRole('menuitem', { name: 'Notifiche ai cittadini' }).click()
    await page.waitForURL(/#\/notifications/)
    // Failed before the page opened: the list's first load shows it.
    const row = rowWith(kase.number)
    await seen(row)
    await seen(row.getByText('Non riuscita', { exact: true }))
    await seen(row.getByText(/Casella temporaneamente non disponibile/))
    await seen(row.getByRole('link', { name: kase.number }))
    await screenshot('notifications-failed')

    await row.getByRole('button', { name: 'Ritenta' }).click()
    const dialog = page.getByRole('dialog')
    await seen(dialog.getByText(`Ritentare la notifica a giulia.bianchi@example.it (${kase.number})?`))
    await dialog
      .getByLabel('Motivo (facoltativo, resta nel registro delle attività)')
      .fill('Server SMTP ripristinato')
    await screenshot('notification-retry-dialog')
    const retried = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith(`/notifications/${failed.id}/retry`),
    )
    await dialog.getByRole('button', { name: 'Ritenta' }).click()
    expect((await retried).status()).toBe(200)
    await seen(page.getByText('Notifica a giulia.bianchi@example.it rimessa in coda'))

    // The workers send it: the list, filtered on the case, shows it sent after one new attempt.
    const received = await waitFor(
      async () => smtp?.received.find((m) => m.to.includes('giulia.bianchi@example.it')),
      30_000,
    )
    expect(received.parsed.subject).toContain(kase.number)
    await page.goto(
      `/admin/#/notifications?filter=${encodeURIComponent(JSON.stringify({ caseId: kase.id }))}`,
    )
    await reloadUntilVisible(page, () => rowWith(kase.number).getByText('Inviata', { exact: true }), 30_000)
    const sent = await notificationsOfCase(kase.id)
    expect(sent).toEqual([
      expect.objectContaining({ id: failed.id, state: 'sent', attempts: 1, lastError: null }),
    ])
    await screenshot('notifications-sent')

    // The reason is in the audit log.
    const audit = await testDb.db
      .selectFrom('auditLog')
      .select(['after'])
      .where('action', '=', 'notification.retry')
      .where('entityId', '=', failed.id)
      .execute()
    expect(audit.map((a) => a.after)).toEqual([{ state: 'queued', reason: 'Server SMTP ripristinato' }])

    // The case's timeline in words: queued by email and why, failed with the server's answer, retried, sent.
    await page.getByRole('link', { name: kase.number }).click()
    await page.waitForURL(new RegExp(`#/cases/${kase.id}/show`))
    await seen(timelineRow('Notifica al cittadino in coda'))
    await seen(
      timelineRow('Notifica al cittadino in coda').getByText('Aggiornamenti: Richiesta ricevuta', {
        exact: true,
      }),
    )
    const failure = timelineRow('Notifica al cittadino non riuscita')
    await seen(failure.getByText('Via Email a giulia.bianchi@example.it dopo 1 tentativo', { exact: true }))
    await seen(failure.getByText(/^Errore: .*Casella temporaneamente non disponibile/))
    await seen(timelineRow('Notifica al cittadino ritentata').getByText('Era: Non riuscita', { exact: true }))
    await seen(
      timelineRow('Notifica inviata al cittadino').getByText('Via Email a giulia.bianchi@example.it', {
        exact: true,
      }),
    )
    await screenshot('notification-timeline')
  }, 150_000)
})
