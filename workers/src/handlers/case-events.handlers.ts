import { acknowledgeCase, routeCase } from '@filo/core'
import type { JobHandler } from '../job-handler.ts'

/** case.created: confirm on the timeline that the pipeline received the case. */
export const onCaseCreated: JobHandler<'case.created'> = async ({ trx, payload }) => {
  await acknowledgeCase(trx, payload.caseId)
}

/** case.route: route the new case by the routing rules, in the transaction that marks the job done. */
export const onCaseRoute: JobHandler<'case.route'> = async ({ trx, payload }) => {
  await routeCase(trx, payload.caseId)
}
