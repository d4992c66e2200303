import { sql } from 'kysely'
import { enqueueAssignment, enqueueDispatchAfterRelease } from '../assignment/assignment.service.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import { insertEvent } from '../cases/case.repository.ts'
import type { Executor } from '../db/db.ts'
import { notifyStaff, supervisorIds } from '../inbox/inbox.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import { type BusinessCalendar, businessMinutesBetween, parseBusinessCalendar } from './calendar.ts'
import { type ClockState, pendingTimers, raisedPriority, type TimerKey, timerTimes } from './sla.clock.ts'
import type { Escalation } from './sla.schemas.ts'

/**
 * The SLA of one case, kept in its columns (see sql/0010_sla.sql). `syncSla` is
 * called in the transaction of every change that can move a deadline — routing,
 * a change of priority or category, a status change, a message that reopens — and
 * derives everything from the case as it now is. `fireDueTimers` fires the timers
 * whose time has come, once each. Both write the next timer's time to
 * `sla_next_at`; the workers turn it into a BullMQ delayed job.
 */

interface PolicyRow {
  id: number
  name: string
  calendarId: number
  firstResponseMinutes: number
  resolutionMinutes: number
  warnPercent: number
  onWarning: unknown
  onBreach: unknown
}

const POLICY_COLUMNS = [
  'id',
  'name',
  'calendarId',
  'firstResponseMinutes',
  'resolutionMinutes',
  'warnPercent',
  'onWarning',
  'onBreach',
] as const

const CASE_SLA_COLUMNS = [
  'id',
  'number',
  'status',
  'priority',
  'categoryId',
  'queueId',
  'officeId',
  'assigneeId',
  'mergedIntoId',
  'createdAt',
  'firstRespondedAt',
  'version',
  'slaPolicyId',
  'slaPolicyPinned',
  'slaStartedAt',
  'firstResponseWarnAt',
  'firstResponseDueAt',
  'resolutionWarnAt',
  'resolutionDueAt',
  'slaPausedAt',
  'firstResponsePausedMinutes',
  'resolutionPausedMinutes',
  'slaFired',
  'slaNextAt',
] as const

type CaseSlaRow = Awaited<ReturnType<typeof lockCaseSla>>

async function lockCaseSla(trx: Executor, caseId: number) {
  return trx
    .selectFrom('cases')
    .select(CASE_SLA_COLUMNS)
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
}

const calendars = new Map<string, BusinessCalendar>()

/** A calendar by id, parsed once per version. */
async function loadCalendar(trx: Executor, id: number): Promise<BusinessCalendar> {
  const row = await trx
    .selectFrom('businessCalendars')
    .select(['id', 'version', 'settings'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const key = `${row.id}:${row.version}`
  let calendar = calendars.get(key)
  if (!calendar) {
    calendar = parseBusinessCalendar(row.settings)
    calendars.set(key, calendar)
  }
  return calendar
}

async function loadPolicy(trx: Executor, id: number): Promise<PolicyRow | undefined> {
  return trx.selectFrom('slaPolicies').select(POLICY_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/**
 * The active policy for a category and priority: the nearest category up the tree
 * (a policy of "Strade" covers "Buche"), then one for any category; at each step
 * one for the exact priority before one for any priority.
 */
export async function matchPolicy(
  trx: Executor,
  categoryId: number | null,
  priority: string,
): Promise<PolicyRow | undefined> {
  const found = await sql<PolicyRow>`
    with recursive chain (id, parent_id, depth) as (
      select id, parent_id, 0 from categories where id = ${categoryId}
      union all
      select c.id, c.parent_id, chain.depth + 1 from categories c join chain on c.id = chain.parent_id
      where chain.depth < 20
    )
    select p.id, p.name, p.calendar_id as "calendarId", p.first_response_minutes as "firstResponseMinutes",
           p.resolution_minutes as "resolutionMinutes", p.warn_percent as "warnPercent",
           p.on_warning as "onWarning", p.on_breach as "onBreach"
    from sla_policies p
    left join chain on chain.id = p.category_id
    where p.active
      and (p.category_id is null or chain.id is not null)
      and (p.priority is null or p.priority = ${priority})
    order by coalesce(chain.depth, 1000), (p.priority is null), p.id
    limit 1`.execute(trx)
  return found.rows[0]
}

type Times = Record<TimerKey, Date | null>

const storedTimes = (row: NonNullable<CaseSlaRow>): Times => ({
  'first_response.warning': row.firstResponseWarnAt,
  'first_response.breach': row.firstResponseDueAt,
  'resolution.warning': row.resolutionWarnAt,
  'resolution.breach': row.resolutionDueAt,
})

const clockState = (row: NonNullable<CaseSlaRow>, fired: ReadonlySet<string>): ClockState => ({
  status: row.status,
  firstRespondedAt: row.firstRespondedAt,
  pausedAt: row.slaPausedAt,
  merged: row.mergedIntoId !== null,
  fired,
})

const iso = (d: Date | null) => d?.toISOString() ?? null
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null)

export interface SyncOptions {
  now?: Date
  /** The case was reopened: the resolution clock starts again from now. */
  restart?: boolean
  /** A routing rule chose this policy: it stays whatever the priority or category becomes. */
  policyId?: number
}

/**
 * Brings a case's SLA up to date with the case, in the caller's transaction:
 * chooses its policy, pauses or resumes the clocks with the status, computes the
 * deadlines, and schedules the next timer. Writes the timeline only when something
 * an operator cares about changed; calling it again changes nothing.
 */
export async function syncSla(trx: Executor, caseId: number, opts: SyncOptions = {}): Promise<void> {
  const row = await lockCaseSla(trx, caseId)
  if (!row) return
  const now = opts.now ?? new Date()

  const pinned = opts.policyId !== undefined || row.slaPolicyPinned
  const wantedId = opts.policyId ?? (row.slaPolicyPinned ? row.slaPolicyId : null)
  const policy =
    row.mergedIntoId !== null
      ? undefined
      : wantedId != null
        ? await loadPolicy(trx, wantedId)
        : await matchPolicy(trx, row.categoryId, row.priority)
  const policyChanged = (policy?.id ?? null) !== row.slaPolicyId
  const calendar = policy ? await loadCalendar(trx, policy.calendarId) : undefined

  const fired = new Set(row.slaFired)
  let startedAt = row.slaStartedAt ?? row.createdAt
  let frPaused = row.firstResponsePausedMinutes
  let resPaused = row.resolutionPausedMinutes
  let pausedAt = row.slaPausedAt
  const events: { kind: string; data: Record<string, unknown> }[] = []

  if (opts.restart && policy) {
    startedAt = now
    resPaused = 0
    events.push({ kind: 'sla_restarted', data: { policyId: policy.id } })
  }

  const waiting = row.status === 'waiting_citizen'
  if (waiting && pausedAt === null && policy) {
    pausedAt = now
    events.push({ kind: 'sla_paused', data: { policyId: policy.id } })
  } else if (!waiting && pausedAt !== null) {
    // The pause counts for a clock whose breach had not come yet when it paused.
    const minutes = calendar ? businessMinutesBetween(calendar, pausedAt, now) : 0
    if (row.firstResponseDueAt && row.firstResponseDueAt > pausedAt) frPaused += minutes
    if (row.resolutionDueAt && row.resolutionDueAt > pausedAt) resPaused += minutes
    events.push({ kind: 'sla_resumed', data: { pausedBusinessMinutes: Math.round(minutes) } })
    pausedAt = null
  }

  let times: Times = storedTimes(row)
  if (policy && calendar) {
    times = timerTimes(calendar, policy, {
      createdAt: row.createdAt,
      startedAt,
      firstResponsePausedMinutes: frPaused,
      resolutionPausedMinutes: resPaused,
    })
    // A timer moved into the future has not happened under its new time.
    for (const [key, at] of Object.entries(times)) if (at && at > now) fired.delete(key)
  } else if (policyChanged) {
    times = {
      'first_response.warning': null,
      'first_response.breach': null,
      'resolution.warning': null,
      'resolution.breach': null,
    }
  }
  if (policyChanged) {
    events.push({
      kind: 'sla_applied',
      data: {
        policyId: policy?.id ?? null,
        policyName: policy?.name ?? null,
        previousPolicyId: row.slaPolicyId,
        firstResponseDueAt: iso(times['first_response.breach']),
        resolutionDueAt: iso(times['resolution.breach']),
      },
    })
  }

  const state = clockState({ ...row, slaPausedAt: pausedAt }, fired)
  const next = pendingTimers(times, state)[0]?.at ?? null

  const changed =
    policyChanged ||
    pinned !== row.slaPolicyPinned ||
    !sameTime(startedAt, row.slaStartedAt) ||
    !sameTime(pausedAt, row.slaPausedAt) ||
    frPaused !== row.firstResponsePausedMinutes ||
    resPaused !== row.resolutionPausedMinutes ||
    !sameTime(next, row.slaNextAt) ||
    [...fired].sort().join() !== [...row.slaFired].sort().join() ||
    (Object.keys(times) as TimerKey[]).some((k) => !sameTime(times[k], storedTimes(row)[k]))
  if (!changed) return

  await trx
    .updateTable('cases')
    .set({
      slaPolicyId: policy?.id ?? null,
      slaPolicyPinned: pinned && policy !== undefined,
      slaStartedAt: policy ? startedAt : row.slaStartedAt,
      firstResponseWarnAt: times['first_response.warning'],
      firstResponseDueAt: times['first_response.breach'],
      resolutionWarnAt: times['resolution.warning'],
      resolutionDueAt: times['resolution.breach'],
      slaPausedAt: pausedAt,
      firstResponsePausedMinutes: frPaused,
      resolutionPausedMinutes: resPaused,
      slaFired: [...fired],
      slaNextAt: next,
    })
    .where('id', '=', caseId)
    .execute()
  for (const event of events) await insertEvent(trx, { caseId, actorId: null, ...event })
  if (next && !sameTime(next, row.slaNextAt))
    await enqueue(trx, 'sla.schedule', { caseId, at: next.toISOString() })
}

const PHASE_EVENT = { warning: 'sla_warning', breach: 'sla_breach' } as const

/**
 * Fires every timer of a case whose time has come, in order, each at most once
 * (the `sla_fired` column and the event's dedupe key both say so): a timeline
 * event, then the policy's escalation. Returns the keys fired.
 */
export async function fireDueTimers(trx: Executor, caseId: number, now = new Date()): Promise<TimerKey[]> {
  const row = await lockCaseSla(trx, caseId)
  if (!row || row.slaPolicyId === null) return []
  const fired = new Set(row.slaFired)
  const due = pendingTimers(storedTimes(row), clockState(row, fired)).filter((t) => t.at <= now)
  if (due.length === 0) {
    // Nothing due (an early or stale timer): make sure the next one is scheduled.
    await syncSla(trx, caseId, { now })
    return []
  }
  const policy = await loadPolicy(trx, row.slaPolicyId)
  let priority = row.priority
  let move = null as { queueId: number; officeId: number | null } | null
  for (const { key, at } of due) {
    fired.add(key)
    const [target, phase] = key.split('.') as ['first_response' | 'resolution', 'warning' | 'breach']
    const escalation = ((phase === 'warning' ? policy?.onWarning : policy?.onBreach) ?? {}) as Escalation
    const actions: string[] = []
    if (escalation.notifySupervisors) {
      const recipients = [...(await supervisorIds(trx)), ...(row.assigneeId ? [row.assigneeId] : [])]
      await notifyStaff(trx, recipients, {
        kind: PHASE_EVENT[phase],
        caseId,
        data: {
          target,
          dueAt: iso(target === 'first_response' ? row.firstResponseDueAt : row.resolutionDueAt),
        },
        dedupeKey: `sla:${caseId}:${key}:${at.toISOString()}`,
      })
      actions.push('notify_supervisors')
    }
    if (escalation.raisePriority && raisedPriority(priority) !== priority) {
      actions.push(`priority:${priority}->${raisedPriority(priority)}`)
      priority = raisedPriority(priority)
    }
    if (escalation.moveToQueueId && escalation.moveToQueueId !== (move?.queueId ?? row.queueId)) {
      const queue = await trx
        .selectFrom('queues')
        .select(['id', 'officeId'])
        .where('id', '=', escalation.moveToQueueId)
        .where('active', '=', true)
        .executeTakeFirst()
      if (queue) {
        move = { queueId: queue.id, officeId: queue.officeId }
        actions.push(`queue:${row.queueId ?? '-'}->${queue.id}`)
      }
    }
    await insertEvent(trx, {
      caseId,
      kind: PHASE_EVENT[phase],
      actorId: null,
      data: {
        target,
        at: at.toISOString(),
        policyId: row.slaPolicyId,
        policyName: policy?.name ?? null,
        actions,
      },
      dedupeKey: `sla:${key}:${at.toISOString()}`,
    })
  }

  const escalated: Record<string, unknown> = {}
  if (priority !== row.priority) escalated.priority = priority
  if (move) {
    escalated.queueId = move.queueId
    if (move.officeId !== null) escalated.officeId = move.officeId
    if (row.assigneeId !== null && row.status === 'assigned') {
      escalated.assigneeId = null
      escalated.status = 'open'
    }
  }
  await trx
    .updateTable('cases')
    .set({
      slaFired: [...fired],
      // An escalated case keeps the policy whose clock is running: a raised priority is a signal, not a new SLA.
      ...(Object.keys(escalated).length
        ? { ...escalated, slaPolicyPinned: true, version: row.version + 1, updatedAt: sql`now()` }
        : {}),
    })
    .where('id', '=', caseId)
    .execute()
  if (Object.keys(escalated).length) {
    const changes = Object.fromEntries(
      Object.entries(escalated).map(([k, to]) => [k, { from: row[k as keyof typeof row] ?? null, to }]),
    )
    await insertEvent(trx, {
      caseId,
      kind: 'escalated',
      actorId: null,
      data: { changes, timers: due.map((t) => t.key) },
    })
    if (move) {
      // The agent it left has room again; the new queue assigns the case by its strategy.
      if (escalated.assigneeId === null) await enqueueDispatchAfterRelease(trx, row.assigneeId, null)
      await enqueueAssignment(trx, caseId, move.queueId)
    }
    await recordAudit(trx, null, {
      action: 'case.escalate',
      entityType: 'case',
      entityId: caseId,
      before: Object.fromEntries(Object.keys(escalated).map((k) => [k, row[k as keyof typeof row] ?? null])),
      after: escalated,
    })
  }
  await syncSla(trx, caseId, { now })
  return due.map((t) => t.key)
}

/** Cases with a timer due by `now`, oldest first, skipping those another worker holds. */
export async function casesWithDueTimers(trx: Executor, now: Date, limit: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('cases')
    .select('id')
    .where('slaNextAt', '<=', now)
    .orderBy('slaNextAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map((r) => r.id)
}

/** Pending timers after `after` in (time, id) order: a page of them to schedule again when Redis lost them. */
export async function pendingTimerPage(
  trx: Executor,
  after: { at: Date; id: number } | null,
  limit: number,
): Promise<{ id: number; at: Date }[]> {
  let q = trx.selectFrom('cases').select(['id', 'slaNextAt']).where('slaNextAt', 'is not', null)
  if (after) q = q.where(sql<boolean>`(sla_next_at, id) > (${after.at}, ${after.id})`)
  const rows = await q.orderBy('slaNextAt').orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, at: r.slaNextAt as Date }))
}
