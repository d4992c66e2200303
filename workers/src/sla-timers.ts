import {
  casesWithDueTimers,
  type Deps,
  fireDueTimers,
  type Logger,
  pendingTimerPage,
  slaTimerJobId,
  TIMER_JOBS,
} from '@filo/core'
import { type Job, UnrecoverableError } from 'bullmq'
import Value from 'typebox/value'

/**
 * SLA timers. PostgreSQL holds each case's next timer (cases.sla_next_at); a
 * BullMQ delayed job per timer fires it on time. When Redis lost the jobs — a
 * flush, a failover without persistence — `reconcileSlaTimers` notices that the
 * marker key it leaves is gone and schedules every pending timer again, and fires
 * any whose time has already passed. Firing is idempotent (cases.sla_fired), so a
 * timer scheduled twice still fires once.
 */

/** Marker that the delayed jobs in Redis match PostgreSQL; gone with Redis' data. */
const markerKey = (deps: Deps) => `${deps.config.queuePrefix}:filo:sla-timers:scheduled`

/** Adds the delayed job of a case's timer at `at` (again is harmless: the job id is derived from both). */
export async function scheduleSlaTimer(deps: Deps, caseId: number, at: Date): Promise<void> {
  await deps.queues['sla-timers'].add(
    'sla.fire',
    { caseId },
    { jobId: slaTimerJobId(caseId, at), delay: Math.max(0, at.getTime() - Date.now()) },
  )
}

/** Processes a job of the sla-timers queue. */
export async function processTimerJob(deps: Deps, job: Job): Promise<void> {
  if (job.name !== 'sla.fire') throw new UnrecoverableError(`job "${job.name}" does not belong on sla-timers`)
  if (!Value.Check(TIMER_JOBS['sla.fire'].payload, job.data))
    throw new UnrecoverableError(`payload of sla.fire is invalid`)
  const { caseId } = job.data as { caseId: number }
  await deps.db.transaction().execute((trx) => fireDueTimers(trx, caseId))
}

const PAGE = 500

/**
 * Fires timers already due (their job was lost or late) and, when Redis lost the
 * delayed jobs, schedules every pending timer again from PostgreSQL. Several
 * worker processes may run it at once. Returns what it did, for logs and tests.
 */
export async function reconcileSlaTimers(
  deps: Deps,
  log?: Logger,
  now = new Date(),
): Promise<{ fired: number; scheduled: number }> {
  let fired = 0
  for (;;) {
    const ids = await deps.db.transaction().execute((trx) => casesWithDueTimers(trx, now, PAGE))
    for (const caseId of ids) {
      const keys = await deps.db.transaction().execute((trx) => fireDueTimers(trx, caseId, now))
      fired += keys.length
    }
    if (ids.length < PAGE) break
  }

  let scheduled = 0
  if (!(await deps.redis.exists(markerKey(deps)))) {
    let after: { at: Date; id: number } | null = null
    for (;;) {
      const page = await pendingTimerPage(deps.db, after, PAGE)
      await deps.queues['sla-timers'].addBulk(
        page.map(({ id, at }) => ({
          name: 'sla.fire',
          data: { caseId: id },
          opts: { jobId: slaTimerJobId(id, at), delay: Math.max(0, at.getTime() - Date.now()) },
        })),
      )
      scheduled += page.length
      const last = page.at(-1)
      if (!last || page.length < PAGE) break
      after = last
    }
    await deps.redis.set(markerKey(deps), now.toISOString())
    if (scheduled) log?.info({ scheduled }, 'SLA timers scheduled again from PostgreSQL')
  }
  if (fired) log?.info({ fired }, 'overdue SLA timers fired')
  return { fired, scheduled }
}
