import { sql } from 'kysely'
import Value from 'typebox/value'
import { recordAudit } from '../audit/audit.repository.ts'
import { writeNewCase } from '../cases/case.create.ts'
import { insertEvent, resolveMergeTarget } from '../cases/case.repository.ts'
import { checkFiscalCode } from '../contacts/codice-fiscale.ts'
import { findPersonByFiscalCode, lockFiscalCode } from '../contacts/contact.repository.ts'
import { toE164 } from '../contacts/phone.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import { syncSla } from '../sla/sla.engine.ts'
import { InboundMessage, type InboundSender, type IngestResult } from './inbound.schemas.ts'
import './ingest.messages.ts'

export interface IngestOptions {
  /** Prefix of case numbers (config.caseNumberPrefix). */
  caseNumberPrefix: string
  /** A message on a resolved or closed case reopens it (the default) or opens a linked follow-up. */
  closedCasePolicy?: 'reopen' | 'follow_up'
  /** The staff member the channel authenticated (the field app): a new case is opened in their name. */
  actor?: Actor
  /**
   * The channel's own writes (its submission row, attachment rows), in ingest's
   * transaction and only for a message not seen before: they commit with the case or not at all.
   */
  afterWrite?: (trx: Executor, result: IngestResult) => Promise<void>
}

/** The sender's identifiers in the one spelling contacts are stored with. */
interface Identity {
  fiscalCode?: string
  email?: string
  phone?: string
  firstName?: string
  lastName?: string
}

/** cases.description is capped lower than a message's text: the whole text stays on the message. */
const DESCRIPTION_MAX = 20_000
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const invalid = (field: string, detail: string) =>
  new DomainError('invalid', 'ingest_invalid', `inbound message: ${field}: ${detail}`, {
    params: { field, detail },
  })

/** TypeBox at the door: the first problem, named by its field path (sender/email, subject…). */
function checkShape(input: unknown): asserts input is InboundMessage {
  if (Value.Check(InboundMessage, input)) return
  const [first] = Value.Errors(InboundMessage, input)
  const path = first?.instancePath.replace(/^\//, '') ?? ''
  // A missing field is reported on its parent: name the field itself.
  const params: unknown = first?.params
  const missing =
    first?.keyword === 'required' && params && typeof params === 'object' && 'requiredProperties' in params
      ? String(params.requiredProperties)
      : ''
  const field = [path, missing].filter(Boolean).join('/') || 'message'
  throw invalid(field, first?.message ?? 'invalid')
}

function normaliseSender(sender: InboundSender): Identity {
  const identity: Identity = {}
  const fiscalCode = sender.fiscalCode?.trim()
  if (fiscalCode) {
    const check = checkFiscalCode(fiscalCode)
    if (!check.ok) throw invalid('sender/fiscalCode', check.reason)
    identity.fiscalCode = check.value
  }
  const email = sender.email?.trim().toLowerCase()
  if (email) {
    if (!EMAIL.test(email)) throw invalid('sender/email', 'not an email address')
    identity.email = email
  }
  const phone = sender.phone?.trim()
  if (phone) {
    const e164 = toE164(phone)
    if (!e164) throw invalid('sender/phone', 'not a phone number')
    identity.phone = e164
  }
  let firstName = sender.firstName?.trim() || undefined
  let lastName = sender.lastName?.trim() || undefined
  const name = sender.name?.trim().replace(/\s+/g, ' ')
  if (!firstName && !lastName && name) {
    // "Mario Rossi" → Mario / Rossi; operators fix compound surnames when they meet them.
    const cut = name.lastIndexOf(' ')
    firstName = cut > 0 ? name.slice(0, cut) : undefined
    lastName = cut > 0 ? name.slice(cut + 1) : name
  }
  if (firstName) identity.firstName = firstName
  if (lastName) identity.lastName = lastName
  return identity
}

/** Serialises transactions on one key until they end. */
async function lockKey(trx: Executor, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx)
}

/**
 * The sender's contact: by codice fiscale, else email, else phone; else a new
 * person with what is known. Null when nothing identifies the sender.
 */
async function matchOrCreateContact(trx: Executor, who: Identity): Promise<number | null> {
  if (!who.fiscalCode && !who.email && !who.phone) return null
  // Two first messages from one new sender must not make two contacts.
  if (who.fiscalCode) await lockFiscalCode(trx, who.fiscalCode)
  if (who.email) await lockKey(trx, `ingest.contact.email:${who.email}`)
  if (who.phone) await lockKey(trx, `ingest.contact.phone:${who.phone}`)

  if (who.fiscalCode) {
    const found = await findPersonByFiscalCode(trx, who.fiscalCode)
    if (found) return found.id
  }
  if (who.email) {
    const found = await trx
      .selectFrom('contactEmails as ce')
      .innerJoin('contacts as c', 'c.id', 'ce.contactId')
      .select('c.id')
      .where('ce.email', '=', who.email)
      .where('c.mergedIntoId', 'is', null)
      .orderBy('c.id')
      .executeTakeFirst()
    if (found) return found.id
  }
  if (who.phone) {
    const found = await trx
      .selectFrom('contactPhones as cp')
      .innerJoin('contacts as c', 'c.id', 'cp.contactId')
      .select('c.id')
      .where('cp.phone', '=', who.phone)
      .where('c.mergedIntoId', 'is', null)
      .orderBy('c.id')
      .executeTakeFirst()
    if (found) return found.id
  }
  // A person needs a name: without one, the address they wrote from stands in until an operator edits it.
  const lastName = who.lastName ?? (who.firstName ? undefined : (who.email ?? who.phone ?? who.fiscalCode))
  const created = await trx
    .insertInto('contacts')
    .values({
      kind: 'person',
      firstName: who.firstName ?? null,
      lastName: lastName ?? null,
      fiscalCode: who.fiscalCode ?? null,
      // The contacts_mirror_primary trigger copies these into contact_emails / contact_phones.
      email: who.email ?? null,
      phone: who.phone ?? null,
    })
    .returning(['id', 'kind', 'firstName', 'lastName', 'fiscalCode', 'email', 'phone'])
    .executeTakeFirstOrThrow()
  await recordAudit(trx, null, {
    action: 'contact.create',
    entityType: 'contact',
    entityId: created.id,
    after: created,
  })
  return created.id
}

/**
 * The case this message belongs to, followed through merges: the one the channel
 * named, else the one the latest message of its thread went to (a follow-up case
 * takes the thread over from the closed one).
 */
async function threadCase(trx: Executor, message: InboundMessage): Promise<number | null> {
  if (message.threadCaseId) {
    const named = await trx
      .selectFrom('cases')
      .select('id')
      .where('id', '=', message.threadCaseId)
      .executeTakeFirst()
    if (named) return resolveMergeTarget(trx, named.id)
  }
  if (!message.threadKey) return null
  const earlier = await trx
    .selectFrom('caseMessages')
    .select('caseId')
    .where('channel', '=', message.channel)
    .where('threadKey', '=', message.threadKey)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return earlier ? resolveMergeTarget(trx, earlier.caseId) : null
}

type Threading = { caseId: number; outcome: 'threaded' | 'follow_up'; reopened: boolean }

/**
 * What a citizen's new message does to the case it threads into, in the ingest
 * transaction: a resolved or closed case is reopened (or a follow-up case linked to
 * it is opened, by policy); a case waiting for the citizen goes back to work. An
 * automatic reply changes nothing. The SLA clocks follow (restarted, resumed).
 */
async function applyToThreadCase(
  trx: Executor,
  caseId: number,
  message: InboundMessage,
  contactId: number | null,
  opts: IngestOptions,
): Promise<Threading> {
  const current = await trx
    .selectFrom('cases')
    .select(['id', 'number', 'status', 'version'])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const unchanged: Threading = { caseId, outcome: 'threaded', reopened: false }
  if (message.autoReply) return unchanged
  const setStatus = async (to: string, cause: string, kind = 'status_changed') => {
    await trx
      .updateTable('cases')
      .set({
        status: to,
        ...(to === 'open' ? { resolvedAt: null, closedAt: null } : {}),
        version: current.version + 1,
        updatedAt: sql`now()`,
      })
      .where('id', '=', caseId)
      .execute()
    await insertEvent(trx, { caseId, kind, actorId: null, data: { from: current.status, to, cause } })
    await recordAudit(trx, null, {
      action: 'case.status',
      entityType: 'case',
      entityId: caseId,
      before: { status: current.status },
      after: { status: to, cause },
    })
  }

  if (current.status === 'resolved' || current.status === 'closed') {
    if ((opts.closedCasePolicy ?? 'reopen') === 'reopen') {
      await setStatus('open', 'citizen_message', 'reopened')
      await syncSla(trx, caseId, { restart: true })
      return { caseId, outcome: 'threaded', reopened: true }
    }
    const followUp = await createCase(trx, message, contactId, opts)
    // The older case always has the smaller id, as a 'related' link wants.
    await trx
      .insertInto('caseLinks')
      .values({ fromCaseId: caseId, toCaseId: followUp, kind: 'related', createdBy: null })
      .execute()
    await insertEvent(trx, {
      caseId,
      kind: 'follow_up_opened',
      actorId: null,
      data: { followUpId: followUp },
    })
    await insertEvent(trx, {
      caseId: followUp,
      kind: 'follow_up_of',
      actorId: null,
      data: { caseId, number: current.number },
    })
    return { caseId: followUp, outcome: 'follow_up', reopened: false }
  }
  if (current.status === 'waiting_citizen') {
    await setStatus('in_progress', 'citizen_replied')
    await syncSla(trx, caseId)
  }
  return unchanged
}

function caseSubject(message: InboundMessage): string {
  const subject = message.subject?.trim().replace(/\s+/g, ' ')
  if (subject) return subject
  const firstLine = message.text.trim().split('\n')[0]?.trim() ?? ''
  return firstLine ? firstLine.slice(0, 120) : `Messaggio da ${message.channel}`
}

/** A new case for a first message, opened by the system. */
async function createCase(
  trx: Executor,
  message: InboundMessage,
  contactId: number | null,
  opts: IngestOptions,
): Promise<number> {
  const created = await writeNewCase(
    trx,
    opts.actor ?? null,
    {
      subject: caseSubject(message),
      description: message.text.slice(0, DESCRIPTION_MAX),
      channel: message.channel,
      priority: 'normal',
      contactId,
      latitude: message.location?.latitude ?? null,
      longitude: message.location?.longitude ?? null,
      address: message.location?.address ?? null,
      civicNumber: message.location?.civicNumber ?? null,
      categoryId: message.categoryId ?? null,
    },
    opts.caseNumberPrefix,
  )
  return created.id
}

/**
 * The single way a message from any channel enters Filo, in one transaction:
 * match or create the sender's contact, thread into the case of an earlier
 * message with the same thread key (or create a case), store the message and
 * write the outbox rows. Idempotent on (channel, externalId): the same message
 * again — even concurrently — returns 'duplicate' with the ids of the first.
 * A message threaded into a resolved or closed case reopens it or opens a linked
 * follow-up (`closedCasePolicy`); one into a case waiting for the citizen puts it
 * back in progress; an automatic reply (`autoReply`) does neither.
 *
 * Not yet: adding new addresses of a matched sender to their contact.
 */
export async function ingest(db: Database, input: unknown, opts: IngestOptions): Promise<IngestResult> {
  checkShape(input)
  const message = input
  const receivedAt = new Date(message.receivedAt)
  if (Number.isNaN(receivedAt.getTime())) throw invalid('receivedAt', 'not a date')
  const who = normaliseSender(message.sender)

  return db.transaction().execute(async (trx) => {
    // Before anything: concurrent deliveries of one message wait here, then find it stored.
    await lockKey(trx, `ingest.message:${message.channel}:${message.externalId}`)
    const existing = await trx
      .selectFrom('caseMessages as m')
      .innerJoin('cases as c', 'c.id', 'm.caseId')
      .select(['m.id', 'm.caseId', 'c.contactId'])
      .where('m.direction', '=', 'in')
      .where('m.channel', '=', message.channel)
      .where('m.externalId', '=', message.externalId)
      .executeTakeFirst()
    if (existing) {
      return {
        outcome: 'duplicate' as const,
        caseId: existing.caseId,
        messageId: existing.id,
        contactId: existing.contactId,
      }
    }

    // Two first messages of one thread must not make two cases.
    if (message.threadKey) await lockKey(trx, `ingest.thread:${message.channel}:${message.threadKey}`)
    const contactId = await matchOrCreateContact(trx, who)
    const threadedInto = await threadCase(trx, message)
    const threading =
      threadedInto === null ? null : await applyToThreadCase(trx, threadedInto, message, contactId, opts)
    const caseId = threading?.caseId ?? (await createCase(trx, message, contactId, opts))

    // The unique index is the last word; under the lock above a conflict means another writer skipped it.
    const stored = await trx
      .insertInto('caseMessages')
      .values({
        caseId,
        direction: 'in',
        channel: message.channel,
        externalId: message.externalId,
        threadKey: message.threadKey ?? null,
        sender: JSON.stringify({ ...who, ...(message.sender.name ? { name: message.sender.name } : {}) }),
        subject: message.subject ?? null,
        bodyText: message.text,
        // Stored as given: sanitising HTML comes with the email channel, before ingest.
        bodyHtml: message.html ?? null,
        location: message.location ? JSON.stringify(message.location) : null,
        attachments: JSON.stringify(message.attachments ?? []),
        receivedAt,
        rawRef: message.rawRef ?? null,
      })
      .onConflict((oc) => oc.columns(['channel', 'externalId']).where('direction', '=', 'in').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!stored) {
      throw new DomainError('conflict', 'ingest_race', `message ${message.externalId} stored concurrently`, {
        params: { externalId: message.externalId },
      })
    }

    if (threading?.outcome === 'threaded') {
      await insertEvent(trx, {
        caseId,
        kind: 'message_received',
        actorId: null,
        data: {
          messageId: stored.id,
          channel: message.channel,
          subject: message.subject ?? null,
          ...(message.autoReply ? { autoReply: true } : {}),
        },
      })
      if (!message.autoReply) await enqueue(trx, 'case.message_received', { caseId, messageId: stored.id })
    }
    const result: IngestResult = {
      outcome: threading?.outcome ?? ('created' as const),
      caseId,
      messageId: stored.id,
      contactId,
      ...(threading?.reopened ? { reopened: true } : {}),
    }
    if (opts.afterWrite) await opts.afterWrite(trx, result)
    return result
  })
}
