import { type Deps, type Logger, TIMER_JOBS } from '@filo/core'
import { type Job, UnrecoverableError } from 'bullmq'
import Value from 'typebox/value'

/**
 * Citizen-notification timers. PostgreSQL holds the truth — pending changes and
 * their window (notification_pending), each notification's next attempt
 * (notifications.next_attempt_at) and next status read (status_check_at); the
 * delayed jobs only make them happen on time. The sweep does whatever is overdue,
 * so jobs lost with Redis are not lost work; each step is idempotent.
 */
export async function processNotificationTimerJob(deps: Deps, job: Job): Promise<void> {
  const n = deps.services.notifications
  switch (job.name) {
    case 'notification.digest':
      if (!Value.Check(TIMER_JOBS['notification.digest'].payload, job.data))
        throw new UnrecoverableError('payload of notification.digest is invalid')
      await n.digest((job.data as { caseId: number }).caseId)
      return
    case 'notification.resend':
      if (!Value.Check(TIMER_JOBS['notification.resend'].payload, job.data))
        throw new UnrecoverableError('payload of notification.resend is invalid')
      await n.send((job.data as { notificationId: number }).notificationId)
      return
    case 'notification.status':
      if (!Value.Check(TIMER_JOBS['notification.status'].payload, job.data))
        throw new UnrecoverableError('payload of notification.status is invalid')
      await n.checkStatus((job.data as { notificationId: number }).notificationId)
      return
    default:
      throw new UnrecoverableError(`job "${job.name}" does not belong on notification-timers`)
  }
}

/** Runs what PostgreSQL says is overdue: digests, attempts and status reads whose jobs were lost or late. */
export async function reconcileNotifications(
  deps: Deps,
  log?: Logger,
  graceMs = 30_000,
): Promise<{ digests: number; sends: number; statuses: number }> {
  const n = deps.services.notifications
  const due = await n.overdue(graceMs)
  for (const caseId of due.digests)
    await n.digest(caseId).catch((err) => log?.warn({ err, caseId }, 'digest failed'))
  for (const id of due.sends)
    await n.send(id).catch((err) => log?.warn({ err, id }, 'notification send failed'))
  for (const id of due.statuses)
    await n.checkStatus(id).catch((err) => log?.warn({ err, id }, 'IO status read failed'))
  const done = { digests: due.digests.length, sends: due.sends.length, statuses: due.statuses.length }
  if (done.digests + done.sends + done.statuses > 0) log?.info(done, 'overdue notification work done')
  return done
}
