import type { HandlerRegistry } from '../job-handler.ts'
import { onCaseAssign, onQueueDispatch } from './assignment.handlers.ts'
import { onCaseCreated, onCaseRoute, onMessageReceived } from './case-events.handlers.ts'
import { onMailSend } from './mail.handlers.ts'
import { onNotificationReply, onNotificationSchedule, onNotificationSend } from './notification.handlers.ts'
import { onSlaSchedule } from './sla.handlers.ts'

export const handlers: HandlerRegistry = {
  'case.created': onCaseCreated,
  'case.route': onCaseRoute,
  'case.assign': onCaseAssign,
  'queue.dispatch': onQueueDispatch,
  'case.message_received': onMessageReceived,
  'sla.schedule': onSlaSchedule,
  'mail.send': onMailSend,
  'notification.schedule': onNotificationSchedule,
  'notification.send': onNotificationSend,
  'notification.reply': onNotificationReply,
}
