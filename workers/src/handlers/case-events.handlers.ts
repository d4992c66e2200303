import { acknowledgeCase } from '@filo/core'
import type { JobHandler } from '../job-handler.ts'

/** case.created: confirm on the timeline that the pipeline received the case. */
export const onCaseCreated: JobHandler<'case.created'> = async ({ trx, payload }) => {
  await acknowledgeCase(trx, payload.caseId)
}
