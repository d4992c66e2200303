import { type Expression, type SqlBool, sql } from 'kysely'
import { requireRole } from '../../admin/admin.common.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import { writeNewCase } from '../../cases/case.create.ts'
import { findCase, insertEvent, listCases, toCaseView } from '../../cases/case.repository.ts'
import { STATUSES } from '../../cases/case.values.ts'
import { countRows } from '../../db/count.ts'
import type { Database, Executor } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Actor, Role } from '../../iam/iam.schemas.ts'
import { asList, type ListQuery, type ListResult } from '../../list.ts'
import type { Logger } from '../../logger.ts'
import type { RealtimeBus, RealtimeEvent } from '../../realtime/realtime.ts'
import {
  actorOfUser,
  CALL_CENTRE,
  CALL_COLUMNS,
  type CallRow,
  callCentreStaff,
  callsVisibleTo,
  findCallFor,
  toCallView,
} from './call.repository.ts'
import type {
  CallCaseBody,
  CallCaseResult,
  CallFilter,
  CallSort,
  CallView,
  CtiAnswer,
  CtiEvent,
  Wallboard,
} from './call.schemas.ts'
import { buildScreenPop, newCaseFromCall } from './call.screen-pop.ts'
import { callNumberToE164 } from './cti.admin.ts'
import { applyCtiEvent, authenticateToken, type CtiEffect } from './cti.events.ts'
import './call.messages.ts'

export interface CallServiceOptions {
  caseNumberPrefix: string
  /** Where call events go live; null publishes nothing (a process without Redis pub/sub). */
  realtime: RealtimeBus | null
  log?: Pick<Logger, 'warn'>
  /** Wallboard events are coalesced over this many ms (one per window per process). */
  wallboardDebounceMs?: number
}

/** Statuses of a case still to be worked; as a list (not "not resolved or closed") each is an index range of cases_queue_status_created_idx. A merged case is closed. */
const OPEN_STATUSES = STATUSES.filter((s) => s !== 'resolved' && s !== 'closed')

/**
 * A call still ringing or talked after this many hours lost its hangup on the way (the
 * PBX restarted, say): the log keeps it as it is, the wallboard no longer counts it.
 */
const LIVE_HOURS = 4

/** How long the webhook waits for its live events to be published before answering the PBX anyway. */
const PUBLISH_WAIT_MS = 1500

/** Roles that open cases from a call (field workers only report from the street). */
const CASE_OPENERS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']

const callNotFound = (id: number) =>
  new DomainError('not_found', 'call_not_found', `call ${id} not found`, { params: { id } })

const SORT_COLUMN = {
  startedAt: 'startedAt',
  id: 'id',
  waitingSeconds: 'waitingSeconds',
  talkingSeconds: 'talkingSeconds',
} as const satisfies Record<CallSort, keyof CallRow>

async function checkReference(
  trx: Executor,
  table: 'contacts' | 'categories' | 'queues' | 'offices',
  field: string,
  id: number | null | undefined,
): Promise<void> {
  if (id == null) return
  let q = trx.selectFrom(table).select('id').where('id', '=', id)
  if (table === 'contacts') q = q.where(sql<boolean>`merged_into_id is null`)
  if (!(await q.executeTakeFirst()))
    throw new DomainError('invalid', 'unknown_reference', `${field} ${id} does not exist`, {
      params: { field, id },
    })
}

export type CallService = ReturnType<typeof createCallService>

/**
 * The phone channel: CTI events from the PBX into the call log (with caller
 * recognition, callback tasks for missed calls, live events for the console), the
 * call log for staff, "new case from this call", and the wallboard.
 */
export function createCallService(db: Database, opts: CallServiceOptions) {
  const log = opts.log
  let wallboardTimer: NodeJS.Timeout | null = null

  async function publish(event: RealtimeEvent): Promise<void> {
    if (!opts.realtime) return
    try {
      await opts.realtime.publish(event)
    } catch (err) {
      // PostgreSQL has the call; the console catches up on its next read.
      log?.warn({ err, type: event.type }, 'realtime: call event not published')
    }
  }

  /** Who hears about a call: its queue's subscribers, or the call centre when it rang on no known queue. */
  async function audience(call: CallRow): Promise<Pick<RealtimeEvent, 'queueId' | 'userIds'>> {
    if (call.queueId !== null) return { queueId: call.queueId }
    return { userIds: await callCentreStaff(db) }
  }

  async function callFigures(): Promise<Wallboard['calls']> {
    const today = sql<Date>`(date_trunc('day', now() at time zone 'Europe/Rome') at time zone 'Europe/Rome')`
    const [live, day] = await Promise.all([
      db
        .selectFrom('calls')
        .select([
          sql<number>`count(*) filter (where state = 'ringing' and direction = 'in' and not blocked)::int`.as(
            'waiting',
          ),
          sql<number>`coalesce(extract(epoch from now() - min(started_at) filter (where state = 'ringing' and direction = 'in' and not blocked)), 0)::int`.as(
            'longest',
          ),
          sql<number>`count(*) filter (where state = 'answered')::int`.as('active'),
        ])
        .where('state', 'in', ['ringing', 'answered'])
        .where('startedAt', '>', sql<Date>`now() - make_interval(hours => ${LIVE_HOURS})`)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('calls')
        .select([
          sql<number>`count(*)::int`.as('inbound'),
          sql<number>`count(*) filter (where outcome = 'answered' or state = 'answered')::int`.as('answered'),
          sql<number>`count(*) filter (where outcome in ('missed', 'voicemail'))::int`.as('missed'),
          sql<number>`count(*) filter (where outcome = 'abandoned')::int`.as('abandoned'),
          sql<number | null>`round(avg(waiting_seconds))::int`.as('averageWait'),
        ])
        .where('direction', '=', 'in')
        .where('blocked', '=', false)
        .where('startedAt', '>=', today)
        .executeTakeFirstOrThrow(),
    ])
    return {
      waiting: live.waiting,
      longestWaitSeconds: Math.max(0, live.longest),
      active: live.active,
      today: {
        inbound: day.inbound,
        answered: day.answered,
        missed: day.missed,
        abandoned: day.abandoned,
        averageWaitSeconds: day.averageWait,
      },
    }
  }

  /** A 'wallboard' event with the live call figures, at most once per window per process. */
  function wallboardChanged(): void {
    if (!opts.realtime || wallboardTimer) return
    wallboardTimer = setTimeout(() => {
      wallboardTimer = null
      void (async () => {
        try {
          const calls = await callFigures()
          await publish({ type: 'wallboard', userIds: await callCentreStaff(db), data: { calls } })
        } catch (err) {
          log?.warn({ err }, 'wallboard: figures not published')
        }
      })()
    }, opts.wallboardDebounceMs ?? 1000)
    wallboardTimer.unref()
  }

  async function publishEffect(effect: CtiEffect): Promise<void> {
    const { call, change } = effect
    if (change === 'none') return
    const view = toCallView(call)
    const to = await audience(call)
    if (change === 'ringing' && call.direction === 'in') {
      await publish({
        type: 'call.ringing',
        ...to,
        data: { call: view, newCase: await newCaseFromCall(db, call) },
      })
    }
    if (change === 'answered' || change === 'transferred') {
      await publish({ type: 'call.answered', ...to, data: { call: view } })
    }
    if (effect.screenPopFor !== null) {
      const viewer = await actorOfUser(db, effect.screenPopFor)
      if (viewer) {
        const pop = await buildScreenPop(db, call, viewer)
        await publish({ type: 'call.screen_pop', userIds: [viewer.id], data: pop })
      }
    }
    if (change === 'ended') await publish({ type: 'call.ended', ...to, data: { call: view } })
    wallboardChanged()
  }

  return {
    /** The PBX's token: its id, or 401 cti_token_invalid alike for unknown, revoked and malformed ones. */
    authenticate: (token: string): Promise<number> => authenticateToken(db, token),

    /**
     * One CTI event from the PBX whose token is `tokenId`: applied to the call log and,
     * once committed, published as live events. Answers as Zammad does: `{}`, or the
     * reject of a blocked caller.
     */
    async handleEvent(tokenId: number, event: CtiEvent): Promise<CtiAnswer> {
      const effect = await applyCtiEvent(db, tokenId, event, { caseNumberPrefix: opts.caseNumberPrefix })
      const published = publishEffect(effect).catch((err: unknown) => {
        log?.warn({ err, callId: effect.call.id }, 'cti: live events not published')
      })
      // The PBX waits for its answer: a Redis that does not answer (its commands queue while it
      // reconnects) must not hold the call up. The events still go out when it is back.
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        published,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, PUBLISH_WAIT_MS)
        }),
      ])
      clearTimeout(timer)
      return effect.answer
    },

    async list(actor: Actor, query: ListQuery<CallFilter, CallSort>): Promise<ListResult<CallView>> {
      const f = query.filter
      const base = db.selectFrom('calls').where((eb) => {
        const parts: Expression<SqlBool>[] = [callsVisibleTo(actor)]
        if (f.id !== undefined) parts.push(eb('calls.id', 'in', asList(f.id)))
        if (f.direction !== undefined) parts.push(eb('calls.direction', '=', f.direction))
        if (f.state !== undefined) parts.push(eb('calls.state', 'in', asList<string>(f.state)))
        if (f.outcome !== undefined) parts.push(eb('calls.outcome', 'in', asList<string>(f.outcome)))
        if (f.userId !== undefined) parts.push(eb('calls.operatorId', '=', f.userId))
        if (f.contactId !== undefined) parts.push(eb('calls.contactId', '=', f.contactId))
        if (f.caseId !== undefined) parts.push(eb('calls.caseId', '=', f.caseId))
        if (f.queueId !== undefined) parts.push(eb('calls.queueId', '=', f.queueId))
        if (f.from !== undefined) parts.push(eb('calls.startedAt', '>=', new Date(f.from)))
        if (f.to !== undefined) parts.push(eb('calls.startedAt', '<', new Date(f.to)))
        const q = f.q?.trim()
        if (q) {
          const e164 = callNumberToE164(q)
          parts.push(
            eb.or([
              ...(e164 ? [eb('calls.remoteE164', '=', e164)] : []),
              eb('calls.fromNumber', '=', q),
              eb('calls.toNumber', '=', q),
            ]),
          )
        }
        return eb.and(parts)
      })
      const column = SORT_COLUMN[query.sort]
      const [rows, count] = await Promise.all([
        base
          .select(CALL_COLUMNS.map((c) => `calls.${c}` as const))
          .orderBy(`calls.${column}`, (ob) => (query.order === 'desc' ? ob.desc() : ob.asc()).nullsLast())
          .orderBy('calls.id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        countRows(db, base),
      ])
      // Callers' numbers are personal data: the page read is audited, naming the calls shown.
      if (rows.length > 0) {
        await recordAudit(db, actor, {
          action: 'call.list',
          entityType: 'call',
          entityId: null,
          after: { ids: rows.map((r) => r.id) },
        })
      }
      return { rows: rows.map(toCallView), ...count }
    },

    /** One call; the read is audited (call.read). */
    async get(actor: Actor, id: number): Promise<CallView> {
      const row = await findCallFor(db, actor, id)
      if (!row) throw callNotFound(id)
      await recordAudit(db, actor, { action: 'call.read', entityType: 'call', entityId: id })
      return toCallView(row)
    },

    /**
     * "New case from this call": a phone case for the caller's contact (the one the
     * body names, else the recognised one), written the way every case is (writeNewCase),
     * linked to the call both ways. Idempotent: a call that has its case returns it.
     */
    async createCase(actor: Actor, callId: number, input: CallCaseBody): Promise<CallCaseResult> {
      if (!CASE_OPENERS.includes(actor.role))
        throw new DomainError(
          'forbidden',
          'call_case_forbidden',
          `${actor.role} may not open cases from calls`,
        )
      const result = await db.transaction().execute(async (trx) => {
        const call = await findCallFor(trx, actor, callId, true)
        if (!call) throw callNotFound(callId)
        if (call.caseId !== null) {
          const existing = await findCase(trx, actor, call.caseId)
          if (existing) return { created: false, row: existing, call }
          // Its case is another office's: a second case would take the call's link away from it.
          const other = await trx
            .selectFrom('cases')
            .select('number')
            .where('id', '=', call.caseId)
            .executeTakeFirst()
          if (other)
            throw new DomainError('conflict', 'call_has_case', `call ${callId} has case ${other.number}`, {
              params: { number: other.number },
            })
        }
        const contactId = input.contactId !== undefined ? input.contactId : call.contactId
        await checkReference(trx, 'contacts', 'contactId', contactId)
        await checkReference(trx, 'categories', 'categoryId', input.categoryId)
        await checkReference(trx, 'queues', 'queueId', input.queueId)
        await checkReference(trx, 'offices', 'officeId', input.officeId)
        const prefill = await newCaseFromCall(trx, { ...call, contactId })
        const subject = input.subject?.trim() || prefill.subject
        const row = await writeNewCase(
          trx,
          actor,
          {
            subject,
            description: input.description ?? '',
            channel: 'phone',
            priority: input.priority ?? 'normal',
            categoryId: input.categoryId ?? null,
            queueId: input.queueId ?? null,
            officeId: input.officeId ?? null,
            contactId,
          },
          opts.caseNumberPrefix,
        )
        await insertEvent(trx, {
          caseId: row.id,
          kind: 'call_linked',
          actorId: actor.id,
          data: {
            callId: call.id,
            externalId: call.externalId,
            direction: call.direction,
            outcome: call.outcome,
          },
        })
        const linked = await trx
          .updateTable('calls')
          .set({ caseId: row.id, contactId, updatedAt: sql`now()` })
          .where('id', '=', call.id)
          .returning(CALL_COLUMNS)
          .executeTakeFirstOrThrow()
        await recordAudit(trx, actor, {
          action: 'call.case',
          entityType: 'call',
          entityId: call.id,
          before: { caseId: call.caseId, contactId: call.contactId },
          after: { caseId: row.id, contactId },
        })
        return { created: true, row, call: linked }
      })
      return { created: result.created, case: toCaseView(result.row), call: toCallView(result.call) }
    },

    /** Live figures for the call centre: calls, queues, SLAs, agents. */
    async wallboard(actor: Actor): Promise<Wallboard> {
      requireRole(actor, CALL_CENTRE, 'read the wallboard')
      const slaTotal = (slaState: 'at_risk' | 'breached') =>
        listCases(db, actor, { filter: { slaState }, sort: 'id', order: 'desc', offset: 0, limit: 1 })
      const [calls, queues, atRisk, breached, agents] = await Promise.all([
        callFigures(),
        db
          .selectFrom('queues as q')
          .select([
            'q.id',
            'q.code',
            'q.name',
            (eb) =>
              eb
                .selectFrom('cases')
                .select(sql<number>`count(*)::int`.as('n'))
                .whereRef('cases.queueId', '=', 'q.id')
                .where('cases.status', 'in', OPEN_STATUSES)
                .as('open'),
            (eb) =>
              eb
                .selectFrom('cases')
                .select(sql<number>`count(*)::int`.as('n'))
                .whereRef('cases.queueId', '=', 'q.id')
                .where('cases.status', 'in', OPEN_STATUSES)
                .where('cases.assigneeId', 'is', null)
                .as('unassigned'),
            (eb) =>
              eb
                .selectFrom('calls')
                .select(sql<number>`count(*)::int`.as('n'))
                .whereRef('calls.queueId', '=', 'q.id')
                .where('calls.state', '=', 'ringing')
                .where('calls.startedAt', '>', sql<Date>`now() - make_interval(hours => ${LIVE_HOURS})`)
                .where('calls.direction', '=', 'in')
                .where('calls.blocked', '=', false)
                .as('callsWaiting'),
          ])
          .where('q.active', '=', true)
          .orderBy('q.name')
          .execute(),
        slaTotal('at_risk'),
        slaTotal('breached'),
        db
          .selectFrom('staffUsers as u')
          .leftJoin('staffPresence as p', 'p.userId', 'u.id')
          .select([
            'u.id',
            'u.fullName',
            sql<string>`coalesce(p.state, 'offline')`.as('state'),
            'p.changedAt',
            (eb) =>
              eb
                .selectFrom('calls')
                .select('calls.id')
                .whereRef('calls.operatorId', '=', 'u.id')
                .where('calls.state', '=', 'answered')
                .where('calls.startedAt', '>', sql<Date>`now() - make_interval(hours => ${LIVE_HOURS})`)
                .orderBy('calls.answeredAt', 'desc')
                .limit(1)
                .as('onCallId'),
          ])
          .where('u.active', '=', true)
          .where((eb) =>
            eb.or([
              eb('p.userId', 'is not', null),
              eb.exists(
                eb.selectFrom('queueMembers as m').select('m.userId').whereRef('m.userId', '=', 'u.id'),
              ),
              eb.exists(
                eb
                  .selectFrom('calls')
                  .select('calls.id')
                  .whereRef('calls.operatorId', '=', 'u.id')
                  .where('calls.state', '=', 'answered')
                  .where('calls.startedAt', '>', sql<Date>`now() - make_interval(hours => ${LIVE_HOURS})`),
              ),
            ]),
          )
          .orderBy('u.fullName')
          .execute(),
      ])
      const byState: Record<string, number> = { available: 0, busy: 0, away: 0, offline: 0 }
      for (const a of agents) byState[a.state] = (byState[a.state] ?? 0) + 1
      return {
        at: new Date().toISOString(),
        calls,
        queues: queues.map((q) => ({
          queueId: q.id,
          code: q.code,
          name: q.name,
          open: q.open ?? 0,
          unassigned: q.unassigned ?? 0,
          callsWaiting: q.callsWaiting ?? 0,
        })),
        sla: { atRisk: atRisk.total, breached: breached.total, exact: atRisk.exact && breached.exact },
        agents: {
          byState,
          list: agents.map((a) => ({
            id: a.id,
            fullName: a.fullName,
            state: a.state as Wallboard['agents']['list'][number]['state'],
            since: a.changedAt ? a.changedAt.toISOString() : null,
            onCallId: a.onCallId ?? null,
          })),
        },
      }
    },

    /** Waits for nothing more to publish (tests, shutdown). */
    close(): void {
      if (wallboardTimer) clearTimeout(wallboardTimer)
      wallboardTimer = null
    },
  }
}
