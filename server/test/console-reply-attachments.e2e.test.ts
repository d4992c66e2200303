import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../core/test/fixtures.ts'
import type { SmtpPeer } from '../../core/test/mail/smtp-peer.ts'
import { type ConsoleStack, demoUser, seen, startConsoleStack } from './console-stack.ts'

/**
 * A reply with a file, from the console to the citizen's mailbox: the operator
 * uploads a document from the reply box, sends; the workers mail it (a real SMTP
 * peer receives the attachment's bytes) and the timeline names the file sent.
 */

const OPERATOR = demoUser('operatore@filo.demo')
const CITIZEN_EMAIL = `paola.bini.${randomBytes(3).toString('hex')}@example.it`
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
  randomBytes(4096),
  Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
])
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

let smtp: SmtpPeer
let stack: ConsoleStack

beforeAll(async () => {
  stack = await startConsoleStack({
    name: 'console-reply-attachments',
    cases: 5,
    smtp: true,
    config: (config) => ({ ...config, notificationDigestSeconds: 0 }),
  })
  if (!stack.smtp) throw new Error('no SMTP peer')
  smtp = stack.smtp
}, 180_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(() => stack?.stop(), 60_000)

const timelineRow = (page: Page, kind: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) })

describe('a reply with an attachment, from the reply box', { timeout: 120_000 }, () => {
  it('uploads a file in the reply box, sends it by email with the reply, and names it on the timeline', async () => {
    const cookie = await stack.login(OPERATOR.email)
    const contact = await stack.apiDeps.db
      .insertInto('contacts')
      .values({ kind: 'person', firstName: 'Paola', lastName: 'Bini', email: CITIZEN_EMAIL, language: 'it' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const kase = await stack.call<{ id: number; number: string }>('POST', '/api/v1/cases', cookie, {
      subject: 'Richiesta di copia del permesso di passo carrabile',
      channel: 'phone',
      contactId: contact.id,
    })

    const page = await stack.signIn(OPERATOR.email)
    await page.goto(`${stack.baseUrl}/#/cases/${kase.id}/show`)
    await seen(page.getByRole('heading', { name: 'Rispondi al cittadino', exact: true }))
    const text = 'Gentile signora Bini, le inviamo in allegato la copia del permesso.'
    await page.getByRole('textbox', { name: 'Testo della risposta' }).fill(text)
    await page
      .getByTestId('reply-attachment-input')
      .setInputFiles({ name: 'permesso passo carrabile.pdf', mimeType: 'application/pdf', buffer: PDF })
    // Uploaded to the case, then attached to the reply: it shows as a chip with its size.
    const attached = page.getByRole('list', { name: 'File allegati alla risposta' })
    await seen(attached.getByText('permesso passo carrabile.pdf', { exact: false }))
    await stack.screenshot(page, 'reply-attachments-1-attached')
    await page.getByRole('button', { name: 'Invia risposta', exact: true }).click()
    await seen(page.getByText('Risposta in invio: lo stato della consegna compare nella cronologia'))

    // No IO is configured: the workers send it by email, with the file's bytes.
    const mail = await waitFor(
      async () => smtp.received.find((m) => m.to.includes(CITIZEN_EMAIL) && m.parsed.attachments.length > 0),
      60_000,
    )
    expect(mail.parsed.text).toContain(text)
    expect(mail.parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
      ['permesso passo carrabile.pdf', sha256(PDF)],
    ])

    // The timeline says which file went, on the reply and on its delivery (once the workers wrote it).
    await waitFor(
      () =>
        stack.apiDeps.db
          .selectFrom('caseEvents')
          .select('id')
          .where('caseId', '=', kase.id)
          .where('kind', '=', 'notification_sent')
          .where(sql<boolean>`data ? 'attachments'`)
          .executeTakeFirst(),
      30_000,
    )
    await page.reload()
    await seen(
      timelineRow(page, 'Notifica inviata al cittadino').filter({
        hasText: 'File inviato: permesso passo carrabile.pdf',
      }),
    )
    await seen(
      timelineRow(page, 'Risposta in invio').filter({
        hasText: 'File inviato: permesso passo carrabile.pdf',
      }),
    )
    await stack.screenshot(page, 'reply-attachments-2-sent')
  })
})
