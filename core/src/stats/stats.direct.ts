import { sql } from 'kysely'
import type { Executor } from '../db/db.ts'
import type { Language } from '../i18n.ts'
import {
  backlogBucket,
  backlogStats,
  type ComplianceRow,
  firstContactStats,
  noneLabel,
  OPEN_STATUSES,
  periodOf,
  type SlaRows,
  slaStats,
  statsRange,
  type VolumeRow,
  volumeKey,
  volumeStats,
} from './stats.common.ts'
import {
  FIRST_CONTACT_MINUTES,
  type StatsRangeQuery,
  type VolumeDimension,
  type VolumeQuery,
} from './stats.schemas.ts'

/**
 * The dashboard's figures counted straight from `cases`, without the rollups: what the
 * rollup-based service must always agree with. Tests compare the two after every kind
 * of change; the dashboard bench measures both. No role check: its callers are tests
 * and benches, not users.
 */
export function countFromCases(db: Executor) {
  return {
    async volumes(query: VolumeQuery, lang: Language = 'it', now = new Date()) {
      const range = statsRange(query, now)
      const by: VolumeDimension = query.by ?? 'channel'
      const { key, label } = volumeKey(by, lang)
      const { rows } = await sql<VolumeRow>`
        select ${periodOf(range.bucket, sql.ref('c.created_at'))} as period, ${key} as key,
               min(${label}) as label, count(*) as count
          from cases c
          left join categories g on g.id = c.category_id
          left join offices o on o.id = c.office_id
         where c.created_at >= ${range.start} and c.created_at < ${range.end}
           and c.merged_into_id is null
         group by 1, 2
         order by 1, 2`.execute(db)
      return volumeStats(range, by, rows)
    },

    async sla(query: StatsRangeQuery, lang: Language = 'it', now = new Date()) {
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
      const none = noneLabel(lang)
      const [byResolutionPeriod, byFirstResponsePeriod, byOffice, total] = await Promise.all([
        sql<SlaRows['byResolutionPeriod'][number]>`
          select ${periodOf(range.bucket, sql.ref('c.resolution_due_at'))} as period, ${counts}
            from ${due} where c.resolution_due_at >= ${range.start} and c.resolution_due_at < ${range.end}
           group by 1 order by 1`.execute(db),
        sql<SlaRows['byFirstResponsePeriod'][number]>`
          select ${periodOf(range.bucket, sql.ref('c.first_response_due_at'))} as period, ${counts}
            from ${due} where c.first_response_due_at >= ${range.start} and c.first_response_due_at < ${range.end}
           group by 1 order by 1`.execute(db),
        sql<SlaRows['byOffice'][number]>`
          select c.office_id as officeid, coalesce(min(o.name), ${none}) as office, ${counts}
            from ${due} left join offices o on o.id = c.office_id
           group by 1 order by 2`.execute(db),
        sql<ComplianceRow>`select ${counts} from ${due}`.execute(db),
      ])
      return slaStats(range, {
        byResolutionPeriod: byResolutionPeriod.rows,
        byFirstResponsePeriod: byFirstResponsePeriod.rows,
        byOffice: byOffice.rows,
        total: total.rows[0] as ComplianceRow,
      })
    },

    async backlog(now = new Date()) {
      const at = now.toISOString()
      const { rows } = await sql<{ bucket: string; count: string; unassigned: string }>`
        select ${backlogBucket(at, sql`c.created_at`)} as bucket,
               count(*) as count,
               count(*) filter (where c.assignee_id is null) as unassigned
          from cases c
         where c.status in ${OPEN_STATUSES}
           and c.merged_into_id is null
         group by 1`.execute(db)
      return backlogStats(at, rows)
    },

    async firstContact(query: StatsRangeQuery, now = new Date()) {
      const range = statsRange(query, now)
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
      return firstContactStats(range, rows)
    },
  }
}
