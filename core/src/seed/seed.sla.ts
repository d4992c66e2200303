import { sql } from 'kysely'
import type { Database, Executor } from '../db/db.ts'
import { PRATO_CALENDAR_SETTINGS } from '../sla/calendar.schemas.ts'

/**
 * The demo's SLA: the Comune's calendar (front-office hours, national holidays,
 * Santo Stefano), a policy per priority for every category, and two stricter ones
 * where a delay is dangerous. Targets are business minutes: Prato's offices are
 * open about 27 hours a week, so a "business day" here is about 5½ hours.
 */
const DEFAULT_POLICIES = [
  { priority: 'urgent', name: 'Urgente', firstResponseMinutes: 60, resolutionMinutes: 540 },
  { priority: 'high', name: 'Alta priorità', firstResponseMinutes: 270, resolutionMinutes: 2700 },
  { priority: 'normal', name: 'Standard', firstResponseMinutes: 540, resolutionMinutes: 8100 },
  { priority: 'low', name: 'Bassa priorità', firstResponseMinutes: 1620, resolutionMinutes: 16_200 },
] as const

const CATEGORY_POLICIES = [
  {
    categoryCode: 'verde.alberi-pericolanti',
    name: 'Alberi pericolanti',
    firstResponseMinutes: 60,
    resolutionMinutes: 1080,
    onBreach: { notifySupervisors: true, raisePriority: true },
  },
  {
    categoryCode: 'strade.buche',
    name: 'Buche stradali',
    firstResponseMinutes: 270,
    resolutionMinutes: 2700,
    onBreach: { notifySupervisors: true, raisePriority: true },
  },
] as const

/** Writes the calendar and the policies, in the reference-data transaction. */
export async function seedSlaPolicies(trx: Executor, categoryIdOf: (code: string) => number | undefined) {
  const calendar = await trx
    .insertInto('businessCalendars')
    .values({
      code: 'prato',
      name: 'Comune di Prato – sportelli',
      settings: JSON.stringify(PRATO_CALENDAR_SETTINGS),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('slaPolicies')
    .values([
      ...DEFAULT_POLICIES.map((p) => ({
        name: p.name,
        priority: p.priority,
        calendarId: calendar.id,
        firstResponseMinutes: p.firstResponseMinutes,
        resolutionMinutes: p.resolutionMinutes,
      })),
      ...CATEGORY_POLICIES.flatMap((p) => {
        const categoryId = categoryIdOf(p.categoryCode)
        return categoryId === undefined
          ? []
          : [
              {
                name: p.name,
                categoryId,
                calendarId: calendar.id,
                firstResponseMinutes: p.firstResponseMinutes,
                resolutionMinutes: p.resolutionMinutes,
                onBreach: JSON.stringify(p.onBreach),
              },
            ]
      }),
    ])
    .execute()
}

/**
 * Gives generated cases (ids above `afterId`) the SLA state the pipeline would have
 * given them: the policy of their priority, warnings at 75 % of the generated
 * deadlines, the timers already past marked fired (so starting the demo does not
 * fire months of old warnings), the next one scheduled, and cases waiting for the
 * citizen paused. One statement, so a million cases take seconds.
 */
export async function seedSlaState(db: Database, afterId: number): Promise<void> {
  await sql`
    with timed as (
      select c.id, c.status, c.first_responded_at, c.updated_at, p.id as policy_id,
             c.created_at + (c.first_response_due_at - c.created_at) * 0.75 as fr_warn,
             c.first_response_due_at as fr_due,
             c.created_at + (c.resolution_due_at - c.created_at) * 0.75 as res_warn,
             c.resolution_due_at as res_due
      from cases c
      join sla_policies p on p.category_id is null and p.priority = c.priority and p.active
      where c.id > ${afterId} and c.resolution_due_at is not null and c.first_response_due_at is not null
    ), fired as (
      select t.*,
             array_remove(array[
               case when t.fr_warn <= now() then 'first_response.warning' end,
               case when t.fr_due <= now() then 'first_response.breach' end,
               case when t.res_warn <= now() then 'resolution.warning' end,
               case when t.res_due <= now() then 'resolution.breach' end], null) as keys,
             t.status not in ('resolved', 'closed', 'waiting_citizen') as running
      from timed t
    )
    update cases c set
      sla_policy_id = f.policy_id,
      sla_started_at = c.created_at,
      first_response_warn_at = f.fr_warn,
      resolution_warn_at = f.res_warn,
      sla_fired = f.keys,
      sla_paused_at = case when f.status = 'waiting_citizen' then f.updated_at end,
      sla_next_at = case when f.running then least(
        case when f.first_responded_at is null and f.fr_warn > now() then f.fr_warn end,
        case when f.first_responded_at is null and f.fr_due > now() then f.fr_due end,
        case when f.res_warn > now() then f.res_warn end,
        case when f.res_due > now() then f.res_due end) end
    from fired f
    where c.id = f.id`.execute(db)
}
