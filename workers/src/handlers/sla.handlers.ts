import type { JobHandler } from '../job-handler.ts'
import { scheduleSlaTimer } from '../sla-timers.ts'

/** sla.schedule: a case's next SLA timer changed; add its delayed job on sla-timers. */
export const onSlaSchedule: JobHandler<'sla.schedule'> = async ({ deps, payload }) => {
  await scheduleSlaTimer(deps, payload.caseId, new Date(payload.at))
}
