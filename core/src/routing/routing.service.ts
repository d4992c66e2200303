import { sql } from 'kysely'
import { checkExists, requireRole } from '../admin/admin.common.ts'
import { enqueueAssignment } from '../assignment/assignment.service.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import { insertEvent } from '../cases/case.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { defineMessages, type Language } from '../i18n.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import { syncSla } from '../sla/sla.engine.ts'
import type {
  CreateRoutingRuleBody,
  ROUTING_RULE_SORTS,
  RoutingRuleFilter,
  RoutingRuleView,
  RoutingSample,
  RoutingTestResult,
  UpdateRoutingRuleBody,
} from './routing.api.schemas.ts'
import { describeRouting, type RoutableMessage, routeMessage } from './rule.engine.ts'
import { parseRoutingRule, type RoutingActions, type RoutingRule } from './rule.schemas.ts'

defineMessages({
  it: {
    routing_rule_not_found: 'La regola di instradamento {id} non esiste.',
    routing_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa regola (ora alla versione {version}): ricarica e riprova.',
    routing_unknown_queue: 'La coda {id} indicata nelle azioni non esiste.',
    routing_unknown_sla_policy: 'La politica SLA {id} indicata nelle azioni non esiste.',
  },
  en: {
    routing_rule_not_found: 'Routing rule {id} does not exist.',
    routing_version_conflict:
      'Someone else changed this rule in the meantime (it is now at version {version}): reload and try again.',
    routing_unknown_queue: 'Queue {id} named in the actions does not exist.',
    routing_unknown_sla_policy: 'SLA policy {id} named in the actions does not exist.',
  },
})

const COLUMNS = [
  'id',
  'name',
  'position',
  'enabled',
  'conditions',
  'actions',
  'version',
  'createdAt',
  'updatedAt',
] as const
const READERS: readonly Role[] = ['admin', 'supervisor']
const WRITERS: readonly Role[] = ['admin']

interface RuleRow {
  id: number
  name: string
  position: number
  enabled: boolean
  conditions: unknown
  actions: unknown
  version: number
  createdAt: Date
  updatedAt: Date
}

const toView = (row: RuleRow): RoutingRuleView => ({
  ...row,
  conditions: row.conditions as RoutingRuleView['conditions'],
  actions: row.actions as RoutingRuleView['actions'],
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
})

/** The engine's view of a stored rule (the API calls `order` position). */
const toRule = (row: Pick<RuleRow, 'id' | 'name' | 'position' | 'enabled' | 'conditions' | 'actions'>) =>
  ({
    id: row.id,
    name: row.name,
    order: row.position,
    enabled: row.enabled,
    conditions: row.conditions,
    actions: row.actions,
  }) as RoutingRule

const notFound = (id: number) =>
  new DomainError('not_found', 'routing_rule_not_found', `routing rule ${id} not found`, { params: { id } })

/**
 * Validates a rule as it will be stored, with parseRoutingRule's messages; the
 * engine's `order` is reported as `position`, the name the API uses.
 */
function validate(rule: Omit<RuleRow, 'version' | 'createdAt' | 'updatedAt'>): void {
  try {
    parseRoutingRule(toRule(rule))
  } catch (err) {
    if (!(err instanceof DomainError) || !Array.isArray(err.details)) throw err
    const rename = (path: string) => path.replace(/^\/order/, '/position')
    const details = (
      err.details as { path: string; code: string; params: Record<string, string | number> }[]
    ).map((p) => ({ ...p, path: rename(p.path), params: { ...p.params, path: rename(p.path) } }))
    const first = details[0]
    throw new DomainError(err.kind, err.code, err.message, { params: first?.params ?? err.params, details })
  }
}

/** The ids an action list names must exist. */
async function checkActionRefs(trx: Executor, actions: RoutingActions): Promise<void> {
  await checkExists(trx, 'offices', 'actions.officeId', [actions.officeId])
  await checkExists(trx, 'categories', 'actions.categoryId', [actions.categoryId])
  if (actions.queueId !== undefined) {
    const q = await trx.selectFrom('queues').select('id').where('id', '=', actions.queueId).executeTakeFirst()
    if (!q)
      throw new DomainError('invalid', 'routing_unknown_queue', `queue ${actions.queueId} not found`, {
        params: { id: actions.queueId },
      })
  }
  if (actions.slaPolicyId !== undefined) {
    const p = await trx
      .selectFrom('slaPolicies')
      .select('id')
      .where('id', '=', actions.slaPolicyId)
      .executeTakeFirst()
    if (!p)
      throw new DomainError(
        'invalid',
        'routing_unknown_sla_policy',
        `SLA policy ${actions.slaPolicyId} not found`,
        {
          params: { id: actions.slaPolicyId },
        },
      )
  }
}

async function enabledRules(db: Executor): Promise<RoutingRule[]> {
  const rows = await db
    .selectFrom('routingRules')
    .select(['id', 'name', 'position', 'enabled', 'conditions', 'actions'])
    .where('enabled', '=', true)
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map(toRule)
}

/**
 * What applies when no rule matches: the category's office, a queue of that office
 * if there is one, otherwise the 'triage' queue if there is one.
 */
async function defaultActions(db: Executor, categoryId: number | null | undefined): Promise<RoutingActions> {
  const actions: RoutingActions = {}
  if (categoryId != null) {
    const cat = await db
      .selectFrom('categories')
      .select('officeId')
      .where('id', '=', categoryId)
      .executeTakeFirst()
    if (cat?.officeId != null) {
      actions.officeId = cat.officeId
      const queue = await db
        .selectFrom('queues')
        .select('id')
        .where('officeId', '=', cat.officeId)
        .where('active', '=', true)
        .orderBy('id')
        .executeTakeFirst()
      if (queue) actions.queueId = queue.id
    }
  }
  if (actions.queueId === undefined) {
    const triage = await db
      .selectFrom('queues')
      .select('id')
      .where('code', '=', 'triage')
      .where('active', '=', true)
      .executeTakeFirst()
    if (triage) actions.queueId = triage.id
  }
  return actions
}

export type RoutingService = ReturnType<typeof createRoutingService>

/** Routing rules: admins edit them, supervisors read and try them out. */
export function createRoutingService(db: Database) {
  async function load(trx: Executor, id: number, lock = false): Promise<RuleRow> {
    let q = trx.selectFrom('routingRules').select(COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound(id)
    return row
  }

  return {
    async list(
      actor: Actor,
      query: ListQuery<RoutingRuleFilter, (typeof ROUTING_RULE_SORTS)[number]>,
    ): Promise<ListResult<RoutingRuleView>> {
      requireRole(actor, READERS, 'read routing rules')
      let q = db.selectFrom('routingRules')
      if (query.filter.enabled !== undefined) q = q.where('enabled', '=', query.filter.enabled)
      if (query.filter.q) q = q.where('name', 'ilike', `%${query.filter.q.replace(/[\\%_]/g, '\\$&')}%`)
      const [rows, count] = await Promise.all([
        q
          .select(COLUMNS)
          .orderBy(query.sort, query.order)
          .orderBy('id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(toView), total: Number(count.n), exact: true }
    },

    async get(actor: Actor, id: number): Promise<RoutingRuleView> {
      requireRole(actor, READERS, 'read routing rules')
      return toView(await load(db, id))
    },

    async create(actor: Actor, input: CreateRoutingRuleBody): Promise<RoutingRuleView> {
      requireRole(actor, WRITERS, 'create routing rules')
      const values = {
        name: input.name.trim(),
        position: input.position ?? 0,
        enabled: input.enabled ?? true,
        conditions: input.conditions ?? {},
        actions: input.actions,
      }
      validate({ id: 1, ...values })
      return db.transaction().execute(async (trx) => {
        await checkActionRefs(trx, values.actions as RoutingActions)
        const row = await trx
          .insertInto('routingRules')
          .values({
            ...values,
            conditions: JSON.stringify(values.conditions),
            actions: JSON.stringify(values.actions),
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
        const after = toView(row)
        await recordAudit(trx, actor, {
          action: 'routing_rule.create',
          entityType: 'routing_rule',
          entityId: row.id,
          after,
        })
        return after
      })
    },

    async update(actor: Actor, id: number, input: UpdateRoutingRuleBody): Promise<RoutingRuleView> {
      requireRole(actor, WRITERS, 'change routing rules')
      const { version, ...fields } = input
      if (version === undefined) {
        throw new DomainError(
          'invalid',
          'admin_version_required',
          'send the version you read (body.version or If-Match)',
        )
      }
      return db.transaction().execute(async (trx) => {
        const beforeRow = await load(trx, id, true)
        const before = toView(beforeRow)
        if (beforeRow.version !== version) {
          throw new DomainError(
            'conflict',
            'routing_version_conflict',
            `routing rule ${id} is at version ${beforeRow.version}, not ${version}`,
            { params: { version: beforeRow.version }, details: { current: before } },
          )
        }
        const next = {
          id,
          name: fields.name?.trim() ?? beforeRow.name,
          position: fields.position ?? beforeRow.position,
          enabled: fields.enabled ?? beforeRow.enabled,
          conditions: fields.conditions ?? beforeRow.conditions,
          actions: fields.actions ?? beforeRow.actions,
        }
        validate(next)
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).some(
          (k) => fields[k] !== undefined && JSON.stringify(fields[k]) !== JSON.stringify(beforeRow[k]),
        )
        if (!changed) return before
        if (fields.actions) await checkActionRefs(trx, next.actions as RoutingActions)
        const row = await trx
          .updateTable('routingRules')
          .set({
            name: next.name,
            position: next.position,
            enabled: next.enabled,
            conditions: JSON.stringify(next.conditions),
            actions: JSON.stringify(next.actions),
            version: beforeRow.version + 1,
            updatedAt: sql`now()`,
          })
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirstOrThrow()
        const after = toView(row)
        await recordAudit(trx, actor, {
          action: 'routing_rule.update',
          entityType: 'routing_rule',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },

    /** The rule tester: which enabled rule a sample message would fire, and why, in `lang`. */
    async testRules(
      actor: Actor,
      sample: RoutingSample,
      lang: Language = actor.language,
    ): Promise<RoutingTestResult> {
      requireRole(actor, READERS, 'test routing rules')
      const message: RoutableMessage = {
        channel: sample.channel,
        subject: sample.subject,
        text: sample.text,
        categoryId: sample.categoryId ?? null,
        contact: sample.contact ?? null,
        location: sample.location ? { lat: sample.location.latitude, lon: sample.location.longitude } : null,
        receivedAt: sample.receivedAt ? new Date(sample.receivedAt) : new Date(),
      }
      const decision = routeMessage(await enabledRules(db), message, {
        defaultActions: await defaultActions(db, sample.categoryId),
      })
      return {
        rule: decision.rule ? { id: decision.rule.id, name: decision.rule.name } : null,
        actions: decision.actions,
        explanation: decision.explanation,
        rejected: decision.rejected,
        text: describeRouting(decision, lang),
      }
    },
  }
}

/**
 * Routes a new case in the caller's transaction (the worker's): the first matching
 * enabled rule, or the default (the category's office and one of its queues, else the
 * triage queue). Only fields still unset are filled, so an operator's choice stands;
 * priority changes only when the rule sets it, tags are merged. The decision goes on
 * the timeline as a 'routed' event, keyed so that routing twice changes nothing.
 */
export async function routeCase(trx: Executor, caseId: number): Promise<void> {
  const found = await trx
    .selectFrom('cases')
    .leftJoin('contacts', 'contacts.id', 'cases.contactId')
    .select([
      'cases.id',
      'cases.subject',
      'cases.description',
      'cases.channel',
      'cases.categoryId',
      'cases.queueId',
      'cases.officeId',
      'cases.priority',
      'cases.tags',
      'cases.latitude',
      'cases.longitude',
      'cases.createdAt',
      'cases.version',
      'cases.contactId',
      'contacts.fiscalCode',
      'contacts.kind as contactKind',
      'contacts.language as contactLanguage',
    ])
    .where('cases.id', '=', caseId)
    .forUpdate(['cases'])
    .executeTakeFirst()
  if (!found)
    throw new DomainError('not_found', 'case_not_found', `case ${caseId} not found`, {
      params: { id: caseId },
    })
  const already = await trx
    .selectFrom('caseEvents')
    .select('id')
    .where('caseId', '=', caseId)
    .where('dedupeKey', '=', 'routed')
    .executeTakeFirst()
  if (already) return

  const message: RoutableMessage = {
    channel: found.channel as RoutableMessage['channel'],
    subject: found.subject,
    text: found.description,
    categoryId: found.categoryId,
    contact:
      found.contactId == null
        ? null
        : {
            fiscalCode: found.fiscalCode,
            isOrganisation: found.contactKind === 'organisation',
            language: found.contactLanguage as Language,
          },
    location:
      found.latitude != null && found.longitude != null
        ? { lat: found.latitude, lon: found.longitude }
        : null,
    receivedAt: found.createdAt,
  }
  const decision = routeMessage(await enabledRules(trx), message, {
    defaultActions: await defaultActions(trx, found.categoryId),
  })
  const { actions } = decision

  const changes: {
    categoryId?: number
    officeId?: number
    queueId?: number
    priority?: string
    tags?: string[]
  } = {}
  if (found.categoryId == null && actions.categoryId !== undefined) changes.categoryId = actions.categoryId
  if (found.officeId == null && actions.officeId !== undefined) changes.officeId = actions.officeId
  if (found.queueId == null && actions.queueId !== undefined) {
    const queue = await trx
      .selectFrom('queues')
      .select(['id', 'officeId'])
      .where('id', '=', actions.queueId)
      .executeTakeFirst()
    const office = changes.officeId ?? found.officeId
    // A queue of another office than the one an operator chose would split the case between two teams.
    if (queue && (office == null || queue.officeId == null || queue.officeId === office)) {
      changes.queueId = queue.id
      if (office == null && queue.officeId != null) changes.officeId = queue.officeId
    }
  }
  if (actions.priority !== undefined && actions.priority !== found.priority)
    changes.priority = actions.priority
  if (actions.tags?.length) {
    const merged = [...new Set([...found.tags, ...actions.tags])]
    if (merged.length !== found.tags.length) changes.tags = merged
  }

  const inserted = await insertEvent(trx, {
    caseId,
    kind: 'routed',
    actorId: null,
    data: {
      ruleId: decision.rule?.id ?? null,
      ruleName: decision.rule?.name ?? null,
      actions,
      applied: changes,
      explanation: describeRouting(decision, 'it'),
      reasons: { explanation: decision.explanation, rejected: decision.rejected },
    },
    dedupeKey: 'routed',
  })
  // Routed into a queue with nobody on it yet: the queue (or the rule's strategy) assigns it.
  if (inserted !== null)
    await enqueueAssignment(trx, caseId, changes.queueId ?? found.queueId, actions.assignment)
  if (inserted === null) return
  if (Object.keys(changes).length > 0) {
    await trx
      .updateTable('cases')
      .set({
        ...(changes as Record<string, unknown>),
        version: found.version + 1,
        updatedAt: sql`now()`,
      })
      .where('id', '=', caseId)
      .execute()
  }
  // With its category and priority settled, the case gets its SLA: the rule's policy, else the matching one.
  await syncSla(trx, caseId, actions.slaPolicyId ? { policyId: actions.slaPolicyId } : {})
}
