import { sql } from 'kysely'
import { writeNewCase } from '../../cases/case.create.ts'
import { insertEvent } from '../../cases/case.repository.ts'
import type { Database, Executor } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import { CALL_COLUMNS, type CallRow, callerName } from './call.repository.ts'
import type { CallOutcome, CallTransfer, CtiAnswer, CtiEvent, Recognition } from './call.schemas.ts'
import { blockListKey, callNumberToE164, hashCtiToken } from './cti.admin.ts'

/** What one CTI event did, for the caller to publish once the transaction has committed. */
export interface CtiEffect {
  answer: CtiAnswer
  call: CallRow
  /** What changed: nothing (a repeated or late event), or the step the call took. */
  change: 'none' | 'ringing' | 'answered' | 'transferred' | 'ended'
  /** The staff member to show the screen-pop to (inbound answer or transfer). */
  screenPopFor: number | null
}

/** The code of the queue missed calls are called back from (created on first need, seeded in the demo). */
export const CALLBACK_QUEUE = 'callback'

const REJECT: CtiAnswer = { action: 'reject', reason: 'busy' }
const VOICEMAIL = /^voice\s*-?mail$/i
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/

export const invalidToken = () =>
  new DomainError('unauthenticated', 'cti_token_invalid', 'unknown, revoked or malformed CTI token')

/** The live token's id; any other token (unknown, revoked, malformed) is the same 401. */
export async function authenticateToken(db: Database, token: string): Promise<number> {
  if (!TOKEN.test(token)) throw invalidToken()
  const row = await db
    .selectFrom('ctiTokens')
    .select(['id', 'lastUsedAt'])
    .where('tokenHash', '=', hashCtiToken(token))
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  if (!row) throw invalidToken()
  // Written at most once a minute: the PBX sends several events per call.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.updateTable('ctiTokens').set({ lastUsedAt: new Date() }).where('id', '=', row.id).execute()
  }
  return row.id
}

const usersOf = (event: CtiEvent): string[] => {
  const raw = [event.user, (event as Record<string, unknown>)['user[]']].flat()
  return [
    ...new Set(
      raw
        .filter((u): u is string => typeof u === 'string')
        .map((u) => u.trim())
        .filter(Boolean),
    ),
  ]
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000))

/**
 * The staff member who answered, looked up as Zammad does: answeringNumber as an
 * extension, then as a login (email), then as a user id; else the one user named in
 * `user` (by full name or email) when exactly one active staff member has it; else `user_id`.
 */
async function matchOperator(trx: Executor, event: CtiEvent, users: string[]): Promise<number | null> {
  const active = trx.selectFrom('staffUsers').select('id').where('active', '=', true)
  const answering = event.answeringNumber?.trim()
  if (answering) {
    const byExtension = await active.where('extension', '=', answering).executeTakeFirst()
    if (byExtension) return byExtension.id
    const byEmail = await active.where('email', '=', answering.toLowerCase()).executeTakeFirst()
    if (byEmail) return byEmail.id
    if (/^\d{1,15}$/.test(answering)) {
      const byId = await active.where('id', '=', Number(answering)).executeTakeFirst()
      if (byId) return byId.id
    }
  }
  const names = users.filter((u) => !VOICEMAIL.test(u)).map((u) => u.toLowerCase())
  if (names.length) {
    const found = await active
      .where((eb) => eb.or([eb(eb.fn('lower', ['fullName']), 'in', names), eb('email', 'in', names)]))
      .limit(2)
      .execute()
    if (found.length === 1 && found[0]) return found[0].id
  }
  const userId = event.user_id?.trim()
  if (userId && /^\d{1,15}$/.test(userId)) {
    const byId = await active.where('id', '=', Number(userId)).executeTakeFirst()
    if (byId) return byId.id
  }
  return null
}

/** Caller recognition: the live contacts with this number — one (known), several (probable) or none. */
async function recognise(
  trx: Executor,
  e164: string | null,
): Promise<{ recognition: Recognition; contactId: number | null; candidates: number[] }> {
  if (!e164) return { recognition: 'unknown', contactId: null, candidates: [] }
  const rows = await trx
    .selectFrom('contactPhones as cp')
    .innerJoin('contacts as c', 'c.id', 'cp.contactId')
    .select('c.id')
    .distinct()
    .where('cp.phone', '=', e164)
    .where('c.mergedIntoId', 'is', null)
    .orderBy('c.id')
    .limit(20)
    .execute()
  const ids = rows.map((r) => r.id)
  if (ids.length === 1) return { recognition: 'known', contactId: ids[0] ?? null, candidates: ids }
  if (ids.length > 1) return { recognition: 'probable', contactId: null, candidates: ids }
  return { recognition: 'unknown', contactId: null, candidates: [] }
}

/** The Filo queue the PBX named, by code or by name. */
async function matchQueue(trx: Executor, name: string | null): Promise<number | null> {
  if (!name) return null
  const row = await trx
    .selectFrom('queues')
    .select('id')
    .where('active', '=', true)
    .where((eb) =>
      eb.or([eb('code', '=', name.toLowerCase()), eb(eb.fn('lower', ['name']), '=', name.toLowerCase())]),
    )
    .orderBy('id')
    .executeTakeFirst()
  return row?.id ?? null
}

async function isBlocked(trx: Executor, from: string): Promise<boolean> {
  const key = blockListKey(from)
  if (!key) return false
  const row = await trx
    .selectFrom('ctiBlockedNumbers')
    .select('id')
    .where('number', '=', key)
    .executeTakeFirst()
  return row !== undefined
}

/** A call the PBX never announced (answer or hangup without newCall): logged from what this event says. */
async function insertCall(
  trx: Executor,
  tokenId: number,
  externalId: string,
  event: CtiEvent,
  users: string[],
  now: Date,
  blockedCheck: boolean,
): Promise<CallRow> {
  const from = event.from?.trim() ?? ''
  const to = event.to?.trim() ?? ''
  const fromE164 = callNumberToE164(from)
  const toE164 = callNumberToE164(to)
  const remote = event.direction === 'in' ? fromE164 : toE164
  const who = await recognise(trx, remote)
  const queueName = event.queue?.trim() || null
  const blocked = blockedCheck && event.direction === 'in' && (await isBlocked(trx, from))
  // Outbound, the user is the staff member calling.
  const operatorId = event.direction === 'out' ? await matchOperator(trx, event, users) : null
  return trx
    .insertInto('calls')
    .values({
      tokenId,
      externalId,
      direction: event.direction,
      state: 'ringing',
      outcome: blocked ? 'blocked' : null,
      fromNumber: from,
      toNumber: to,
      fromE164,
      toE164,
      remoteE164: remote,
      queueName,
      queueId: await matchQueue(trx, queueName),
      users,
      operatorId,
      blocked,
      recognition: who.recognition,
      contactId: who.contactId,
      candidateContactIds: who.candidates,
      startedAt: now,
    })
    .returning(CALL_COLUMNS)
    .executeTakeFirstOrThrow()
}

const OUTCOME_TEXT: Partial<Record<CallOutcome, string>> = {
  missed: 'chiamata senza risposta',
  abandoned: 'chiamata abbandonata in attesa',
  voicemail: 'messaggio in segreteria',
}

const romeTime = (d: Date) =>
  new Intl.DateTimeFormat('it-IT', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d)

/** The callback queue's id, creating the queue the first time a missed call needs it. */
async function callbackQueue(trx: Executor): Promise<number> {
  const found = await trx
    .selectFrom('queues')
    .select('id')
    .where('code', '=', CALLBACK_QUEUE)
    .executeTakeFirst()
  if (found) return found.id
  await trx
    .insertInto('queues')
    .values({ code: CALLBACK_QUEUE, name: 'Richiamate' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute()
  const row = await trx
    .selectFrom('queues')
    .select('id')
    .where('code', '=', CALLBACK_QUEUE)
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The callback task of a missed, abandoned or voicemail call: a phone case in the
 * callback queue, for the recognised contact, linked to the call. Once per call: the
 * call row is locked and its case_id set in the same transaction.
 */
async function openCallback(trx: Executor, call: CallRow, caseNumberPrefix: string): Promise<CallRow> {
  const outcome = call.outcome as CallOutcome
  const who = await callerName(trx, call)
  const queueId = await callbackQueue(trx)
  const recognised =
    call.recognition === 'known'
      ? 'contatto riconosciuto'
      : call.recognition === 'probable'
        ? `${call.candidateContactIds.length} contatti con questo numero`
        : 'numero sconosciuto'
  const created = await writeNewCase(
    trx,
    null,
    {
      subject: `Richiamare ${who}: ${OUTCOME_TEXT[outcome] ?? outcome}`,
      description: [
        `Chiamata in arrivo da ${call.remoteE164 ?? call.fromNumber} (${recognised}) al numero ${call.toNumber || '—'}`,
        call.queueName ? ` sulla coda ${call.queueName}` : '',
        `, ${romeTime(call.startedAt)}: ${OUTCOME_TEXT[outcome] ?? outcome}`,
        call.waitingSeconds !== null ? `, dopo ${call.waitingSeconds} s di attesa` : '',
        call.cause ? ` (causa: ${call.cause})` : '',
        '.',
      ].join(''),
      channel: 'phone',
      priority: 'normal',
      contactId: call.contactId,
      queueId,
    },
    caseNumberPrefix,
  )
  await insertEvent(trx, {
    caseId: created.id,
    kind: 'call_linked',
    actorId: null,
    data: {
      callId: call.id,
      externalId: call.externalId,
      direction: call.direction,
      outcome,
      callback: true,
    },
  })
  return trx
    .updateTable('calls')
    .set({ caseId: created.id, callback: true, updatedAt: sql`now()` })
    .where('id', '=', call.id)
    .returning(CALL_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** How an unanswered call ended, by the PBX's cause (Zammad's list). */
function unansweredOutcome(call: CallRow, cause: string | null): CallOutcome {
  if (call.blocked) return 'blocked'
  // normalClearing means the call was established: its answer event is late or lost.
  if (cause === 'normalClearing') return 'answered'
  if (call.direction === 'out') return 'unanswered'
  if (cause === 'forwarded') return 'forwarded'
  if (cause === 'cancel') return 'abandoned'
  return 'missed'
}

/**
 * Applies one CTI event to the call log in one transaction, whatever order the events
 * come in and however often: a repeated newCall, answer or hangup changes nothing; an
 * answer or hangup without newCall logs the call from what it says; an answer after
 * the hangup does not bring the call back (it only names the operator of a call the
 * hangup said was talked); a second answer by someone else is a transfer.
 */
export async function applyCtiEvent(
  db: Database,
  tokenId: number,
  event: CtiEvent,
  opts: { caseNumberPrefix: string; now?: Date },
): Promise<CtiEffect> {
  const externalId = (event.callId ?? event.call_id)?.trim()
  if (!externalId) throw new DomainError('invalid', 'cti_call_id_required', 'callId is required')
  if (event.event === 'newCall') {
    for (const field of ['from', 'to'] as const) {
      if (!event[field]?.trim())
        throw new DomainError('invalid', 'cti_number_required', `newCall without ${field}`, {
          params: { event: event.event, field },
          details: [
            { path: `/body/${field}`, code: 'cti_number_required', params: { event: event.event, field } },
          ],
        })
    }
  }
  const users = usersOf(event)
  const now = opts.now ?? new Date()

  return db.transaction().execute(async (trx): Promise<CtiEffect> => {
    // Concurrent events of one call take turns.
    await sql`select pg_advisory_xact_lock(hashtext('filo.cti.call'), hashtext(${`${tokenId}:${externalId}`}))`.execute(
      trx,
    )
    const existing = await trx
      .selectFrom('calls')
      .select(CALL_COLUMNS)
      .where('tokenId', '=', tokenId)
      .where('externalId', '=', externalId)
      .forUpdate()
      .executeTakeFirst()
    const unchanged = (call: CallRow): CtiEffect => ({
      answer: call.blocked && event.event === 'newCall' ? REJECT : {},
      call,
      change: 'none',
      screenPopFor: null,
    })

    if (event.event === 'newCall') {
      if (existing) return unchanged(existing)
      const call = await insertCall(trx, tokenId, externalId, event, users, now, true)
      return {
        answer: call.blocked ? REJECT : {},
        call,
        change: call.blocked ? 'none' : 'ringing',
        screenPopFor: null,
      }
    }

    const call = existing ?? (await insertCall(trx, tokenId, externalId, event, users, now, false))
    const update = (values: Record<string, unknown>) =>
      trx
        .updateTable('calls')
        .set({ ...values, updatedAt: sql`now()` })
        .where('id', '=', call.id)
        .returning(CALL_COLUMNS)
        .executeTakeFirstOrThrow()

    if (event.event === 'answer') {
      const voicemail = users.some((u) => VOICEMAIL.test(u))
      const operatorId = voicemail ? null : await matchOperator(trx, event, users)
      const answering = event.answeringNumber?.trim() || null
      if (call.state === 'ended') {
        // Late: the hangup came first. It can still say who talked a call the hangup called answered.
        if (call.outcome === 'answered' && call.operatorId === null && operatorId !== null) {
          const named = await update({ operatorId, answeringNumber: answering })
          return { answer: {}, call: named, change: 'none', screenPopFor: null }
        }
        return unchanged(call)
      }
      if (call.state === 'ringing') {
        const answered = await update({
          state: 'answered',
          answeredAt: now,
          waitingSeconds: seconds(call.startedAt, now),
          operatorId: operatorId ?? call.operatorId,
          answeringNumber: answering,
          ...(users.length ? { users } : {}),
          ...(voicemail ? { outcome: 'voicemail' } : {}),
        })
        const popFor = answered.direction === 'in' ? answered.operatorId : null
        return { answer: {}, call: answered, change: 'answered', screenPopFor: popFor }
      }
      // Answered again: by someone else it is a transfer; by the same person (or nobody known) a repeat.
      if (operatorId === null || operatorId === call.operatorId) return unchanged(call)
      const transfers = [
        ...((Array.isArray(call.transfers) ? call.transfers : []) as CallTransfer[]),
        {
          fromUserId: call.operatorId,
          toUserId: operatorId,
          answeringNumber: answering,
          at: now.toISOString(),
        },
      ]
      const transferred = await update({
        operatorId,
        answeringNumber: answering,
        transfers: JSON.stringify(transfers),
        ...(users.length ? { users } : {}),
      })
      return {
        answer: {},
        call: transferred,
        change: 'transferred',
        screenPopFor: transferred.direction === 'in' ? operatorId : null,
      }
    }

    // hangup
    if (call.state === 'ended') return unchanged(call)
    const cause = event.cause?.trim() || null
    let ended: CallRow
    if (call.state === 'answered') {
      ended = await update({
        state: 'ended',
        endedAt: now,
        cause,
        outcome: call.outcome === 'voicemail' ? 'voicemail' : 'answered',
        talkingSeconds: call.answeredAt ? seconds(call.answeredAt, now) : null,
      })
    } else {
      const outcome = unansweredOutcome(call, cause)
      const operatorId =
        outcome === 'answered' && call.operatorId === null
          ? await matchOperator(trx, event, users)
          : call.operatorId
      ended = await update({
        state: 'ended',
        endedAt: now,
        cause,
        outcome,
        operatorId,
        ...(outcome === 'answered' ? {} : { waitingSeconds: seconds(call.startedAt, now) }),
      })
    }
    const needsCallback =
      ended.direction === 'in' &&
      !ended.blocked &&
      ended.caseId === null &&
      ended.remoteE164 !== null &&
      (ended.outcome === 'missed' || ended.outcome === 'abandoned' || ended.outcome === 'voicemail')
    if (needsCallback) ended = await openCallback(trx, ended, opts.caseNumberPrefix)
    return { answer: {}, call: ended, change: 'ended', screenPopFor: null }
  })
}
