import { assignCase, dispatchQueue } from '@filo/core'
import type { JobHandler } from '../job-handler.ts'

/** case.assign: give a routed case to an agent of its queue, in the transaction that marks the job done. */
export const onCaseAssign: JobHandler<'case.assign'> = async ({ trx, payload }) => {
  await assignCase(trx, payload.caseId, payload.strategy)
}

/** queue.dispatch: hand the queue's waiting cases to its agents while they have room. */
export const onQueueDispatch: JobHandler<'queue.dispatch'> = async ({ trx, payload }) => {
  await dispatchQueue(trx, payload.queueId)
}
