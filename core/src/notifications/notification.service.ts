import { sql } from 'kysely'
import nodemailer from 'nodemailer'
import {
  checkReplyAttachments,
  linkReplyAttachments,
  mailAttachments,
  type ReplyAttachment,
  ReplyAttachmentMissingError,
  replyAttachmentSummary,
  replyAttachmentsOf,
} from '../attachments/reply-attachment.repository.ts'
import { LocalDiskStorage } from '../attachments/storage.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import { insertEvent, lockCase, statusPageUrl } from '../cases/case.repository.ts'
import { foundInSentFolder, smtpTransport } from '../channels/email/mail.send.ts'
import { signedMessageId } from '../channels/email/mail.sign.ts'
import { findMailbox, type MailboxRow } from '../channels/email/mailbox.repository.ts'
import type { Config } from '../config.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { type Language, translate } from '../i18n.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { Queues } from '../jobs/queues.ts'
import type { ListQuery, ListResult } from '../list.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import { IoClient, IoError } from './io.client.ts'
import './notification.messages.ts'
import {
  cachedIoProfile,
  findNotification,
  type NotificationRow,
  storeIoProfile,
  toNotificationView,
} from './notification.repository.ts'
import {
  type CategorySettingView,
  type NOTIFICATION_SORTS,
  NOTIFICATION_TRIGGERS,
  type NotificationChannel,
  type NotificationFilter,
  type NotificationReplyView,
  type NotificationTrigger,
  type NotificationView,
  type PreviewBody,
  type PreviewView,
  type TemplateKind,
  type TemplateView,
  type UpdateCategorySettingBody,
  type UpdateTemplateBody,
} from './notification.schemas.ts'
import { fitIoContent, ioContentValid, renderTemplate, templateVariables } from './notification.templates.ts'

const TERMINAL_IO = ['PROCESSED', 'REJECTED', 'FAILED']
const MAX_STATUS_CHECKS = 8
/** The variables a template may use. */
const TEMPLATE_VARIABLES = [
  'name',
  'number',
  'subject',
  'status',
  'statusUrl',
  'answer',
  'comment',
  'message',
  'steps',
]

export interface SendHooks {
  /** Test seam: runs once the provider accepted the message, before that is recorded — where a crash hurts. */
  afterAccepted?: () => Promise<void>
}

interface ContactForChoice {
  id: number
  email: string | null
  fiscalCode: string | null
  preferredChannel: string | null
  language: string
  firstName: string | null
  lastName: string | null
  organisationName: string | null
}

export interface ChannelChoice {
  channel: NotificationChannel | null
  reason: string
  /** What was found on the way (IO's profile answer, a cached one). */
  detail: Record<string, unknown>
}

const asLanguage = (l: string): Language => (l === 'en' ? 'en' : 'it')

/**
 * What a reply with files says about them: an email carries them, so it names them;
 * an IO message cannot, so it says where the citizen downloads them (the status
 * page, whose link every message ends with).
 */
function attachmentsNote(language: Language, channel: NotificationChannel, files: ReplyAttachment[]): string {
  const names = files.map((f) => f.filename).join(', ')
  return translate(language, `notification.reply_attachments.${channel}`, { count: files.length, names })
}
const displayName = (c: ContactForChoice): string =>
  c.organisationName ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || '')

/** Exponential backoff with jitter: base·2^(n−1), scaled by a random factor in [0.5, 1.5). */
export const backoffMs = (base: number, attempt: number): number =>
  Math.round(base * 2 ** Math.max(0, attempt - 1) * (0.5 + Math.random()))

export type NotificationService = ReturnType<typeof createNotificationService>

export type SendOutcome =
  | 'sent'
  | 'already_done'
  | 'in_flight'
  | 'not_due'
  | 'retry'
  | 'failed'
  | 'uncertain'
  | 'fallback'

/**
 * Citizen notifications: the digest of pending changes into one message per
 * burst, the channel choice (IO, else email, the contact's preference first), the
 * sending at most once with retries, IO's delivery status, and the admin side
 * (templates, per-category settings, failed notifications and their retry).
 */
export function createNotificationService(
  db: Database,
  config: Config,
  queues: Queues,
  opts: { io?: IoClient } = {},
) {
  const io = opts.io ?? new IoClient({ baseUrl: config.ioApiUrl, apiKey: config.ioApiKey })

  const admins = (actor: Actor) => {
    if (actor.role !== 'admin')
      throw new DomainError('forbidden', 'notification_admin_only', 'only admins manage notifications')
  }

  async function schedule(
    name: 'notification.digest' | 'notification.resend' | 'notification.status',
    data: Record<string, number>,
    at: Date,
    key: string,
  ): Promise<void> {
    // Redis may be gone: the sweep (overdue()) finds what PostgreSQL says is due.
    await queues['notification-timers']
      .add(name, data, { jobId: key, delay: Math.max(0, at.getTime() - Date.now()) })
      .catch(() => {})
  }

  /** IO's answer for a fiscal code, from the cache when fresh. */
  async function ioProfile(
    fiscalCode: string,
  ): Promise<{ status: number; allowed: boolean; cached: boolean }> {
    const cached = await cachedIoProfile(db, fiscalCode, config.ioProfileCacheSeconds)
    if (cached) return { status: cached.httpStatus, allowed: cached.senderAllowed, cached: true }
    try {
      const profile = await io.getProfile(fiscalCode)
      await storeIoProfile(db, fiscalCode, 200, profile.senderAllowed)
      return { status: 200, allowed: profile.senderAllowed, cached: false }
    } catch (err) {
      if (err instanceof IoError && (err.status === 404 || err.status === 403)) {
        await storeIoProfile(db, fiscalCode, err.status, false)
        return { status: err.status, allowed: false, cached: false }
      }
      throw err
    }
  }

  /**
   * IO when the contact has a codice fiscale and IO says the service may write to
   * them; otherwise email. A stated preference for email is respected; consents
   * withdrawn (io_messages, email_updates) rule a channel out.
   */
  async function chooseChannel(contact: ContactForChoice): Promise<ChannelChoice> {
    const consents = await db
      .selectFrom('contactConsents')
      .select(['kind', 'granted'])
      .where('contactId', '=', contact.id)
      .execute()
    const withdrawn = (kind: string) => consents.some((c) => c.kind === kind && !c.granted)
    const email = contact.email && !withdrawn('email_updates') ? contact.email : null
    const viaEmail = (reason: string, detail: Record<string, unknown> = {}): ChannelChoice =>
      email
        ? { channel: 'email', reason, detail }
        : { channel: null, reason: 'no_channel', detail: { ...detail, why: reason } }
    if (email && (contact.preferredChannel === 'email' || contact.preferredChannel === 'pec'))
      return viaEmail('preference_email')
    if (!contact.fiscalCode) return viaEmail('no_fiscal_code')
    if (withdrawn('io_messages')) return viaEmail('io_consent_withdrawn')
    if (!io.enabled) return viaEmail('io_disabled')
    try {
      const profile = await ioProfile(contact.fiscalCode.toUpperCase())
      const detail = {
        ioProfileStatus: profile.status,
        senderAllowed: profile.allowed,
        cached: profile.cached,
      }
      if (profile.allowed) return { channel: 'io', reason: 'io_sender_allowed', detail }
      return viaEmail(profile.status === 200 ? 'io_sender_not_allowed' : 'io_no_profile', detail)
    } catch (err) {
      if (email) return viaEmail('io_unavailable', { error: (err as Error).message })
      throw err
    }
  }

  async function loadContact(contactId: number, ex: Executor = db): Promise<ContactForChoice | undefined> {
    return ex
      .selectFrom('contacts')
      .select([
        'id',
        'email',
        'fiscalCode',
        'preferredChannel',
        'language',
        'firstName',
        'lastName',
        'organisationName',
      ])
      .where('id', '=', contactId)
      .executeTakeFirst()
  }

  async function loadTemplate(trigger: TemplateKind, language: Language, ex: Executor = db) {
    return ex
      .selectFrom('notificationTemplates')
      .selectAll()
      .where('trigger', '=', trigger)
      .where('language', '=', language)
      .executeTakeFirstOrThrow()
  }

  /** The words of the public answer: the comment given when the case was last resolved. */
  async function publicAnswer(ex: Executor, caseId: number): Promise<string> {
    const row = await ex
      .selectFrom('caseEvents')
      .select('data')
      .where('caseId', '=', caseId)
      .where('kind', '=', 'status_changed')
      .where(sql<boolean>`data->>'to' = 'resolved'`)
      .orderBy('id', 'desc')
      .executeTakeFirst()
    const comment = (row?.data as { comment?: unknown } | null)?.comment
    return typeof comment === 'string' ? comment : ''
  }

  interface Rendered {
    subject: string
    markdown: string
    html: string
    text: string
    adjusted: string[]
    variables: Record<string, string>
  }

  function render(
    template: { subject: string; markdown: string; emailHtml: string; emailText: string },
    vars: Record<string, string>,
    steps: string[],
    language: Language,
  ): Rendered {
    const subject = renderTemplate(template.subject, vars, 'text')
    const markdownSteps = steps.map((s) => `- ${s}`).join('\n')
    const htmlSteps = `<ul>${steps.map((s) => `<li>${s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</li>`).join('')}</ul>`
    const md = renderTemplate(template.markdown, { ...vars, steps: markdownSteps }, 'markdown', [
      'steps',
      'statusUrl',
    ])
    const fitted = fitIoContent(subject, md, language, vars.statusUrl ?? '')
    return {
      subject: fitted.subject,
      markdown: fitted.markdown,
      html: renderTemplate(template.emailHtml, { ...vars, steps: htmlSteps }, 'html', ['steps']),
      text: renderTemplate(
        template.emailText,
        { ...vars, steps: steps.map((s) => `- ${s}`).join('\n') },
        'text',
      ),
      adjusted: fitted.adjusted,
      variables: { ...vars, steps: steps.join('; ') },
    }
  }

  async function caseVariables(
    ex: Executor,
    caseId: number,
    language: Language,
    name: string,
    extra: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    const kase = await ex
      .selectFrom('cases')
      .select(['number', 'subject', 'status', 'publicToken'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    return {
      name: name || (language === 'en' ? 'citizen' : 'cittadina, cittadino'),
      number: kase.number,
      subject: kase.subject,
      status: translate(language, `citizen_status.${kase.status}`),
      statusUrl: statusPageUrl(config.publicUrl, kase.publicToken),
      answer: await publicAnswer(ex, caseId),
      comment: '',
      message: '',
      ...extra,
    }
  }

  /** Where an email notification about the case leaves from: the mailbox the citizen wrote to, else the default sender. */
  async function mailboxFor(
    ex: Executor,
    caseId: number,
  ): Promise<{ mailbox: MailboxRow | null; inReplyTo: string | null }> {
    const last = await ex
      .selectFrom('caseMessages as m')
      .innerJoin('mailHeaders as h', 'h.caseMessageId', 'm.id')
      .select(['h.mailboxId', 'h.messageId'])
      .where('m.caseId', '=', caseId)
      .where('m.direction', '=', 'in')
      .where('h.autoReply', '=', false)
      .orderBy('m.id', 'desc')
      .executeTakeFirst()
    const mailbox = last?.mailboxId ? await findMailbox(ex, last.mailboxId) : undefined
    return { mailbox: mailbox?.enabled ? mailbox : null, inReplyTo: last?.messageId ?? null }
  }

  const fromDomain = (mailbox: MailboxRow | null): string =>
    (mailbox?.address ?? config.notificationFrom).replace(/.*@/, '').replace(/[>\s].*$/, '') || 'filo.invalid'

  /**
   * Writes the notification row (unique per case, event and channel), explains the
   * choice on the timeline and queues its sending; in the caller's transaction.
   */
  async function createNotification(
    trx: Executor,
    input: {
      caseId: number
      eventId: number
      channel: NotificationChannel
      triggers: string[]
      language: Language
      recipient: string
      rendered: Rendered
      choice: ChannelChoice
    },
  ): Promise<number | null> {
    const { mailbox, inReplyTo } =
      input.channel === 'email' ? await mailboxFor(trx, input.caseId) : { mailbox: null, inReplyTo: null }
    const row = await trx
      .insertInto('notifications')
      .values({
        caseId: input.caseId,
        eventId: input.eventId,
        channel: input.channel,
        triggers: input.triggers,
        language: input.language,
        recipient: input.recipient,
        subject: input.rendered.subject,
        markdown: input.channel === 'io' ? input.rendered.markdown : null,
        bodyText: input.channel === 'email' ? input.rendered.text : null,
        bodyHtml: input.channel === 'email' ? input.rendered.html : null,
        mailboxId: mailbox?.id ?? null,
        messageId:
          input.channel === 'email'
            ? signedMessageId(config.mailSigningKey, input.caseId, fromDomain(mailbox))
            : null,
        choice: JSON.stringify({
          reason: input.choice.reason,
          ...input.choice.detail,
          ...(inReplyTo ? { inReplyTo } : {}),
          ...(input.rendered.adjusted.length ? { adjusted: input.rendered.adjusted } : {}),
        }),
      })
      .onConflict((oc) => oc.columns(['caseId', 'eventId', 'channel']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) return null
    await insertEvent(trx, {
      caseId: input.caseId,
      kind: 'notification_queued',
      actorId: null,
      data: {
        notificationId: row.id,
        channel: input.channel,
        triggers: input.triggers,
        reason: input.choice.reason,
        explanation: translate(input.language, `notification.reason.${input.choice.reason}`, {
          status: String(input.choice.detail.ioStatus ?? ''),
        }),
        ...input.choice.detail,
      },
      dedupeKey: `notification:${row.id}:queued`,
    })
    await enqueue(trx, 'notification.send', { notificationId: row.id })
    return row.id
  }

  const dueAt = (createdAt: Date) => new Date(createdAt.getTime() + config.notificationDigestSeconds * 1000)

  /**
   * The digest: once the window of a case's first pending change has passed, every
   * pending change of the case becomes one message on the chosen channel.
   */
  async function digest(
    caseId: number,
    now = new Date(),
  ): Promise<'sent' | 'nothing' | 'not_due' | 'skipped'> {
    const first = await db
      .selectFrom('notificationPending')
      .select(['createdAt'])
      .where('caseId', '=', caseId)
      .where('digestedAt', 'is', null)
      .orderBy('id')
      .executeTakeFirst()
    if (!first) return 'nothing'
    const due = dueAt(first.createdAt)
    if (due > now) {
      await schedule('notification.digest', { caseId }, due, `notify-digest-${caseId}-${due.getTime()}`)
      return 'not_due'
    }
    const kase = await db
      .selectFrom('cases')
      .select(['contactId', 'categoryId'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    const contact = kase.contactId ? await loadContact(kase.contactId) : undefined
    // Outside the transaction: IO is asked (or its cached answer read) before anything is locked.
    const choice: ChannelChoice = contact
      ? await chooseChannel(contact)
      : { channel: null, reason: 'no_channel', detail: {} }
    return db.transaction().execute(async (trx) => {
      const pending = await trx
        .selectFrom('notificationPending')
        .selectAll()
        .where('caseId', '=', caseId)
        .where('digestedAt', 'is', null)
        .orderBy('id')
        .forUpdate()
        .skipLocked()
        .execute()
      if (pending.length === 0) return 'nothing'
      await trx
        .updateTable('notificationPending')
        .set({ digestedAt: sql`now()` })
        .where(
          'id',
          'in',
          pending.map((p) => p.id),
        )
        .execute()
      const setting = kase.categoryId
        ? await trx
            .selectFrom('notificationCategorySettings')
            .select('triggers')
            .where('categoryId', '=', kase.categoryId)
            .executeTakeFirst()
        : undefined
      const allowed = setting?.triggers ?? [...NOTIFICATION_TRIGGERS]
      const kept = pending.filter((p) => allowed.includes(p.trigger))
      const last = pending.at(-1)
      if (!last) return 'nothing'
      if (kept.length === 0 || !contact || !choice.channel) {
        await insertEvent(trx, {
          caseId,
          kind: 'notification_skipped',
          actorId: null,
          data: {
            triggers: pending.map((p) => p.trigger),
            reason: kept.length === 0 ? 'category_off' : choice.reason,
            explanation: translate(
              asLanguage(contact?.language ?? 'it'),
              `notification.reason.${kept.length === 0 ? 'category_off' : choice.reason}`,
            ),
          },
          dedupeKey: `notification:skipped:${last.eventId}`,
        })
        return 'skipped'
      }
      const language = asLanguage(contact.language)
      const lastKept = kept.at(-1) as (typeof kept)[number]
      const comment = [...kept]
        .reverse()
        .map((p) => (p.data as { comment?: unknown }).comment)
        .find((c): c is string => typeof c === 'string')
      const triggers = kept.map((p) => p.trigger)
      const kind: TemplateKind = kept.length === 1 ? (lastKept.trigger as NotificationTrigger) : 'digest'
      const template = await loadTemplate(kind, language)
      const vars = await caseVariables(
        trx,
        caseId,
        language,
        displayName(contact),
        comment ? { comment } : {},
      )
      const steps = triggers.map((t) => translate(language, `notification.trigger.${t}`))
      const rendered = render(template, vars, steps, language)
      const recipient =
        choice.channel === 'io' ? (contact.fiscalCode ?? '').toUpperCase() : (contact.email ?? '')
      await createNotification(trx, {
        caseId,
        eventId: lastKept.eventId,
        channel: choice.channel,
        triggers,
        language,
        recipient,
        rendered,
        choice,
      })
      return 'sent'
    })
  }

  async function settle(
    ex: Executor,
    row: NotificationRow,
    state: 'sent' | 'failed' | 'uncertain' | 'fallback',
    set: Record<string, unknown>,
    event: { kind: string; data: Record<string, unknown> },
  ): Promise<void> {
    const settled = await ex
      .updateTable('notifications')
      .set({ state, updatedAt: sql`now()`, ...set })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .executeTakeFirst()
    // Someone else settled it first (a reconciliation): their word stands.
    if (Number(settled.numUpdatedRows) === 0) return
    await insertEvent(ex, {
      caseId: row.caseId,
      kind: event.kind,
      actorId: null,
      data: { notificationId: row.id, channel: row.channel, recipient: row.recipient, ...event.data },
      dedupeKey: `notification:${row.id}:${event.kind}:${row.attempts}`,
    })
  }

  /** A failed attempt: try again later (IO's Retry-After honoured), or give up after the last attempt. */
  async function retryLater(
    ex: Executor,
    row: NotificationRow,
    error: string,
    retryAfterMs: number | null,
  ): Promise<'retry' | 'failed'> {
    const attempts = row.attempts + 1
    if (attempts >= config.notificationMaxAttempts) {
      await settle(
        ex,
        row,
        'failed',
        { lastError: error, attempts },
        { kind: 'notification_failed', data: { error, attempts } },
      )
      return 'failed'
    }
    const delay = Math.max(retryAfterMs ?? 0, backoffMs(config.notificationRetryBaseMs, attempts))
    const at = new Date(Date.now() + delay)
    await ex
      .updateTable('notifications')
      .set({ state: 'retry', attempts, nextAttemptAt: at, lastError: error, updatedAt: sql`now()` })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .execute()
    await schedule(
      'notification.resend',
      { notificationId: row.id },
      at,
      `notify-send-${row.id}-${attempts}-${at.getTime()}`,
    )
    return 'retry'
  }

  /**
   * Sends one notification, at most once. The attempt is committed as `sending`
   * before the provider is called; a later run that finds `sending` left behind
   * by a worker that died never sends again: it settles it from the evidence (the
   * provider's copy in the mailbox's Sent folder) or marks it uncertain.
   */
  async function send(id: number, hooks: SendHooks = {}): Promise<SendOutcome> {
    // One connection for the whole attempt, holding an advisory lock: a second run
    // while this one is in flight steps back; a run after this process died (its
    // connection, and the lock, gone with it) finds `sending` and reconciles.
    return db.connection().execute(async (conn) => {
      const key = `filo.notification:${id}`
      const got = await sql<{
        ok: boolean
      }>`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as ok`.execute(conn)
      if (!got.rows[0]?.ok) return 'in_flight'
      try {
        return await sendLocked(conn, id, hooks)
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn).catch(() => {})
      }
    })
  }

  async function sendLocked(ex: Executor, id: number, hooks: SendHooks): Promise<SendOutcome> {
    const claimed = await ex.transaction().execute(async (t) => {
      const row = await t
        .selectFrom('notifications')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()
      if (!row)
        throw new DomainError('not_found', 'notification_not_found', `notification ${id} not found`, {
          params: { id },
        })
      if (row.state === 'sending') return { kind: 'reconcile' as const, row }
      if (row.state !== 'queued' && row.state !== 'retry') return { kind: 'done' as const }
      if (row.nextAttemptAt.getTime() > Date.now() + 1000) return { kind: 'not_due' as const }
      const claimed = await t
        .updateTable('notifications')
        .set({ state: 'sending', updatedAt: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()
      return { kind: 'send' as const, row: claimed }
    })
    if (claimed.kind === 'done') return 'already_done'
    if (claimed.kind === 'not_due') return 'not_due'
    const row = claimed.row
    const mailbox = row.mailboxId ? ((await findMailbox(ex, row.mailboxId)) ?? null) : null
    if (claimed.kind === 'reconcile') {
      const proven =
        row.channel === 'email' && mailbox && row.messageId
          ? await foundInSentFolder(mailbox, config.mailCredentialsKey, row.messageId)
          : false
      await settle(
        ex,
        row,
        proven ? 'sent' : 'uncertain',
        proven
          ? { sentAt: sql`now()`, lastError: null }
          : { lastError: 'the worker stopped while sending and nothing proves it was sent: not sent again' },
        { kind: proven ? 'notification_sent' : 'notification_uncertain', data: { reconciled: true } },
      )
      return proven ? 'sent' : 'uncertain'
    }

    if (row.channel === 'io') {
      let ioId: string
      try {
        if (!ioContentValid(row.subject, row.markdown ?? '')) {
          throw new IoError(400, 'message content outside IO limits: not sent')
        }
        ioId = await io.submitMessage(row.recipient, { subject: row.subject, markdown: row.markdown ?? '' })
      } catch (err) {
        const error = (err as Error).message.slice(0, 2000)
        if (err instanceof IoError && (err.status === 403 || err.status === 404)) {
          await storeIoProfile(ex, row.recipient, err.status, false)
          return fallBackToEmail(ex, row, err.status, error)
        }
        if (err instanceof IoError && !err.retryable) {
          await settle(
            ex,
            row,
            'failed',
            { lastError: error, attempts: row.attempts + 1 },
            {
              kind: 'notification_failed',
              data: { error, status: err.status },
            },
          )
          return 'failed'
        }
        return retryLater(ex, row, error, err instanceof IoError ? err.retryAfterMs : null)
      }
      await hooks.afterAccepted?.()
      const checkAt = new Date(Date.now() + config.ioStatusPollSeconds * 1000)
      await settle(
        ex,
        row,
        'sent',
        {
          providerId: ioId,
          sentAt: sql`now()`,
          lastError: null,
          attempts: row.attempts + 1,
          statusCheckAt: checkAt,
        },
        { kind: 'notification_sent', data: { ioMessageId: ioId } },
      )
      await schedule('notification.status', { notificationId: row.id }, checkAt, `notify-status-${row.id}-0`)
      return 'sent'
    }

    const transport = mailbox
      ? smtpTransport(mailbox, config.mailCredentialsKey)
      : config.smtpUrl
        ? nodemailer.createTransport(config.smtpUrl)
        : null
    if (!transport) {
      await settle(
        ex,
        row,
        'failed',
        { lastError: 'no mailbox applies and SMTP_URL is not set', attempts: row.attempts + 1 },
        {
          kind: 'notification_failed',
          data: { error: 'no mailbox applies and SMTP_URL is not set' },
        },
      )
      return 'failed'
    }
    const inReplyTo = (row.choice as { inReplyTo?: string }).inReplyTo
    // A staff reply's files, stored with its event: every attempt (and a fallback from IO) sends the same.
    const files = row.triggers.includes('reply')
      ? await replyAttachmentsOf(ex, { replyEventId: row.eventId })
      : []
    const caseNumber = await ex
      .selectFrom('cases')
      .select('number')
      .where('id', '=', row.caseId)
      .executeTakeFirstOrThrow()
    let response: string
    try {
      const attachments = await mailAttachments(new LocalDiskStorage(config.attachmentsDir), files)
      const info = await transport.sendMail({
        from: mailbox ? { name: mailbox.name, address: mailbox.address } : config.notificationFrom,
        to: row.recipient,
        subject: row.subject,
        text: row.bodyText ?? '',
        ...(row.bodyHtml ? { html: row.bodyHtml } : {}),
        ...(row.messageId ? { messageId: row.messageId } : {}),
        ...(inReplyTo ? { inReplyTo, references: [inReplyTo] } : {}),
        headers: { 'X-Filo-Case': caseNumber.number, 'Auto-Submitted': 'auto-generated' },
        ...(attachments.length ? { attachments } : {}),
      })
      response = String(info.response ?? '')
    } catch (err) {
      const error = String((err as Error).message).slice(0, 2000)
      const code = (err as { responseCode?: number }).responseCode
      // A file gone from the storage will not come back: as final as a refusal.
      if ((typeof code === 'number' && code >= 500) || err instanceof ReplyAttachmentMissingError) {
        await settle(
          ex,
          row,
          'failed',
          { lastError: error, attempts: row.attempts + 1 },
          {
            kind: 'notification_failed',
            data: { error, smtpCode: code },
          },
        )
        return 'failed'
      }
      return retryLater(ex, row, error, null)
    } finally {
      transport.close()
    }
    await hooks.afterAccepted?.()
    await settle(
      ex,
      row,
      'sent',
      {
        sentAt: sql`now()`,
        lastError: null,
        attempts: row.attempts + 1,
        providerId: response.slice(0, 500) || null,
      },
      {
        kind: 'notification_sent',
        data: {
          messageId: row.messageId,
          ...(files.length ? { attachments: replyAttachmentSummary(files) } : {}),
        },
      },
    )
    return 'sent'
  }

  /** IO refused the citizen (403/404): the same message goes by email, when there is an address. */
  async function fallBackToEmail(
    ex: Executor,
    row: NotificationRow,
    status: number,
    error: string,
  ): Promise<'fallback' | 'failed'> {
    const kase = await ex
      .selectFrom('cases')
      .select('contactId')
      .where('id', '=', row.caseId)
      .executeTakeFirstOrThrow()
    const contact = kase.contactId ? await loadContact(kase.contactId, ex) : undefined
    if (!contact?.email) {
      await settle(
        ex,
        row,
        'failed',
        { lastError: error, attempts: row.attempts + 1 },
        {
          kind: 'notification_failed',
          data: { error, status },
        },
      )
      return 'failed'
    }
    const language = asLanguage(row.language)
    const kind: TemplateKind = row.triggers.length === 1 ? (row.triggers[0] as TemplateKind) : 'digest'
    const template = await loadTemplate(kind, language, ex)
    await ex.transaction().execute(async (trx) => {
      await trx
        .updateTable('notifications')
        .set({ state: 'fallback', lastError: error, attempts: row.attempts + 1, updatedAt: sql`now()` })
        .where('id', '=', row.id)
        .where('state', '=', 'sending')
        .execute()
      const vars = await caseVariables(trx, row.caseId, language, displayName(contact))
      const steps = row.triggers.map((t) => translate(language, `notification.trigger.${t}`))
      await createNotification(trx, {
        caseId: row.caseId,
        eventId: row.eventId,
        channel: 'email',
        triggers: row.triggers,
        language,
        recipient: contact.email as string,
        rendered: render(
          template,
          { ...vars, ...(row.triggers.includes('reply') ? { message: row.markdown ?? '' } : {}) },
          steps,
          language,
        ),
        choice: {
          channel: 'email',
          reason: 'io_refused',
          detail: { ioStatus: status, fallbackFrom: row.id },
        },
      })
    })
    return 'fallback'
  }

  /** Reads an IO message's status and puts each new one on the timeline; polls less often each time until final. */
  async function checkStatus(id: number): Promise<string | null> {
    const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst()
    if (row?.channel !== 'io' || !row.providerId || row.statusCheckAt === null) return null
    let status: string | null
    try {
      status = await io.getMessageStatus(row.recipient, row.providerId)
    } catch (err) {
      status = null
      if (!(err instanceof IoError && err.retryable)) {
        await db
          .updateTable('notifications')
          .set({ statusCheckAt: null, lastError: (err as Error).message })
          .where('id', '=', id)
          .execute()
        return null
      }
    }
    const checks = row.statusChecks + 1
    const final = status !== null && TERMINAL_IO.includes(status)
    const next =
      final || checks >= MAX_STATUS_CHECKS
        ? null
        : new Date(Date.now() + config.ioStatusPollSeconds * 1000 * 2 ** checks)
    await db
      .updateTable('notifications')
      .set({
        ioStatus: status ?? row.ioStatus,
        statusChecks: checks,
        statusCheckAt: next,
        updatedAt: sql`now()`,
      })
      .where('id', '=', id)
      .execute()
    if (status && status !== row.ioStatus) {
      await insertEvent(db, {
        caseId: row.caseId,
        kind: 'notification_status',
        actorId: null,
        data: { notificationId: id, channel: 'io', ioMessageId: row.providerId, status },
        dedupeKey: `notification:${id}:status:${status}`,
      })
    }
    if (next)
      await schedule('notification.status', { notificationId: id }, next, `notify-status-${id}-${checks}`)
    return status
  }

  /**
   * What is overdue in PostgreSQL — digests past their window, attempts past their
   * time, status reads — whatever Redis did with the delayed jobs. `graceMs` leaves
   * the jobs in Redis their chance first.
   */
  async function overdue(graceMs = 30_000, limit = 200) {
    const before = new Date(Date.now() - graceMs)
    const windowEdge = new Date(before.getTime() - config.notificationDigestSeconds * 1000)
    const [digests, sends, statuses] = await Promise.all([
      db
        .selectFrom('notificationPending')
        .select('caseId')
        .distinct()
        .where('digestedAt', 'is', null)
        .where('createdAt', '<=', windowEdge)
        .limit(limit)
        .execute(),
      db
        .selectFrom('notifications')
        .select('id')
        .where('nextAttemptAt', '<=', before)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', 'in', ['queued', 'retry']), eb('updatedAt', '<=', before)]),
            // Left by a worker that died mid-send (one in flight holds its lock, and is left alone).
            eb.and([eb('state', '=', 'sending'), eb('updatedAt', '<=', before)]),
          ]),
        )
        .limit(limit)
        .execute(),
      db.selectFrom('notifications').select('id').where('statusCheckAt', '<=', before).limit(limit).execute(),
    ])
    return {
      digests: digests.map((r) => r.caseId),
      sends: sends.map((r) => r.id),
      statuses: statuses.map((r) => r.id),
    }
  }

  /** Schedules the digest of a case's burst at the end of its window. */
  async function scheduleDigest(caseId: number): Promise<void> {
    const first = await db
      .selectFrom('notificationPending')
      .select('createdAt')
      .where('caseId', '=', caseId)
      .where('digestedAt', 'is', null)
      .orderBy('id')
      .executeTakeFirst()
    if (!first) return
    const due = dueAt(first.createdAt)
    await queues['notification-timers'].add(
      'notification.digest',
      { caseId },
      { jobId: `notify-digest-${caseId}-${due.getTime()}`, delay: Math.max(0, due.getTime() - Date.now()) },
    )
  }

  // ---- administration -------------------------------------------------------

  const toTemplateView = (r: {
    id: number
    trigger: string
    language: string
    subject: string
    markdown: string
    emailHtml: string
    emailText: string
    version: number
    updatedAt: Date
  }): TemplateView => ({
    id: r.id,
    trigger: r.trigger as TemplateView['trigger'],
    language: r.language as TemplateView['language'],
    subject: r.subject,
    markdown: r.markdown,
    emailHtml: r.emailHtml,
    emailText: r.emailText,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  })

  return {
    io,
    digest,
    scheduleDigest,
    send,
    checkStatus,
    overdue,
    chooseChannel,

    /**
     * A staff reply on a case that did not come by email (and names no mailbox or
     * address) goes out like the notifications: IO when the citizen is reachable
     * there, else email from the default sender. Null when the email channel should
     * take it (an email case, an explicit mailbox or address, or no contact).
     */
    async replyByNotification(
      actor: Actor,
      caseId: number,
      body: { text: string; mailboxId?: number; to?: string; attachmentIds?: number[] },
    ): Promise<NotificationReplyView | null> {
      if (body.mailboxId !== undefined || body.to !== undefined) return null
      if (!['admin', 'supervisor', 'operator', 'office_staff'].includes(actor.role)) return null
      return db.transaction().execute(async (trx) => {
        const kase = await lockCase(trx, actor, caseId)
        if (!kase?.contactId) return null
        const email = await trx
          .selectFrom('caseMessages as m')
          .innerJoin('mailHeaders as h', 'h.caseMessageId', 'm.id')
          .select('m.id')
          .where('m.caseId', '=', caseId)
          .where('m.direction', '=', 'in')
          .executeTakeFirst()
        if (email) return null
        const text = body.text.trim()
        if (!text) throw new DomainError('invalid', 'notification_reply_blank', 'the reply is blank')
        const files = await checkReplyAttachments(trx, caseId, body.attachmentIds)
        const sent = replyAttachmentSummary(files)
        const eventId = await insertEvent(trx, {
          caseId,
          kind: 'reply_queued',
          actorId: actor.id,
          data: { text, via: 'notification', ...(sent.length ? { attachments: sent } : {}) },
        })
        if (eventId === null) throw new Error('reply event not written')
        // Keyed by the event every notification of this reply names (IO, email, a fallback).
        await linkReplyAttachments(trx, caseId, { replyEventId: eventId }, files)
        await recordAudit(trx, actor, {
          action: 'case.reply',
          entityType: 'case',
          entityId: caseId,
          after: { via: 'notification', eventId, ...(sent.length ? { attachments: sent } : {}) },
        })
        await enqueue(trx, 'notification.reply', { caseId, eventId })
        return { caseId, eventId, via: 'notification' as const, state: 'queued' as const, attachments: sent }
      })
    },

    /** The workers' half of a reply by notification: the channel chosen, the notification written and queued. */
    async reply(caseId: number, eventId: number): Promise<'queued' | 'skipped' | 'duplicate'> {
      const event = await db
        .selectFrom('caseEvents')
        .select(['data'])
        .where('id', '=', eventId)
        .where('caseId', '=', caseId)
        .executeTakeFirst()
      const kase = await db
        .selectFrom('cases')
        .select('contactId')
        .where('id', '=', caseId)
        .executeTakeFirst()
      const text = (event?.data as { text?: unknown } | null)?.text
      if (!event || typeof text !== 'string' || !kase) return 'skipped'
      const contact = kase.contactId ? await loadContact(kase.contactId) : undefined
      const choice: ChannelChoice = contact
        ? await chooseChannel(contact)
        : { channel: null, reason: 'no_channel', detail: {} }
      return db.transaction().execute(async (trx) => {
        const language = asLanguage(contact?.language ?? 'it')
        if (!contact || !choice.channel) {
          await insertEvent(trx, {
            caseId,
            kind: 'notification_skipped',
            actorId: null,
            data: {
              triggers: ['reply'],
              reason: choice.reason,
              explanation: translate(language, `notification.reason.${choice.reason}`),
            },
            dedupeKey: `notification:skipped:${eventId}`,
          })
          return 'skipped'
        }
        const template = await loadTemplate('reply', language, trx)
        const files = await replyAttachmentsOf(trx, { replyEventId: eventId })
        const message = files.length ? `${text}\n\n${attachmentsNote(language, choice.channel, files)}` : text
        const vars = await caseVariables(trx, caseId, language, displayName(contact), { message })
        const rendered = render(template, vars, [translate(language, 'notification.trigger.reply')], language)
        const id = await createNotification(trx, {
          caseId,
          eventId,
          channel: choice.channel,
          triggers: ['reply'],
          language,
          recipient:
            choice.channel === 'io' ? (contact.fiscalCode ?? '').toUpperCase() : (contact.email ?? ''),
          rendered,
          choice,
        })
        return id === null ? 'duplicate' : 'queued'
      })
    },

    /** Notifications, for admins: the failed ones (state failed or uncertain) are what needs them. */
    async list(
      actor: Actor,
      query: ListQuery<NotificationFilter, (typeof NOTIFICATION_SORTS)[number]>,
    ): Promise<ListResult<NotificationView>> {
      admins(actor)
      let q = db.selectFrom('notifications as n').innerJoin('cases as c', 'c.id', 'n.caseId')
      const states = query.filter.state
      if (states !== undefined) q = q.where('n.state', 'in', Array.isArray(states) ? states : [states])
      if (query.filter.caseId !== undefined) q = q.where('n.caseId', '=', query.filter.caseId)
      if (query.filter.channel !== undefined) q = q.where('n.channel', '=', query.filter.channel)
      const [rows, count] = await Promise.all([
        q
          .selectAll('n')
          .select('c.number as caseNumber')
          .orderBy(`n.${query.sort}`, query.order)
          .orderBy('n.id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(toNotificationView), total: Number(count.n), exact: true }
    },

    /** An admin sends a failed (or uncertain) notification again: a fresh round of attempts. */
    async retry(actor: Actor, id: number, reason?: string): Promise<NotificationView> {
      admins(actor)
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('notifications')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        if (!row)
          throw new DomainError('not_found', 'notification_not_found', `notification ${id} not found`, {
            params: { id },
          })
        if (row.state !== 'failed' && row.state !== 'uncertain')
          throw new DomainError(
            'conflict',
            'notification_not_retryable',
            `notification ${id} is ${row.state}`,
            {
              params: { id },
            },
          )
        await trx
          .updateTable('notifications')
          .set({
            state: 'queued',
            attempts: 0,
            nextAttemptAt: sql`now()`,
            lastError: null,
            updatedAt: sql`now()`,
          })
          .where('id', '=', id)
          .execute()
        await insertEvent(trx, {
          caseId: row.caseId,
          kind: 'notification_retried',
          actorId: actor.id,
          data: { notificationId: id, channel: row.channel, previousState: row.state },
        })
        await recordAudit(trx, actor, {
          action: 'notification.retry',
          entityType: 'notification',
          entityId: id,
          before: { state: row.state, lastError: row.lastError },
          after: { state: 'queued', ...(reason ? { reason } : {}) },
        })
        await enqueue(trx, 'notification.send', { notificationId: id })
      })
      const row = await findNotification(db, id)
      if (!row)
        throw new DomainError('not_found', 'notification_not_found', `notification ${id} not found`, {
          params: { id },
        })
      return toNotificationView(row)
    },

    async templates(actor: Actor): Promise<TemplateView[]> {
      admins(actor)
      const rows = await db.selectFrom('notificationTemplates').selectAll().orderBy('id').execute()
      return rows.map(toTemplateView)
    },

    async updateTemplate(actor: Actor, id: number, body: UpdateTemplateBody): Promise<TemplateView> {
      admins(actor)
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('notificationTemplates')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        if (!before)
          throw new DomainError('not_found', 'notification_template_not_found', `template ${id} not found`, {
            params: { id },
          })
        if (body.version === undefined)
          throw new DomainError(
            'invalid',
            'case_version_required',
            'send the version you read (body.version or If-Match)',
          )
        if (body.version !== before.version)
          throw new DomainError('conflict', 'notification_template_version_conflict', 'stale template', {
            params: { version: before.version },
            details: { current: toTemplateView(before) },
          })
        const { version: _, ...fields } = body
        for (const [field, text] of Object.entries(fields)) {
          const unknown = templateVariables(text ?? '').filter((v) => !TEMPLATE_VARIABLES.includes(v))
          if (unknown.length)
            throw new DomainError(
              'invalid',
              'notification_template_unknown_variable',
              `unknown {{${unknown[0]}}}`,
              {
                params: { name: unknown[0] ?? '', allowed: TEMPLATE_VARIABLES.join(', ') },
                details: { field, unknown },
              },
            )
        }
        const after = await trx
          .updateTable('notificationTemplates')
          .set({ ...fields, version: before.version + 1, updatedAt: sql`now()` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow()
        await recordAudit(trx, actor, {
          action: 'notification_template.update',
          entityType: 'notification_template',
          entityId: id,
          before: toTemplateView(before),
          after: toTemplateView(after),
        })
        return toTemplateView(after)
      })
    },

    /** Renders a template — stored, or as the admin is editing it — for a case or sample values, IO limits applied. */
    async preview(actor: Actor, body: PreviewBody): Promise<PreviewView> {
      admins(actor)
      const stored = await loadTemplate(body.trigger, body.language)
      const template = {
        subject: body.subject ?? stored.subject,
        markdown: body.markdown ?? stored.markdown,
        emailHtml: body.emailHtml ?? stored.emailHtml,
        emailText: body.emailText ?? stored.emailText,
      }
      const en = body.language === 'en'
      let vars: Record<string, string>
      if (body.caseId) {
        const found = await db
          .selectFrom('cases')
          .select('id')
          .where('id', '=', body.caseId)
          .executeTakeFirst()
        if (!found)
          throw new DomainError('not_found', 'case_not_found', `case ${body.caseId} not found`, {
            params: { id: body.caseId },
          })
        vars = await caseVariables(db, body.caseId, body.language, en ? 'Jane Doe' : 'Maria Rossi')
      } else {
        vars = {
          name: en ? 'Jane Doe' : 'Maria Rossi',
          number: `${config.caseNumberPrefix}-2026-000123`,
          subject: en ? 'Pothole in via Roma' : 'Buca in via Roma',
          status: translate(body.language, 'citizen_status.resolved'),
          statusUrl: statusPageUrl(config.publicUrl, '0123456789abcdef0123456789abcdef'),
          answer: en ? 'The pothole was filled on 3 March.' : 'La buca è stata chiusa il 3 marzo.',
          comment: en ? 'Please send a photo of the place.' : 'Inviaci una foto del luogo.',
          message: en ? 'We will be there on Monday.' : 'Interverremo lunedì.',
        }
      }
      const steps = (
        body.trigger === 'digest' ? ['received', 'taken_in_charge', 'resolved'] : [body.trigger]
      ).map((t) => translate(body.language, `notification.trigger.${t}`))
      const rendered = render(template, vars, steps, body.language)
      return {
        variables: rendered.variables,
        io: { subject: rendered.subject, markdown: rendered.markdown, adjusted: rendered.adjusted },
        email: { subject: rendered.subject, html: rendered.html, text: rendered.text },
      }
    },

    async categorySettings(actor: Actor): Promise<CategorySettingView[]> {
      admins(actor)
      const rows = await db
        .selectFrom('categories as c')
        .leftJoin('notificationCategorySettings as s', 's.categoryId', 'c.id')
        .select(['c.id', 'c.nameIt', 'c.nameEn', 's.triggers', 's.version'])
        .orderBy('c.id')
        .execute()
      return rows.map((r) => ({
        categoryId: r.id,
        categoryName: r.nameIt,
        triggers: (r.triggers ?? [...NOTIFICATION_TRIGGERS]) as CategorySettingView['triggers'],
        custom: r.triggers !== null,
        version: r.version ?? 0,
      }))
    },

    async updateCategorySetting(
      actor: Actor,
      categoryId: number,
      body: UpdateCategorySettingBody,
    ): Promise<CategorySettingView> {
      admins(actor)
      return db.transaction().execute(async (trx) => {
        const category = await trx
          .selectFrom('categories')
          .select(['id', 'nameIt'])
          .where('id', '=', categoryId)
          .executeTakeFirst()
        if (!category)
          throw new DomainError(
            'not_found',
            'notification_category_not_found',
            `category ${categoryId} not found`,
            {
              params: { id: categoryId },
            },
          )
        const before = await trx
          .selectFrom('notificationCategorySettings')
          .selectAll()
          .where('categoryId', '=', categoryId)
          .forUpdate()
          .executeTakeFirst()
        const current = before?.version ?? 0
        if (body.version !== undefined && body.version !== current)
          throw new DomainError('conflict', 'notification_settings_version_conflict', 'stale settings', {
            params: { version: current },
          })
        const after = await trx
          .insertInto('notificationCategorySettings')
          .values({ categoryId, triggers: body.triggers, version: 1 })
          .onConflict((oc) =>
            oc
              .column('categoryId')
              .doUpdateSet({ triggers: body.triggers, version: current + 1, updatedAt: sql`now()` }),
          )
          .returningAll()
          .executeTakeFirstOrThrow()
        await recordAudit(trx, actor, {
          action: 'notification_settings.update',
          entityType: 'category',
          entityId: categoryId,
          before: before ? { triggers: before.triggers } : undefined,
          after: { triggers: after.triggers },
        })
        return {
          categoryId,
          categoryName: category.nameIt,
          triggers: after.triggers as CategorySettingView['triggers'],
          custom: true,
          version: after.version,
        }
      })
    },
  }
}
