import { acknowledgeCase, notifyAssigneeOfMessage, routeCase } from '@filo/core'
import type { JobHandler } from '../job-handler.ts'

/** case.created: confirm on the timeline that the pipeline received the case. */
export const onCaseCreated: JobHandler<'case.created'> = async ({ trx, payload }) => {
  await acknowledgeCase(trx, payload.caseId)
}

/** case.route: route the new case by the routing rules, in the transaction that marks the job done. */
export const onCaseRoute: JobHandler<'case.route'> = async ({ trx, payload }) => {
  await routeCase(trx, payload.caseId)
}

/** case.message_received: tell the case's assignee that the citizen wrote again. */
export const onMessageReceived: JobHandler<'case.message_received'> = async ({ trx, payload }) => {
  await notifyAssigneeOfMessage(trx, payload.caseId, payload.messageId)
}
