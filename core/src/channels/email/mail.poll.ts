import { ImapFlow } from 'imapflow'
import { sql } from 'kysely'
import type { Logger } from 'pino'
import Type, { type Static } from 'typebox'
import { isPermanent } from '../../errors.ts'
import { decryptSecret } from './mail.crypto.ts'
import {
  type FetchedMessage,
  type ImportOutcome,
  importMessage,
  type MailChannelContext,
} from './mail.inbound.ts'
import { findMailbox, type MailboxRow } from './mailbox.repository.ts'

/**
 * Mailbox polling is not outbox-backed: its truth is the mailbox row (enabled,
 * interval, UIDVALIDITY, last UID). The workers keep one repeatable BullMQ job
 * per enabled mailbox on this queue, rebuilt from PostgreSQL at start-up.
 */
export const MAIL_POLL_QUEUE = 'mail-poll'
export const MAIL_POLL_JOB = 'mailbox.poll'
export const MailPollPayload = Type.Object(
  { mailboxId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
)
export type MailPollPayload = Static<typeof MailPollPayload>
/** The job scheduler id of a mailbox: one repeatable job per mailbox, whoever schedules it. */
export const mailPollSchedulerId = (mailboxId: number): string => `mailbox-${mailboxId}`

/** Messages handled per poll; the rest wait for the next one. */
const BATCH = 200
/** Longest wait between attempts of a failing mailbox. */
const MAX_BACKOFF_SECONDS = 3600

export interface PollOptions {
  log?: Logger
  /** Poll even while the mailbox is backing off after failures (an admin's "try now", tests). */
  ignoreBackoff?: boolean
  /** Test seam: runs after a message was imported and before that is recorded, as a crash would interrupt it. */
  afterImport?: (uid: number, outcome: ImportOutcome) => Promise<void>
}

export type PollResult =
  | { status: 'skipped'; reason: 'missing' | 'disabled' | 'backing_off' }
  | { status: 'ok'; uidValidity: number; handled: { uid: number; outcome: string }[] }
  | { status: 'failed'; error: string }

/** An IMAP client for a mailbox, with TLS verified whenever TLS is used. */
export function imapClient(mailbox: MailboxRow, credentialsKey: string): ImapFlow {
  return new ImapFlow({
    host: mailbox.imapHost,
    port: mailbox.imapPort,
    secure: mailbox.imapSecurity === 'tls',
    doSTARTTLS:
      mailbox.imapSecurity === 'starttls' ? true : mailbox.imapSecurity === 'none' ? false : undefined,
    auth: { user: mailbox.imapUser, pass: decryptSecret(credentialsKey, mailbox.imapPasswordEnc) },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  })
}

/** What a failure looks like to an admin: the server's words when it gave any. */
function describeError(err: unknown): string {
  const e = err as { message?: string; responseText?: string; authenticationFailed?: boolean; code?: string }
  if (e.authenticationFailed) return `authentication failed${e.responseText ? `: ${e.responseText}` : ''}`
  const parts = [e.message, e.responseText, e.code].filter(Boolean)
  return (parts.join(' — ') || String(err)).slice(0, 2000)
}

/**
 * Polls one mailbox once: every message with a UID above the last one done is
 * imported and recorded in mail_imports, and the cursor moves past it. The record
 * (mailbox, UIDVALIDITY, UID) is checked before a message is touched, and ingest
 * is idempotent on the Message-ID, so restarts, a crash between two steps, or two
 * pollers at once import each message once. A new UIDVALIDITY restarts the walk
 * from the first message, with the same guarantees. A failure is recorded on the
 * mailbox (shown to admins) and delays its next poll exponentially.
 */
export async function pollMailbox(
  ctx: MailChannelContext,
  mailboxId: number,
  opts: PollOptions = {},
): Promise<PollResult> {
  const mailbox = await findMailbox(ctx.db, mailboxId)
  if (!mailbox) return { status: 'skipped', reason: 'missing' }
  if (!mailbox.enabled) return { status: 'skipped', reason: 'disabled' }
  if (!opts.ignoreBackoff && mailbox.nextPollAt && mailbox.nextPollAt > new Date()) {
    return { status: 'skipped', reason: 'backing_off' }
  }
  await ctx.db
    .updateTable('mailboxes')
    .set({ lastPolledAt: sql`now()` })
    .where('id', '=', mailboxId)
    .execute()

  let client: ImapFlow | null = null
  try {
    client = imapClient(mailbox, ctx.config.mailCredentialsKey)
    // A dropped connection emits 'error'; the awaited command fails as well, and that is what is reported.
    client.on('error', (err) => opts.log?.debug({ err, mailboxId }, 'imap connection error'))
    await client.connect()
    const lock = await client.getMailboxLock(mailbox.folder)
    try {
      const uidValidity = Number(client.mailbox ? client.mailbox.uidValidity : 0)
      let lastUid = mailbox.lastUid
      if (mailbox.uidValidity !== uidValidity) {
        // The folder was rebuilt: every UID means something new. Walk it again; ingest knows what it has.
        await ctx.db
          .updateTable('mailboxes')
          .set({ uidValidity, lastUid: 0 })
          .where('id', '=', mailboxId)
          .execute()
        lastUid = 0
      }
      const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []
      // "n:*" always includes the last message, even below n.
      const uids = found
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b)
        .slice(0, BATCH)
      const handled: { uid: number; outcome: string }[] = []
      for (const uid of uids) {
        const outcome = await importOne(ctx, client, mailbox, uidValidity, uid, opts)
        handled.push({ uid, outcome })
        await ctx.db
          .updateTable('mailboxes')
          .set({ lastUid: sql`greatest(last_uid, ${uid})` })
          .where('id', '=', mailboxId)
          .where('uidValidity', '=', uidValidity)
          .execute()
      }
      await ctx.db
        .updateTable('mailboxes')
        .set({
          lastSuccessAt: sql`now()`,
          lastError: null,
          lastErrorAt: null,
          consecutiveFailures: 0,
          nextPollAt: null,
        })
        .where('id', '=', mailboxId)
        .execute()
      return { status: 'ok', uidValidity, handled }
    } finally {
      lock.release()
    }
  } catch (err) {
    const error = describeError(err)
    opts.log?.warn({ mailboxId, error }, 'mailbox poll failed')
    await ctx.db
      .updateTable('mailboxes')
      .set((eb) => ({
        lastError: error,
        lastErrorAt: sql`now()`,
        consecutiveFailures: eb('consecutiveFailures', '+', 1),
        nextPollAt: sql`now() + make_interval(secs => least(${MAX_BACKOFF_SECONDS}, poll_interval_seconds * power(2, least(consecutive_failures, 12))))`,
      }))
      .where('id', '=', mailboxId)
      .execute()
    return { status: 'failed', error }
  } finally {
    if (client) await client.logout().catch(() => client?.close())
  }
}

async function importOne(
  ctx: MailChannelContext,
  client: ImapFlow,
  mailbox: MailboxRow,
  uidValidity: number,
  uid: number,
  opts: PollOptions,
): Promise<string> {
  const key = { mailboxId: mailbox.id, uidValidity, uid }
  const done = await ctx.db
    .selectFrom('mailImports')
    .select('outcome')
    .where('mailboxId', '=', mailbox.id)
    .where('uidValidity', '=', uidValidity)
    .where('uid', '=', uid)
    .executeTakeFirst()
  if (done) return 'already_imported'

  const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true })
  if (!meta) return 'gone' // expunged meanwhile (another poller moved it): whoever moved it imported it
  const size = meta.size ?? 0
  const fetched: FetchedMessage = { uidValidity, uid, size }
  if (size > ctx.config.mailMaxMessageBytes) {
    const head = await client.fetchOne(String(uid), { uid: true, headers: true }, { uid: true })
    if (head !== false && head.headers) fetched.headerBytes = head.headers
  } else {
    const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true })
    if (full === false || !full.source) return 'gone'
    fetched.raw = full.source
  }

  let outcome: ImportOutcome
  try {
    outcome = await importMessage(ctx, mailbox, fetched)
  } catch (err) {
    // A message that can never be imported must not stop the ones after it.
    if (!isPermanent(err)) throw err
    outcome = {
      outcome: 'failed',
      caseId: null,
      caseMessageId: null,
      messageId: null,
      sender: null,
      rawRef: null,
      note: describeError(err),
    }
  }
  await opts.afterImport?.(uid, outcome)
  await ctx.db
    .insertInto('mailImports')
    .values({
      ...key,
      messageId: outcome.messageId?.slice(0, 500) ?? null,
      outcome: outcome.outcome,
      caseId: outcome.caseId,
      caseMessageId: outcome.caseMessageId,
      rawRef: outcome.rawRef,
      note: outcome.note?.slice(0, 2000) ?? null,
      sender: outcome.sender,
    })
    .onConflict((oc) => oc.columns(['mailboxId', 'uidValidity', 'uid']).doNothing())
    .execute()

  try {
    if (mailbox.afterImport === 'move' && mailbox.moveTo) {
      await client.messageMove(String(uid), mailbox.moveTo, { uid: true })
    } else {
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
    }
  } catch (err) {
    // The import is recorded; a flag or move that failed is cosmetic and is not retried.
    opts.log?.warn({ mailboxId: mailbox.id, uid, err: describeError(err) }, 'after-import action failed')
  }
  return outcome.outcome
}
