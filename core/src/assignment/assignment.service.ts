import { sql } from 'kysely'
import { requireRole } from '../admin/admin.common.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import { CASE_COLUMNS, type CaseRow, insertEvent, toCaseView } from '../cases/case.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import { enqueue } from '../outbox/outbox.repository.ts'
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '../routing/rule.schemas.ts'
import {
  type AssignmentCandidate,
  type AssignmentDecision,
  chooseAssignee,
  describeAssignment,
} from './assignment.engine.ts'
import {
  type AgentQuery,
  type AgentView,
  LOAD_STATUSES,
  type PresenceState,
  type PresenceView,
  WAITING_STATUSES,
} from './assignment.schemas.ts'

/** Waiting cases looked at per dispatch; a full page that assigned something schedules another dispatch. */
const DISPATCH_PAGE = 200
const SUPERVISORS: readonly Role[] = ['admin', 'supervisor']

const isStrategy = (s: unknown): s is AssignmentStrategy =>
  typeof s === 'string' && (ASSIGNMENT_STRATEGIES as readonly string[]).includes(s)

interface QueueSettings {
  id: number
  active: boolean
  strategy: AssignmentStrategy
}

interface WaitingCase {
  row: CaseRow
  /** The strategy for this case: the job's, else the routing rule's, else the queue's. */
  strategy: AssignmentStrategy
  requiredSkills: string[]
}

/** What became of one case handed to the dispatcher. */
export interface AssignmentOutcome {
  caseId: number
  assigneeId: number | null
  decision: AssignmentDecision
}

async function queueSettings(trx: Executor, queueId: number): Promise<QueueSettings | null> {
  const row = await trx
    .selectFrom('queues')
    .select(['id', 'active', 'assignmentStrategy'])
    .where('id', '=', queueId)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    active: row.active,
    strategy: isStrategy(row.assignmentStrategy) ? row.assignmentStrategy : 'manual',
  }
}

/**
 * Takes the queue's turn: decisions on one queue run one at a time, and the
 * presence rows of its members are locked (in id order, so two queues sharing
 * agents cannot deadlock) — an agent's load is counted only after every other
 * decision that could add to it has committed, and nobody goes offline mid-decision.
 */
async function lockQueue(trx: Executor, queueId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('filo.assignment.queue'), ${queueId}::int)`.execute(trx)
  await sql`
    select p.user_id from staff_presence p
    where p.user_id in (select m.user_id from queue_members m where m.queue_id = ${queueId})
    order by p.user_id
    for update of p`.execute(trx)
}

/** The queue's members with their presence, load (across all queues) and last assignment from this queue. */
async function candidatesOf(trx: Executor, queueId: number): Promise<AssignmentCandidate[]> {
  const rows = await trx
    .selectFrom('queueMembers as m')
    .innerJoin('staffUsers as u', 'u.id', 'm.userId')
    .leftJoin('staffPresence as p', 'p.userId', 'm.userId')
    .select((eb) => [
      'm.userId',
      'u.fullName',
      'u.active',
      'u.capacity',
      'u.skills',
      'm.lastAssignedAt',
      eb.fn.coalesce('p.state', sql<string>`'offline'`).as('state'),
      eb
        .selectFrom('cases as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.assigneeId', '=', 'm.userId')
        .where('c.status', 'in', LOAD_STATUSES)
        .as('load'),
    ])
    .where('m.queueId', '=', queueId)
    .orderBy('m.userId')
    .execute()
  return rows.map((r) => ({
    userId: r.userId,
    name: r.fullName,
    active: r.active,
    presence: r.state as PresenceState,
    load: Number(r.load ?? 0),
    capacity: r.capacity,
    skills: r.skills,
    lastAssignedAt: r.lastAssignedAt,
  }))
}

/** Every skill a category requires, its ancestors' included (a subcategory inherits them). */
async function requiredSkillsOf(trx: Executor, categoryIds: number[]): Promise<Map<number, string[]>> {
  const skills = new Map<number, string[]>()
  if (categoryIds.length === 0) return skills
  const { rows } = await sql<{ id: number; skills: string[] }>`
    with recursive up (id, ancestor_id, depth) as (
      select id, id, 0 from categories where id = any(${categoryIds}::bigint[])
      union all
      select up.id, c.parent_id, up.depth + 1 from up join categories c on c.id = up.ancestor_id
      where c.parent_id is not null and up.depth < 10
    )
    select up.id, coalesce(array_agg(distinct s) filter (where s is not null), '{}') as skills
    from up join categories a on a.id = up.ancestor_id left join lateral unnest(a.required_skills) s on true
    group by up.id`.execute(trx)
  for (const r of rows) skills.set(Number(r.id), r.skills)
  return skills
}

/**
 * Locks the queue's waiting cases, most urgent then oldest first; a case another
 * transaction holds is skipped (it is being changed: it will be dispatched again).
 * Each carries its strategy: the one given for it, else its routing rule's
 * assignment action, else the queue's.
 */
async function waitingCases(
  trx: Executor,
  queue: QueueSettings,
  overrides: ReadonlyMap<number, AssignmentStrategy>,
  limit: number,
): Promise<WaitingCase[]> {
  const given = [...overrides.entries()]
  const automatic = given.filter(([, s]) => s !== 'manual').map(([id]) => id)
  const manual = given.filter(([, s]) => s === 'manual').map(([id]) => id)
  const rows = await trx
    .selectFrom('cases')
    .leftJoin('caseEvents as routed', (join) =>
      join.onRef('routed.caseId', '=', 'cases.id').on('routed.dedupeKey', '=', 'routed'),
    )
    .select(CASE_COLUMNS.map((c) => `cases.${c}` as const))
    .select(sql<string | null>`routed.data -> 'actions' ->> 'assignment'`.as('ruleStrategy'))
    .where('cases.queueId', '=', queue.id)
    .where('cases.assigneeId', 'is', null)
    .where('cases.mergedIntoId', 'is', null)
    .where('cases.status', 'in', WAITING_STATUSES)
    // Cases left to a person are never locked here: a manual queue's dispatch touches only the
    // cases a routing rule (or the job) gave a strategy of their own.
    .where((eb) =>
      eb.or([
        sql<boolean>`coalesce(routed.data -> 'actions' ->> 'assignment', ${queue.strategy}) <> 'manual'`,
        ...(automatic.length ? [eb('cases.id', 'in', automatic)] : []),
      ]),
    )
    .where((eb) => (manual.length ? eb('cases.id', 'not in', manual) : eb.val(true)))
    .orderBy('cases.priorityRank', 'desc')
    .orderBy('cases.createdAt')
    .orderBy('cases.id')
    .limit(limit)
    .forUpdate(['cases'])
    .skipLocked()
    .execute()
  const skills = await requiredSkillsOf(trx, [
    ...new Set(rows.map((r) => r.categoryId).filter((id): id is number => id !== null)),
  ])
  return rows.map(({ ruleStrategy, ...row }) => ({
    row,
    strategy: overrides.get(row.id) ?? (isStrategy(ruleStrategy) ? ruleStrategy : queue.strategy),
    requiredSkills: row.categoryId === null ? [] : (skills.get(row.categoryId) ?? []),
  }))
}

/**
 * Gives a waiting case to the chosen agent: assignee, status 'assigned', version,
 * the member's last assignment from the queue, the timeline (keyed on the
 * version, so the same decision twice writes once) and the audit log.
 */
async function assign(
  trx: Executor,
  before: CaseRow,
  userId: number,
  decision: AssignmentDecision,
): Promise<Date | null> {
  const explanation = describeAssignment(decision, 'it')
  const inserted = await insertEvent(trx, {
    caseId: before.id,
    kind: 'assigned',
    actorId: null,
    data: { from: null, to: userId, strategy: decision.strategy, explanation },
    dedupeKey: `assigned:v${before.version}`,
  })
  if (inserted === null) return null
  const after = await trx
    .updateTable('cases')
    .set({ assigneeId: userId, status: 'assigned', version: before.version + 1, updatedAt: sql`now()` })
    .where('id', '=', before.id)
    .returning(CASE_COLUMNS)
    .executeTakeFirstOrThrow()
  if (before.status !== 'assigned') {
    await insertEvent(trx, {
      caseId: before.id,
      kind: 'status_changed',
      actorId: null,
      data: { from: before.status, to: 'assigned', cause: 'assignment' },
      dedupeKey: `assigned-status:v${before.version}`,
    })
  }
  // clock_timestamp, not now(): one dispatch assigns several cases in one transaction, and
  // round robin must see their order.
  const member = await trx
    .updateTable('queueMembers')
    .set({ lastAssignedAt: sql`clock_timestamp()` })
    .where('queueId', '=', before.queueId ?? -1)
    .where('userId', '=', userId)
    .returning('lastAssignedAt')
    .executeTakeFirst()
  await recordAudit(trx, null, {
    action: 'case.assign',
    entityType: 'case',
    entityId: before.id,
    before: toCaseView(before),
    after: { ...toCaseView(after), strategy: decision.strategy, explanation },
  })
  return member?.lastAssignedAt ?? new Date()
}

/**
 * Hands the queue's waiting cases, most urgent then oldest first, to its eligible
 * agents while they have room, in the caller's transaction (a worker's). Cases
 * whose strategy is manual are left for a person. Returns what became of each
 * case looked at.
 */
async function runDispatch(
  trx: Executor,
  queueId: number,
  overrides: ReadonlyMap<number, AssignmentStrategy> = new Map(),
): Promise<AssignmentOutcome[]> {
  const queue = await queueSettings(trx, queueId)
  if (!queue)
    throw new DomainError('not_found', 'queue_not_found', `queue ${queueId} not found`, {
      params: { id: queueId },
    })
  if (!queue.active) return []
  await lockQueue(trx, queueId)
  const candidates = await candidatesOf(trx, queueId)
  const waiting = await waitingCases(trx, queue, overrides, DISPATCH_PAGE)
  const outcomes: AssignmentOutcome[] = []
  let assigned = 0
  for (const item of waiting) {
    const decision = chooseAssignee(candidates, item.strategy, item.requiredSkills)
    if (decision.userId === null) {
      outcomes.push({ caseId: item.row.id, assigneeId: null, decision })
      // Nobody at all has room: the rest of the queue waits too (a skill or manual miss does not say so).
      if (decision.reason === 'none_eligible' || decision.reason === 'no_members') break
      continue
    }
    const at = await assign(trx, item.row, decision.userId, decision)
    if (at === null) continue
    const chosen = candidates.find((c) => c.userId === decision.userId)
    if (chosen) {
      chosen.load += 1
      chosen.lastAssignedAt = at
    }
    assigned += 1
    outcomes.push({ caseId: item.row.id, assigneeId: decision.userId, decision })
  }
  if (waiting.length === DISPATCH_PAGE && assigned > 0) await enqueue(trx, 'queue.dispatch', { queueId })
  return outcomes
}

/** Assigns waiting cases of a queue while its eligible agents have room (the 'queue.dispatch' job). */
export async function dispatchQueue(trx: Executor, queueId: number): Promise<AssignmentOutcome[]> {
  return runDispatch(trx, queueId)
}

/**
 * Assigns a case in its queue (the 'case.assign' job), in the caller's transaction.
 * Only a case with a queue, no assignee, not merged, new or open is assigned; the
 * queue's other waiting cases that come before it in line go first, so a new case
 * never overtakes an older one. `strategy` (a routing rule's) overrides the queue's.
 * Returns the outcome for this case; null when it was not waiting.
 */
export async function assignCase(
  trx: Executor,
  caseId: number,
  strategy?: AssignmentStrategy,
): Promise<AssignmentOutcome | null> {
  const row = await trx
    .selectFrom('cases')
    .select(['id', 'queueId', 'assigneeId', 'mergedIntoId', 'status'])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
  if (!row)
    throw new DomainError('not_found', 'case_not_found', `case ${caseId} not found`, {
      params: { id: caseId },
    })
  const waiting =
    row.queueId !== null &&
    row.assigneeId === null &&
    row.mergedIntoId === null &&
    (WAITING_STATUSES as readonly string[]).includes(row.status)
  if (!waiting || row.queueId === null) return null
  const overrides = new Map(strategy ? [[caseId, strategy]] : [])
  const outcomes = await runDispatch(trx, row.queueId, overrides)
  return outcomes.find((o) => o.caseId === caseId) ?? null
}

/**
 * Schedules the assignment of a case just routed into `queueId`, in the caller's
 * transaction, unless someone already holds it; `strategy` is the routing rule's.
 */
export async function enqueueAssignment(
  trx: Executor,
  caseId: number,
  queueId: number | null | undefined,
  strategy?: AssignmentStrategy,
): Promise<void> {
  if (queueId == null) return
  const row = await trx
    .selectFrom('cases')
    .select(['assigneeId', 'mergedIntoId'])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (!row || row.assigneeId !== null || row.mergedIntoId !== null) return
  await enqueue(trx, 'case.assign', strategy ? { caseId, strategy } : { caseId })
}

/**
 * After a case left an agent's hands (resolved, closed, unassigned, moved), the
 * queues that may now give them, or it, to someone: the former assignee's queues
 * and the case's own. Dispatched by 'queue.dispatch' jobs, in the caller's transaction.
 */
export async function enqueueDispatchAfterRelease(
  trx: Executor,
  formerAssigneeId: number | null,
  queueId: number | null,
): Promise<void> {
  const queueIds = new Set<number>()
  if (queueId !== null) queueIds.add(queueId)
  if (formerAssigneeId !== null) {
    const rows = await trx
      .selectFrom('queueMembers as m')
      .innerJoin('queues as q', 'q.id', 'm.queueId')
      .select('m.queueId')
      .where('m.userId', '=', formerAssigneeId)
      .where('q.active', '=', true)
      .execute()
    for (const r of rows) queueIds.add(r.queueId)
  }
  for (const id of [...queueIds].sort((a, b) => a - b)) await enqueue(trx, 'queue.dispatch', { queueId: id })
}

/** After an agent got more room or new skills (an admin's change): their queues may assign them what waits. */
export async function enqueueDispatchForAgent(trx: Executor, userId: number): Promise<void> {
  await enqueueDispatchAfterRelease(trx, userId, null)
}

/** Whether a case in `before` counted against its assignee and no longer does in `after`. */
export function leftLoad(
  before: { status: string; assigneeId: number | null; queueId?: number | null },
  after: { status: string; assigneeId: number | null; queueId?: number | null },
): boolean {
  const counted = (c: { status: string; assigneeId: number | null }) =>
    c.assigneeId !== null && (LOAD_STATUSES as readonly string[]).includes(c.status)
  if (!counted(before)) return false
  return !counted(after) || after.assigneeId !== before.assigneeId
}

const LOAD_CASES = sql<number>`(select count(*)::int from cases c where c.assignee_id = u.id and c.status in ('assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party'))`

export type AssignmentService = ReturnType<typeof createAssignmentService>

/** Presence of agents and what supervisors see of them; assignment itself runs in the workers. */
export function createAssignmentService(db: Database) {
  async function presenceOf(trx: Executor, userId: number): Promise<PresenceView> {
    const row = await trx
      .selectFrom('staffPresence')
      .select(['state', 'changedAt'])
      .where('userId', '=', userId)
      .executeTakeFirst()
    return {
      state: (row?.state ?? 'offline') as PresenceState,
      changedAt: row ? row.changedAt.toISOString() : null,
    }
  }

  /**
   * Gives back to their queues the cases `actor` has not started ('assigned'),
   * where the queue says so (release_on_offline): open again, unassigned, explained
   * on the timeline and audited. Returns the queues to dispatch.
   */
  async function releaseNotStarted(
    trx: Executor,
    actor: Actor,
  ): Promise<{ count: number; queueIds: number[] }> {
    const cases = await trx
      .selectFrom('cases')
      .innerJoin('queues', 'queues.id', 'cases.queueId')
      .select(CASE_COLUMNS.map((c) => `cases.${c}` as const))
      .where('cases.assigneeId', '=', actor.id)
      .where('cases.status', '=', 'assigned')
      .where('cases.mergedIntoId', 'is', null)
      .where('queues.releaseOnOffline', '=', true)
      .orderBy('cases.id')
      .forUpdate(['cases'])
      .execute()
    const queueIds = new Set<number>()
    for (const before of cases) {
      const after = await trx
        .updateTable('cases')
        .set({ assigneeId: null, status: 'open', version: before.version + 1, updatedAt: sql`now()` })
        .where('id', '=', before.id)
        .returning(CASE_COLUMNS)
        .executeTakeFirstOrThrow()
      await insertEvent(trx, {
        caseId: before.id,
        kind: 'unassigned',
        actorId: null,
        data: { from: actor.id, to: null, reason: 'agent_offline' },
        dedupeKey: `unassigned:v${before.version}`,
      })
      await insertEvent(trx, {
        caseId: before.id,
        kind: 'status_changed',
        actorId: null,
        data: { from: 'assigned', to: 'open', cause: 'agent_offline' },
        dedupeKey: `unassigned-status:v${before.version}`,
      })
      await recordAudit(trx, actor, {
        action: 'case.unassign',
        entityType: 'case',
        entityId: before.id,
        before: toCaseView(before),
        after: { ...toCaseView(after), reason: 'agent_offline' },
      })
      if (before.queueId !== null) queueIds.add(before.queueId)
    }
    return { count: cases.length, queueIds: [...queueIds].sort((a, b) => a - b) }
  }

  return {
    /** The signed-in user's presence (offline until they say otherwise). */
    getPresence: (actor: Actor): Promise<PresenceView> => presenceOf(db, actor.id),

    /**
     * Sets the signed-in user's presence. Going offline gives back the cases they
     * have not started (where their queue says so) and dispatches them to others;
     * becoming available dispatches the user's queues.
     */
    async setPresence(actor: Actor, state: PresenceState): Promise<PresenceView> {
      return db.transaction().execute(async (trx) => {
        // The presence row is the agent's lock (see lockQueue): no assignment to them is half-decided now.
        const previous = await trx
          .selectFrom('staffPresence')
          .select(['state', 'changedAt'])
          .where('userId', '=', actor.id)
          .forUpdate()
          .executeTakeFirst()
        const before = (previous?.state ?? 'offline') as PresenceState
        if (previous && before === state) return presenceOf(trx, actor.id)
        await trx
          .insertInto('staffPresence')
          .values({ userId: actor.id, state, changedAt: sql`now()` })
          .onConflict((oc) => oc.column('userId').doUpdateSet({ state, changedAt: sql`now()` }))
          .execute()
        await recordAudit(trx, actor, {
          action: 'presence.update',
          entityType: 'staff_user',
          entityId: actor.id,
          before: { state: before },
          after: { state },
        })
        let released = 0
        if (state === 'offline') {
          const result = await releaseNotStarted(trx, actor)
          released = result.count
          for (const queueId of result.queueIds) await enqueue(trx, 'queue.dispatch', { queueId })
        }
        if (state === 'available' && before !== 'available')
          await enqueueDispatchAfterRelease(trx, actor.id, null)
        const view = await presenceOf(trx, actor.id)
        return state === 'offline' ? { ...view, released } : view
      })
    },

    /** Agents (queue members and anyone who set a presence) with presence, load, capacity and queues: supervisors and admins. */
    async listAgents(actor: Actor, query: AgentQuery = {}): Promise<AgentView[]> {
      requireRole(actor, SUPERVISORS, 'list agents')
      const rows = await db
        .selectFrom('staffUsers as u')
        .leftJoin('staffPresence as p', 'p.userId', 'u.id')
        .select((eb) => [
          'u.id',
          'u.fullName',
          'u.role',
          'u.capacity',
          'u.skills',
          'p.changedAt',
          eb.fn.coalesce('p.state', sql<string>`'offline'`).as('state'),
          LOAD_CASES.as('load'),
          sql<
            number[]
          >`coalesce((select array_agg(m.queue_id order by m.queue_id) from queue_members m where m.user_id = u.id), '{}')`.as(
            'queueIds',
          ),
        ])
        .where('u.active', '=', true)
        .where((eb) =>
          eb.or([
            eb('p.userId', 'is not', null),
            eb.exists(
              eb.selectFrom('queueMembers as m').select('m.userId').whereRef('m.userId', '=', 'u.id'),
            ),
          ]),
        )
        .$if(query.queueId !== undefined, (q) =>
          q.where((eb) =>
            eb.exists(
              eb
                .selectFrom('queueMembers as m')
                .select('m.userId')
                .whereRef('m.userId', '=', 'u.id')
                .where('m.queueId', '=', query.queueId ?? -1),
            ),
          ),
        )
        .$if(query.state !== undefined, (q) =>
          q.where(sql<string>`coalesce(p.state, 'offline')`, '=', query.state ?? 'offline'),
        )
        .orderBy('u.fullName')
        .orderBy('u.id')
        .execute()
      return rows.map((r) => ({
        id: r.id,
        fullName: r.fullName,
        role: r.role as AgentView['role'],
        state: r.state as PresenceState,
        changedAt: r.changedAt ? r.changedAt.toISOString() : null,
        load: Number(r.load),
        capacity: r.capacity,
        skills: r.skills,
        queueIds: (r.queueIds ?? []).map(Number),
      }))
    },
  }
}
