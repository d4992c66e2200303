import { sql } from 'kysely'
import { requireRole } from '../admin/admin.common.ts'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { defineMessages, type Language } from '../i18n.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import {
  BACKLOG_BUCKETS,
  type BacklogStats,
  FIRST_CONTACT_MINUTES,
  type FirstContactStats,
  type SlaStats,
  STATS_MAX_DAYS,
  type StatsBucket,
  type StatsRangeQuery,
  type VolumeQuery,
  type VolumeStats,
} from './stats.schemas.ts'

defineMessages({
  it: {
    stats_range_invalid: 'Intervallo di date non valido: «dal» ({from}) deve precedere «al» ({to}).',
    stats_range_too_long: 'Si possono chiedere al massimo {max} giorni alla volta.',
    stats_none: 'Nessuno',
  },
  en: {
    stats_range_invalid: 'Invalid date range: "from" ({from}) must come before "to" ({to}).',
    stats_range_too_long: 'At most {max} days can be asked for at once.',
    stats_none: 'None',
  },
})

const READERS: readonly Role[] = ['admin', 'supervisor']
const ZONE = 'Europe/Rome'
const DAY_MS = 86_400_000

interface Range {
  from: string
  to: string
  bucket: StatsBucket
  /** First instant of `from` and first instant after `to`, in Rome. */
  start: ReturnType<typeof sql>
  end: ReturnType<typeof sql>
}

const romeToday = (now: Date): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** The range asked for, checked: real dates, from ≤ to, at most STATS_MAX_DAYS days. */
export function statsRange(
  query: StatsRangeQuery,
  now = new Date(),
  defaultBucket: StatsBucket = 'week',
): Range {
  const to = query.to ?? romeToday(now)
  const from = query.from ?? addDays(to, -83)
  for (const day of [from, to]) {
    if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || addDays(day, 0) !== day)
      throw new DomainError('invalid', 'stats_range_invalid', `${day} is not a date`, {
        params: { from, to },
      })
  }
  if (from > to)
    throw new DomainError('invalid', 'stats_range_invalid', `${from} is after ${to}`, {
      params: { from, to },
    })
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1
  if (days > STATS_MAX_DAYS)
    throw new DomainError('invalid', 'stats_range_too_long', `${days} days asked`, {
      params: { max: STATS_MAX_DAYS },
    })
  return {
    from,
    to,
    bucket: query.bucket ?? defaultBucket,
    // Midnight in Rome, whatever the DST of that day.
    start: sql`(${from}::date::timestamp at time zone ${ZONE})`,
    end: sql`((${to}::date + 1)::timestamp at time zone ${ZONE})`,
  }
}

/** The period (first day, in Rome) a timestamp column falls in. */
const periodOf = (bucket: StatsBucket, column: ReturnType<typeof sql.ref>) =>
  sql<string>`to_char(date_trunc(${bucket}, ${column} at time zone ${ZONE}), 'YYYY-MM-DD')`

const n = (v: unknown): number => Number(v ?? 0)

/** Column aliases are single words: the CamelCasePlugin would rename snake_case ones. */
interface ComplianceRow {
  rmet: unknown
  rbreached: unknown
  rpending: unknown
  fmet: unknown
  fbreached: unknown
  fpending: unknown
}

const compliance = (row: ComplianceRow) => ({
  resolution: { met: n(row.rmet), breached: n(row.rbreached), pending: n(row.rpending) },
  firstResponse: { met: n(row.fmet), breached: n(row.fbreached), pending: n(row.fpending) },
})

export type StatsService = ReturnType<typeof createStatsService>

/**
 * The supervisors' dashboard: volumes, SLA compliance, backlog age and first-contact
 * resolution, computed in PostgreSQL over a bounded date range with the cases'
 * indexes (created_at, the SLA deadlines, status). Supervisors and admins only:
 * they see every case, so no office scoping applies.
 */
export function createStatsService(db: Database) {
  return {
    async volumes(actor: Actor, query: VolumeQuery, lang: Language = 'it'): Promise<VolumeStats> {
      requireRole(actor, READERS, 'read statistics')
      const range = statsRange(query)
      const by = query.by ?? 'channel'
      const none = lang === 'en' ? 'None' : 'Nessuno'
      const key =
        by === 'channel'
          ? sql<string>`c.channel`
          : by === 'category'
            ? sql<string>`coalesce(c.category_id::text, 'none')`
            : sql<string>`coalesce(c.office_id::text, 'none')`
      const label =
        by === 'channel'
          ? sql<string>`c.channel`
          : by === 'category'
            ? sql<string>`coalesce(${sql.ref(lang === 'en' ? 'g.name_en' : 'g.name_it')}, ${none})`
            : sql<string>`coalesce(o.name, ${none})`
      const { rows } = await sql<{ period: string; key: string; label: string; count: string }>`
        select ${periodOf(range.bucket, sql.ref('c.created_at'))} as period, ${key} as key,
               min(${label}) as label, count(*) as count
          from cases c
          left join categories g on g.id = c.category_id
          left join offices o on o.id = c.office_id
         where c.created_at >= ${range.start} and c.created_at < ${range.end}
           and c.merged_into_id is null
         group by 1, 2
         order by 1, 2`.execute(db)
      const groups = new Map<string, { key: string; label: string; total: number }>()
      for (const row of rows) {
        const group = groups.get(row.key) ?? { key: row.key, label: row.label, total: 0 }
        group.total += n(row.count)
        groups.set(row.key, group)
      }
      const points = rows.map((r) => ({ period: r.period, key: r.key, count: n(r.count) }))
      return {
        from: range.from,
        to: range.to,
        bucket: range.bucket,
        by,
        groups: [...groups.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label)),
        points,
        total: points.reduce((sum, p) => sum + p.count, 0),
      }
    },

    async sla(
      actor: Actor,
      query: StatsRangeQuery,
      lang: Language = 'it',
      now = new Date(),
    ): Promise<SlaStats> {
      requireRole(actor, READERS, 'read statistics')
      const range = statsRange(query, now)
      const at = now.toISOString()
      // A deadline is judged in the period it fell due: met if done by then, breached if
      // done later or still not done after it, pending if not done and not yet due.
      const judged = (done: string, due: string, prefix: 'r' | 'f') => {
        const [d, t] = [sql.ref(done), sql.ref(due)]
        const inRange = sql`${t} >= ${range.start} and ${t} < ${range.end}`
        return sql`
          count(*) filter (where ${inRange} and ${d} <= ${t}) as ${sql.raw(`${prefix}met`)},
          count(*) filter (where ${inRange} and (${d} > ${t} or (${d} is null and ${t} < ${at}::timestamptz)))
            as ${sql.raw(`${prefix}breached`)},
          count(*) filter (where ${inRange} and ${d} is null and ${t} >= ${at}::timestamptz)
            as ${sql.raw(`${prefix}pending`)}`
      }
      const counts = sql`${judged('c.resolved_at', 'c.resolution_due_at', 'r')},
                         ${judged('c.first_responded_at', 'c.first_response_due_at', 'f')}`
      // Each deadline by its own index; a case appears once even if both fell due.
      const due = sql`(
          select id from cases where resolution_due_at >= ${range.start} and resolution_due_at < ${range.end}
          union
          select id from cases where first_response_due_at >= ${range.start} and first_response_due_at < ${range.end}
        ) d join cases c on c.id = d.id and c.merged_into_id is null`
      const none = lang === 'en' ? 'None' : 'Nessuno'
      const [byResolutionPeriod, byFirstResponsePeriod, byOffice, total] = await Promise.all([
        sql<ComplianceRow & { period: string }>`
          select ${periodOf(range.bucket, sql.ref('c.resolution_due_at'))} as period, ${counts}
            from ${due} where c.resolution_due_at >= ${range.start} and c.resolution_due_at < ${range.end}
           group by 1 order by 1`.execute(db),
        sql<ComplianceRow & { period: string }>`
          select ${periodOf(range.bucket, sql.ref('c.first_response_due_at'))} as period, ${counts}
            from ${due} where c.first_response_due_at >= ${range.start} and c.first_response_due_at < ${range.end}
           group by 1 order by 1`.execute(db),
        sql<ComplianceRow & { officeid: number | null; office: string }>`
          select c.office_id as officeid, coalesce(min(o.name), ${none}) as office, ${counts}
            from ${due} left join offices o on o.id = c.office_id
           group by 1 order by 2`.execute(db),
        sql<ComplianceRow>`select ${counts} from ${due}`.execute(db),
      ])
      // A period's resolution figures come from deadlines of resolution due in it, its
      // first-response figures from those of first response.
      const periods = new Map<string, SlaStats['byPeriod'][number]>()
      const empty = { met: 0, breached: 0, pending: 0 }
      for (const row of byResolutionPeriod.rows)
        periods.set(row.period, {
          period: row.period,
          resolution: compliance(row).resolution,
          firstResponse: empty,
        })
      for (const row of byFirstResponsePeriod.rows) {
        const current = periods.get(row.period) ?? {
          period: row.period,
          resolution: empty,
          firstResponse: empty,
        }
        periods.set(row.period, { ...current, firstResponse: compliance(row).firstResponse })
      }
      return {
        from: range.from,
        to: range.to,
        bucket: range.bucket,
        byPeriod: [...periods.values()].sort((a, b) => a.period.localeCompare(b.period)),
        byOffice: byOffice.rows.map((row) => ({
          officeId: row.officeid === null ? null : Number(row.officeid),
          office: row.office,
          ...compliance(row),
        })),
        total: compliance(total.rows[0] as ComplianceRow),
      }
    },

    async backlog(actor: Actor, now = new Date()): Promise<BacklogStats> {
      requireRole(actor, READERS, 'read statistics')
      const at = now.toISOString()
      const { rows } = await sql<{ bucket: string; count: string; unassigned: string }>`
        select case
                 when c.created_at > ${at}::timestamptz - interval '1 day' then 'lt1d'
                 when c.created_at > ${at}::timestamptz - interval '3 days' then 'd1to3'
                 when c.created_at > ${at}::timestamptz - interval '7 days' then 'd3to7'
                 when c.created_at > ${at}::timestamptz - interval '14 days' then 'd7to14'
                 when c.created_at > ${at}::timestamptz - interval '30 days' then 'd14to30'
                 else 'gt30d'
               end as bucket,
               count(*) as count,
               count(*) filter (where c.assignee_id is null) as unassigned
          from cases c
         where c.status in ('new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party')
           and c.merged_into_id is null
         group by 1`.execute(db)
      const buckets = BACKLOG_BUCKETS.map((bucket) => {
        const row = rows.find((r) => r.bucket === bucket)
        return { bucket, count: n(row?.count), unassigned: n(row?.unassigned) }
      })
      return { at, buckets, total: buckets.reduce((sum, b) => sum + b.count, 0) }
    },

    async firstContact(actor: Actor, query: StatsRangeQuery): Promise<FirstContactStats> {
      requireRole(actor, READERS, 'read statistics')
      const range = statsRange(query)
      const window = sql`${sql.lit(FIRST_CONTACT_MINUTES)} * interval '1 minute'`
      const { rows } = await sql<{ period: string; eligible: string; resolved: string }>`
        with eligible as (
          select c.id, c.created_at, c.created_by
            from cases c
            join staff_users s on s.id = c.created_by and s.role = 'operator'
           where c.created_at >= ${range.start} and c.created_at < ${range.end}
             and c.merged_into_id is null
        )
        select ${periodOf(range.bucket, sql.ref('e.created_at'))} as period,
               count(*) as eligible,
               count(*) filter (where exists (
                   select 1 from case_events r
                    where r.case_id = e.id and r.kind = 'status_changed' and r.data->>'to' = 'resolved'
                      and r.actor_id = e.created_by and r.created_at <= e.created_at + ${window}
                      and not exists (
                        select 1 from case_events o
                         where o.case_id = e.id and o.id < r.id
                           and o.actor_id is not null and o.actor_id <> e.created_by))
                 and not exists (select 1 from case_events x where x.case_id = e.id and x.kind = 'reopened')
               ) as resolved
          from eligible e
         group by 1 order by 1`.execute(db)
      const byPeriod = rows.map((r) => ({
        period: r.period,
        eligible: n(r.eligible),
        resolved: n(r.resolved),
      }))
      return {
        from: range.from,
        to: range.to,
        bucket: range.bucket,
        windowMinutes: FIRST_CONTACT_MINUTES,
        byPeriod,
        total: {
          eligible: byPeriod.reduce((s, p) => s + p.eligible, 0),
          resolved: byPeriod.reduce((s, p) => s + p.resolved, 0),
        },
      }
    },
  }
}
