import { type RawBuilder, sql } from 'kysely'
import { DomainError } from '../errors.ts'
import { defineMessages, type Language } from '../i18n.ts'
import type { Role } from '../iam/iam.schemas.ts'
import {
  BACKLOG_BUCKETS,
  type BacklogStats,
  FIRST_CONTACT_MINUTES,
  type FirstContactStats,
  type SlaStats,
  STATS_MAX_DAYS,
  type StatsBucket,
  type StatsRangeQuery,
  type VolumeDimension,
  type VolumeStats,
} from './stats.schemas.ts'

/**
 * What the dashboard's two ways of counting share: the range checks, the periods, the
 * labels and the shape of every answer. The rollup-based service and the direct count
 * from cases differ only in where their rows come from.
 */

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

export const READERS: readonly Role[] = ['admin', 'supervisor']
export const ZONE = 'Europe/Rome'
const DAY_MS = 86_400_000

export interface StatsRange {
  from: string
  to: string
  bucket: StatsBucket
  /** First instant of `from` and first instant after `to`, in Rome. */
  start: RawBuilder<unknown>
  end: RawBuilder<unknown>
}

/** The day in Rome that `now` falls in, as YYYY-MM-DD. */
export const romeDay = (now: Date): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** Midnight in Rome at the start of a day, whatever the DST of that day. */
export const romeMidnight = (day: string) => sql`(${day}::date::timestamp at time zone ${ZONE})`

/** The range asked for, checked: real dates, from ≤ to, at most STATS_MAX_DAYS days. */
export function statsRange(
  query: StatsRangeQuery,
  now = new Date(),
  defaultBucket: StatsBucket = 'week',
): StatsRange {
  const to = query.to ?? romeDay(now)
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
    start: romeMidnight(from),
    end: romeMidnight(addDays(to, 1)),
  }
}

/** The period (first day, in Rome) of a timestamp without time zone that is already Rome's wall clock. */
export const periodOfLocal = (bucket: StatsBucket, local: RawBuilder<unknown>) =>
  sql<string>`to_char(date_trunc(${bucket}, ${local}), 'YYYY-MM-DD')`

/** The period (first day, in Rome) a timestamptz column falls in. */
export const periodOf = (bucket: StatsBucket, column: ReturnType<typeof sql.ref>) =>
  periodOfLocal(bucket, sql`${column} at time zone ${ZONE}`)

export const n = (v: unknown): number => Number(v ?? 0)

export const noneLabel = (lang: Language) => (lang === 'en' ? 'None' : 'Nessuno')

/** A volume group's key and label, from a relation `c` with channel, category_id and office_id. */
export function volumeKey(by: VolumeDimension, lang: Language) {
  const none = noneLabel(lang)
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
  return { key, label }
}

export interface VolumeRow {
  period: string
  key: string
  label: string
  count: unknown
}

export function volumeStats(range: StatsRange, by: VolumeDimension, rows: VolumeRow[]): VolumeStats {
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
}

/** Column aliases are single words: the CamelCasePlugin would rename snake_case ones. */
export interface ComplianceRow {
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

export interface SlaRows {
  byResolutionPeriod: (ComplianceRow & { period: string })[]
  byFirstResponsePeriod: (ComplianceRow & { period: string })[]
  byOffice: (ComplianceRow & { officeid: unknown; office: string })[]
  total: ComplianceRow
}

export function slaStats(range: StatsRange, rows: SlaRows): SlaStats {
  // A period's resolution figures come from deadlines of resolution due in it, its
  // first-response figures from those of first response.
  const periods = new Map<string, SlaStats['byPeriod'][number]>()
  const empty = { met: 0, breached: 0, pending: 0 }
  for (const row of rows.byResolutionPeriod)
    periods.set(row.period, {
      period: row.period,
      resolution: compliance(row).resolution,
      firstResponse: empty,
    })
  for (const row of rows.byFirstResponsePeriod) {
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
    byOffice: rows.byOffice.map((row) => ({
      officeId: row.officeid === null ? null : Number(row.officeid),
      office: row.office,
      ...compliance(row),
    })),
    total: compliance(rows.total),
  }
}

/** Open statuses: what the backlog counts. */
export const OPEN_STATUSES = sql`('new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party')`

/** The backlog bucket of a creation instant, against `at` (the same intervals in every query). */
export const backlogBucket = (at: string, created: RawBuilder<unknown>) => sql<string>`case
    when ${created} > ${at}::timestamptz - interval '1 day' then 'lt1d'
    when ${created} > ${at}::timestamptz - interval '3 days' then 'd1to3'
    when ${created} > ${at}::timestamptz - interval '7 days' then 'd3to7'
    when ${created} > ${at}::timestamptz - interval '14 days' then 'd7to14'
    when ${created} > ${at}::timestamptz - interval '30 days' then 'd14to30'
    else 'gt30d'
  end`

export function backlogStats(
  at: string,
  rows: { bucket: string; count: unknown; unassigned: unknown }[],
): BacklogStats {
  const buckets = BACKLOG_BUCKETS.map((bucket) => {
    const row = rows.find((r) => r.bucket === bucket)
    return { bucket, count: n(row?.count), unassigned: n(row?.unassigned) }
  })
  return { at, buckets, total: buckets.reduce((sum, b) => sum + b.count, 0) }
}

export function firstContactStats(
  range: StatsRange,
  rows: { period: string; eligible: unknown; resolved: unknown }[],
): FirstContactStats {
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
}
