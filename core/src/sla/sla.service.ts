import { sql } from 'kysely'
import { checkExists, checkVersion, notFound, requireRole, unique } from '../admin/admin.common.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { defineMessages } from '../i18n.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import type { BusinessCalendarSettings } from './calendar.schemas.ts'
import { addBusinessMinutes, holidaysOf, parseBusinessCalendar } from './calendar.ts'
import type {
  CALENDAR_SORTS,
  CalendarFilter,
  CalendarPreview,
  CalendarPreviewQuery,
  CalendarView,
  CreateCalendarBody,
  CreateSlaPolicyBody,
  Escalation,
  SLA_POLICY_SORTS,
  SlaPolicyFilter,
  SlaPolicyView,
  UpdateCalendarBody,
  UpdateSlaPolicyBody,
} from './sla.schemas.ts'

defineMessages({
  it: {
    sla_policy_not_found: 'La politica SLA {id} non esiste.',
    sla_policy_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa politica SLA (ora alla versione {version}): ricarica e riprova.',
    sla_policy_scope_taken:
      'Esiste già una politica SLA attiva per questa categoria e priorità: disattivala o modificala.',
    sla_calendar_not_found: 'Il calendario {id} non esiste.',
    sla_calendar_version_conflict:
      'Nel frattempo qualcun altro ha modificato questo calendario (ora alla versione {version}): ricarica e riprova.',
    sla_calendar_code_taken: 'Esiste già un calendario con il codice «{code}».',
    sla_unknown_queue: 'La coda {id} indicata nell’escalation non esiste.',
  },
  en: {
    sla_policy_not_found: 'SLA policy {id} does not exist.',
    sla_policy_version_conflict:
      'Someone else changed this SLA policy in the meantime (it is now at version {version}): reload and try again.',
    sla_policy_scope_taken:
      'An active SLA policy for this category and priority already exists: deactivate or change it.',
    sla_calendar_not_found: 'Calendar {id} does not exist.',
    sla_calendar_version_conflict:
      'Someone else changed this calendar in the meantime (it is now at version {version}): reload and try again.',
    sla_calendar_code_taken: 'A calendar with the code "{code}" already exists.',
    sla_unknown_queue: 'Queue {id} named in the escalation does not exist.',
  },
})

const READERS: readonly Role[] = ['admin', 'supervisor']
const WRITERS: readonly Role[] = ['admin']

const POLICY_COLUMNS = [
  'id',
  'name',
  'categoryId',
  'priority',
  'calendarId',
  'firstResponseMinutes',
  'resolutionMinutes',
  'warnPercent',
  'onWarning',
  'onBreach',
  'active',
  'version',
  'createdAt',
  'updatedAt',
] as const
const CALENDAR_COLUMNS = ['id', 'code', 'name', 'settings', 'version', 'createdAt', 'updatedAt'] as const

type PolicyRow = {
  [K in (typeof POLICY_COLUMNS)[number]]: K extends 'onWarning' | 'onBreach' | 'priority'
    ? unknown
    : K extends 'createdAt' | 'updatedAt'
      ? Date
      : K extends 'categoryId'
        ? number | null
        : K extends 'name'
          ? string
          : K extends 'active'
            ? boolean
            : number
}

const toPolicyView = (row: PolicyRow): SlaPolicyView => ({
  ...row,
  priority: row.priority as SlaPolicyView['priority'],
  onWarning: row.onWarning as Escalation,
  onBreach: row.onBreach as Escalation,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
})

const toCalendarView = (row: {
  id: number
  code: string
  name: string
  settings: unknown
  version: number
  createdAt: Date
  updatedAt: Date
}): CalendarView => ({
  ...row,
  settings: row.settings as BusinessCalendarSettings,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
})

async function checkPolicyRefs(
  trx: Executor,
  input: { categoryId?: number | null; calendarId?: number; onWarning?: Escalation; onBreach?: Escalation },
) {
  await checkExists(trx, 'categories', 'categoryId', [input.categoryId])
  if (input.calendarId !== undefined) {
    const found = await trx
      .selectFrom('businessCalendars')
      .select('id')
      .where('id', '=', input.calendarId)
      .executeTakeFirst()
    if (!found) throw notFound('sla_calendar', input.calendarId)
  }
  for (const escalation of [input.onWarning, input.onBreach]) {
    const queueId = escalation?.moveToQueueId
    if (queueId === undefined) continue
    const found = await trx.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst()
    if (!found)
      throw new DomainError('invalid', 'sla_unknown_queue', `queue ${queueId} not found`, {
        params: { id: queueId },
      })
  }
}

const likeText = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`

export type SlaService = ReturnType<typeof createSlaService>

/**
 * SLA policies and business calendars: administrators edit them, supervisors read
 * them. A policy edit applies to cases routed from then on; running clocks keep the
 * deadlines they were given, as a citizen was told.
 */
export function createSlaService(db: Database) {
  async function loadPolicy(trx: Executor, id: number, lock = false): Promise<PolicyRow> {
    let q = trx.selectFrom('slaPolicies').select(POLICY_COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('sla_policy', id)
    return row as PolicyRow
  }
  async function loadCalendar(trx: Executor, id: number, lock = false) {
    let q = trx.selectFrom('businessCalendars').select(CALENDAR_COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('sla_calendar', id)
    return row
  }

  return {
    async listPolicies(
      actor: Actor,
      query: ListQuery<SlaPolicyFilter, (typeof SLA_POLICY_SORTS)[number]>,
    ): Promise<ListResult<SlaPolicyView>> {
      requireRole(actor, READERS, 'read SLA policies')
      let q = db.selectFrom('slaPolicies')
      const f = query.filter
      if (f.id !== undefined) q = q.where('id', 'in', [f.id].flat())
      if (f.active !== undefined) q = q.where('active', '=', f.active)
      if (f.categoryId !== undefined) q = q.where('categoryId', '=', f.categoryId)
      if (f.priority !== undefined) q = q.where('priority', '=', f.priority)
      if (f.q) q = q.where('name', 'ilike', likeText(f.q))
      const [rows, count] = await Promise.all([
        q
          .select(POLICY_COLUMNS)
          .orderBy(query.sort, query.order)
          .orderBy('id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map((r) => toPolicyView(r as PolicyRow)), total: Number(count.n), exact: true }
    },

    async getPolicy(actor: Actor, id: number): Promise<SlaPolicyView> {
      requireRole(actor, READERS, 'read SLA policies')
      return toPolicyView(await loadPolicy(db, id))
    },

    async createPolicy(actor: Actor, input: CreateSlaPolicyBody): Promise<SlaPolicyView> {
      requireRole(actor, WRITERS, 'create SLA policies')
      return db.transaction().execute(async (trx) => {
        await checkPolicyRefs(trx, input)
        const row = await unique(
          () =>
            trx
              .insertInto('slaPolicies')
              .values({
                name: input.name.trim(),
                categoryId: input.categoryId ?? null,
                priority: input.priority ?? null,
                calendarId: input.calendarId,
                firstResponseMinutes: input.firstResponseMinutes,
                resolutionMinutes: input.resolutionMinutes,
                warnPercent: input.warnPercent ?? 75,
                onWarning: JSON.stringify(input.onWarning ?? { notifySupervisors: true }),
                onBreach: JSON.stringify(input.onBreach ?? { notifySupervisors: true }),
                active: input.active ?? true,
              })
              .returning(POLICY_COLUMNS)
              .executeTakeFirstOrThrow(),
          'sla_policies_scope_idx',
          'sla_policy_scope_taken',
          {},
        )
        const after = toPolicyView(row as PolicyRow)
        await recordAudit(trx, actor, {
          action: 'sla_policy.create',
          entityType: 'sla_policy',
          entityId: row.id,
          after,
        })
        return after
      })
    },

    async updatePolicy(actor: Actor, id: number, input: UpdateSlaPolicyBody): Promise<SlaPolicyView> {
      requireRole(actor, WRITERS, 'change SLA policies')
      const { version, ...fields } = input
      return db.transaction().execute(async (trx) => {
        const beforeRow = await loadPolicy(trx, id, true)
        checkVersion('sla_policy', beforeRow, version, () => toPolicyView(beforeRow))
        const before = toPolicyView(beforeRow)
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
          (k) => fields[k] !== undefined && JSON.stringify(fields[k]) !== JSON.stringify(before[k]),
        )
        if (changed.length === 0) return before
        await checkPolicyRefs(trx, fields)
        const row = await unique(
          () =>
            trx
              .updateTable('slaPolicies')
              .set({
                ...(fields.name !== undefined ? { name: fields.name.trim() } : {}),
                ...(fields.categoryId !== undefined ? { categoryId: fields.categoryId } : {}),
                ...(fields.priority !== undefined ? { priority: fields.priority } : {}),
                ...(fields.calendarId !== undefined ? { calendarId: fields.calendarId } : {}),
                ...(fields.firstResponseMinutes !== undefined
                  ? { firstResponseMinutes: fields.firstResponseMinutes }
                  : {}),
                ...(fields.resolutionMinutes !== undefined
                  ? { resolutionMinutes: fields.resolutionMinutes }
                  : {}),
                ...(fields.warnPercent !== undefined ? { warnPercent: fields.warnPercent } : {}),
                ...(fields.onWarning !== undefined ? { onWarning: JSON.stringify(fields.onWarning) } : {}),
                ...(fields.onBreach !== undefined ? { onBreach: JSON.stringify(fields.onBreach) } : {}),
                ...(fields.active !== undefined ? { active: fields.active } : {}),
                version: beforeRow.version + 1,
                updatedAt: sql`now()`,
              })
              .where('id', '=', id)
              .returning(POLICY_COLUMNS)
              .executeTakeFirstOrThrow(),
          'sla_policies_scope_idx',
          'sla_policy_scope_taken',
          {},
        )
        const after = toPolicyView(row as PolicyRow)
        await recordAudit(trx, actor, {
          action: 'sla_policy.update',
          entityType: 'sla_policy',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },

    async listCalendars(
      actor: Actor,
      query: ListQuery<CalendarFilter, (typeof CALENDAR_SORTS)[number]>,
    ): Promise<ListResult<CalendarView>> {
      requireRole(actor, READERS, 'read calendars')
      let q = db.selectFrom('businessCalendars')
      if (query.filter.id !== undefined) q = q.where('id', 'in', [query.filter.id].flat())
      if (query.filter.q) q = q.where('name', 'ilike', likeText(query.filter.q))
      const [rows, count] = await Promise.all([
        q
          .select(CALENDAR_COLUMNS)
          .orderBy(query.sort, query.order)
          .orderBy('id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(toCalendarView), total: Number(count.n), exact: true }
    },

    async getCalendar(actor: Actor, id: number): Promise<CalendarView> {
      requireRole(actor, READERS, 'read calendars')
      return toCalendarView(await loadCalendar(db, id))
    },

    async createCalendar(actor: Actor, input: CreateCalendarBody): Promise<CalendarView> {
      requireRole(actor, WRITERS, 'create calendars')
      const settings = parseBusinessCalendar(input.settings).settings
      return db.transaction().execute(async (trx) => {
        const row = await unique(
          () =>
            trx
              .insertInto('businessCalendars')
              .values({ code: input.code, name: input.name.trim(), settings: JSON.stringify(settings) })
              .returning(CALENDAR_COLUMNS)
              .executeTakeFirstOrThrow(),
          'business_calendars_code_key',
          'sla_calendar_code_taken',
          { code: input.code },
        )
        const after = toCalendarView(row)
        await recordAudit(trx, actor, {
          action: 'calendar.create',
          entityType: 'calendar',
          entityId: row.id,
          after,
        })
        return after
      })
    },

    /** New opening hours or closures apply to deadlines computed from then on. */
    async updateCalendar(actor: Actor, id: number, input: UpdateCalendarBody): Promise<CalendarView> {
      requireRole(actor, WRITERS, 'change calendars')
      const settings =
        input.settings === undefined ? undefined : parseBusinessCalendar(input.settings).settings
      return db.transaction().execute(async (trx) => {
        const beforeRow = await loadCalendar(trx, id, true)
        checkVersion('sla_calendar', beforeRow, input.version, () => toCalendarView(beforeRow))
        const before = toCalendarView(beforeRow)
        const name = input.name?.trim()
        const sameSettings =
          settings === undefined || JSON.stringify(settings) === JSON.stringify(before.settings)
        if ((name === undefined || name === before.name) && sameSettings) return before
        const row = await trx
          .updateTable('businessCalendars')
          .set({
            ...(name !== undefined ? { name } : {}),
            ...(settings !== undefined ? { settings: JSON.stringify(settings) } : {}),
            version: beforeRow.version + 1,
            updatedAt: sql`now()`,
          })
          .where('id', '=', id)
          .returning(CALENDAR_COLUMNS)
          .executeTakeFirstOrThrow()
        const after = toCalendarView(row)
        await recordAudit(trx, actor, {
          action: 'calendar.update',
          entityType: 'calendar',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },

    /** The closures of a year and, optionally, a deadline `minutes` of business time after `from`. */
    async previewCalendar(actor: Actor, id: number, query: CalendarPreviewQuery): Promise<CalendarPreview> {
      requireRole(actor, READERS, 'read calendars')
      const calendar = parseBusinessCalendar((await loadCalendar(db, id)).settings)
      const from = query.from ? new Date(query.from) : new Date()
      const year = query.year ?? from.getUTCFullYear()
      return {
        year,
        closures: holidaysOf(calendar, year).map((h) => ({ date: h.date, name: h.name })),
        ...(query.minutes !== undefined
          ? {
              deadline: {
                from: from.toISOString(),
                minutes: query.minutes,
                dueAt: addBusinessMinutes(calendar, from, query.minutes).toISOString(),
              },
            }
          : {}),
      }
    },
  }
}
