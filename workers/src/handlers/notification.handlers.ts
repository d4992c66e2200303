import type { JobHandler } from '../job-handler.ts'

/** notification.schedule: a case's burst of changes began; its digest runs when the window closes. */
export const onNotificationSchedule: JobHandler<'notification.schedule'> = async ({ deps, payload }) => {
  await deps.services.notifications.scheduleDigest(payload.caseId)
}

/**
 * notification.send: hand the notification to the notification-timers queue, where
 * each attempt runs on one connection under its lock (the state is in PostgreSQL,
 * so a duplicate job only finds it sent). The job id names this outbox row, so an
 * admin's retry is a new job.
 */
export const onNotificationSend: JobHandler<'notification.send'> = async ({ deps, payload, outboxId }) => {
  await deps.queues['notification-timers'].add(
    'notification.resend',
    { notificationId: payload.notificationId },
    { jobId: `notify-send-${payload.notificationId}-o${outboxId}` },
  )
}

/** notification.reply: a staff reply on a case that did not come by email goes out as a notification (IO or email). */
export const onNotificationReply: JobHandler<'notification.reply'> = async ({ deps, payload }) => {
  await deps.services.notifications.reply(payload.caseId, payload.eventId)
}
