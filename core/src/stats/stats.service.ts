import { sql } from 'kysely'
import { requireRole } from '../admin/admin.common.ts'
import type { Database } from '../db/db.ts'
import type { Language } from '../i18n.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import {
  backlogBucket,
  backlogStats,
  type ComplianceRow,
  firstContactStats,
  noneLabel,
  OPEN_STATUSES,
  periodOfLocal,
  READERS,
  romeDay,
  romeMidnight,
  slaStats,
  statsRange,
  type VolumeRow,
  volumeKey,
  volumeStats,
  ZONE,
} from './stats.common.ts'
import type {
  BacklogStats,
  FirstContactStats,
  SlaStats,
  StatsRangeQuery,
  VolumeDimension,
  VolumeQuery,
  VolumeStats,
} from './stats.schemas.ts'

export type StatsService = ReturnType<typeof createStatsService>

/**
 * The supervisors' dashboard: volumes, SLA compliance, backlog age and first-contact
 * resolution over a bounded range of Rome days. Supervisors and admins only: they see
 * every case, so no office scoping applies.
 *
 * Every figure reads the daily rollups of sql/0019 (case_volume_days,
 * case_deadline_days, case_backlog_days, case_first_contact_days), which triggers keep
 * exact in the transaction of every change to a case or its timeline. `cases` is read
 * only where a figure depends on the instant asked about rather than on whole days: the
 * deadlines of today (breached or pending depends on the hour) and the open cases opened
 * on the five days a backlog age boundary (now − 1, 3, 7, 14, 30 days) falls in. Every
 * answer equals the direct count from cases (stats.direct.ts), which tests check after
 * every kind of change.
 */
export function createStatsService(db: Database) {
  return {
    async volumes(
      actor: Actor,
      query: VolumeQuery,
      lang: Language = 'it',
      now = new Date(),
    ): Promise<VolumeStats> {
      requireRole(actor, READERS, 'read statistics')
      const range = statsRange(query, now)
      const by: VolumeDimension = query.by ?? 'channel'
      const { key, label } = volumeKey(by, lang)
      // Ranges are whole Rome days, so the rollup alone answers; a key whose cases all
      // moved away keeps a row of zero, left out like a period without cases.
      const { rows } = await sql<VolumeRow>`
        select ${periodOfLocal(range.bucket, sql`c.day::timestamp`)} as period, ${key} as key,
               min(${label}) as label, sum(c.cases) as count
          from case_volume_days c
          left join categories g on g.id = c.category_id
          left join offices o on o.id = c.office_id
         where c.dimension = ${by} and c.day >= ${range.from}::date and c.day <= ${range.to}::date
         group by 1, 2
        having sum(c.cases) > 0
         order by 1, 2`.execute(db)
      return volumeStats(range, by, rows)
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
      const today = romeDay(now)
      // A deadline is judged in the period it fell due: met if done by then, breached if
      // done later or still not done after it, pending if not done and not yet due. An
      // undone deadline of a day before today has passed, one of a day after has not;
      // today's are judged case by case against the instant.
      const liveDeadline = (deadline: string, due: string, done: string) => {
        const [t, d] = [sql.ref(`c.${due}`), sql.ref(`c.${done}`)]
        return sql`
          select ${deadline} as deadline, (${t} at time zone ${ZONE})::date as day, c.office_id,
                 case when ${d} <= ${t} then 1 else 0 end as met,
                 case when ${d} > ${t} or (${d} is null and ${t} < ${at}::timestamptz) then 1 else 0 end as breached,
                 case when ${d} is null and ${t} >= ${at}::timestamptz then 1 else 0 end as pending
            from cases c
           where ${t} >= ${romeMidnight(today)} and ${t} < (${today}::date + 1)::timestamp at time zone ${ZONE}
             and c.merged_into_id is null`
      }
      const live =
        today >= range.from && today <= range.to
          ? sql`union all ${liveDeadline('resolution', 'resolution_due_at', 'resolved_at')}
                union all ${liveDeadline('first_response', 'first_response_due_at', 'first_responded_at')}`
          : sql``
      const judged = sql`(
          select d.deadline, d.day, d.office_id, d.met,
                 d.late + case when d.day < ${today}::date then d.undone else 0 end as breached,
                 case when d.day > ${today}::date then d.undone else 0 end as pending
            from case_deadline_days d
           where d.day >= ${range.from}::date and d.day <= ${range.to}::date and d.day <> ${today}::date
          ${live}
        ) r`
      const measure = (deadline: string, column: string, alias: string) =>
        sql`coalesce(sum(${sql.ref(`j.${column}`)}) filter (where j.deadline = ${deadline}), 0) as ${sql.raw(alias)}`
      const counts = sql`
        ${measure('resolution', 'met', 'rmet')}, ${measure('resolution', 'breached', 'rbreached')},
        ${measure('resolution', 'pending', 'rpending')}, ${measure('first_response', 'met', 'fmet')},
        ${measure('first_response', 'breached', 'fbreached')}, ${measure('first_response', 'pending', 'fpending')}`
      // One pass over the rows (today's cases read once), grouped three ways: per deadline
      // and period, per office, and all together. Groups that sum to nothing (every case
      // moved to another day or office) are no deadlines at all; the total is always there.
      const withPeriod = sql`(select r.*, ${periodOfLocal(range.bucket, sql`r.day::timestamp`)} as period
                                from ${judged}) j`
      const none = noneLabel(lang)
      const { rows } = await sql<
        ComplianceRow & {
          grouped: number
          deadline: string
          period: string
          officeid: unknown
          office: string
        }
      >`
        select grouping(j.deadline, j.period, j.office_id) as grouped, j.deadline, j.period,
               j.office_id as officeid, coalesce(min(o.name), ${none}) as office, ${counts}
          from ${withPeriod} left join offices o on o.id = j.office_id
         group by grouping sets ((j.deadline, j.period), (j.office_id), ())
        having grouping(j.deadline, j.period, j.office_id) = 7 or sum(j.met + j.breached + j.pending) > 0
         order by 1, case when grouping(j.deadline, j.period, j.office_id) = 6 then coalesce(min(o.name), ${none}) end, 3`.execute(
        db,
      )
      // grouping(): 1 = per deadline and period, 6 = per office, 7 = the total.
      const byPeriodOf = (deadline: string) =>
        rows.filter((r) => Number(r.grouped) === 1 && r.deadline === deadline)
      return slaStats(range, {
        byResolutionPeriod: byPeriodOf('resolution'),
        byFirstResponsePeriod: byPeriodOf('first_response'),
        byOffice: rows.filter((r) => Number(r.grouped) === 6),
        total: rows.find((r) => Number(r.grouped) === 7) as ComplianceRow,
      })
    },

    async backlog(actor: Actor, now = new Date()): Promise<BacklogStats> {
      requireRole(actor, READERS, 'read statistics')
      const at = now.toISOString()
      // A day wholly on one side of every age boundary is in one bucket, which its first
      // instant tells; the days a boundary falls in are counted case by case. Those days'
      // bounds are asked first, so the second query gives the planner constants to pick
      // the created_at index with (a range joined to a CTE made it scan every case).
      const { rows: edges } = await sql<{ day: string; start: Date; end: Date }>`
        select to_char(d, 'YYYY-MM-DD') as day, d::timestamp at time zone ${ZONE} as start,
               (d + 1)::timestamp at time zone ${ZONE} as end
          from (select distinct (b at time zone ${ZONE})::date as d
                  from unnest(array[
                    ${at}::timestamptz - interval '1 day', ${at}::timestamptz - interval '3 days',
                    ${at}::timestamptz - interval '7 days', ${at}::timestamptz - interval '14 days',
                    ${at}::timestamptz - interval '30 days']) b) e`.execute(db)
      const onEdge = sql.join(
        edges.map((e) => sql`(c.created_at >= ${e.start} and c.created_at < ${e.end})`),
        sql` or `,
      )
      const { rows } = await sql<{ bucket: string; count: string; unassigned: string }>`
        select bucket, sum(count) as count, sum(unassigned) as unassigned
          from (
            select ${backlogBucket(at, sql`(b.day::timestamp at time zone ${ZONE})`)} as bucket,
                   b.cases as count, b.unassigned
              from case_backlog_days b
             where b.day not in (${sql.join(edges.map((e) => sql`${e.day}::date`))})
            union all
            select ${backlogBucket(at, sql`c.created_at`)}, 1, case when c.assignee_id is null then 1 else 0 end
              from cases c
             where (${onEdge})
               and c.status in ${OPEN_STATUSES}
               and c.merged_into_id is null
          ) x
         group by 1`.execute(db)
      return backlogStats(at, rows)
    },

    async firstContact(actor: Actor, query: StatsRangeQuery, now = new Date()): Promise<FirstContactStats> {
      requireRole(actor, READERS, 'read statistics')
      const range = statsRange(query, now)
      // Eligible: opened by a call-centre operator, by their role now, as when counted from cases.
      const { rows } = await sql<{ period: string; eligible: string; resolved: string }>`
        select ${periodOfLocal(range.bucket, sql`f.day::timestamp`)} as period,
               sum(f.eligible) as eligible, sum(f.resolved) as resolved
          from case_first_contact_days f
          join staff_users s on s.id = f.created_by and s.role = 'operator'
         where f.day >= ${range.from}::date and f.day <= ${range.to}::date
         group by 1
        having sum(f.eligible) > 0
         order by 1`.execute(db)
      return firstContactStats(range, rows)
    },
  }
}
