import { sendOutbound } from '@filo/core'
import type { JobHandler } from '../job-handler.ts'

/** mail.send: send a reply by SMTP at most once; the outcome goes on the case's timeline. */
export const onMailSend: JobHandler<'mail.send'> = async ({ deps, trx, payload }) => {
  await sendOutbound(deps.db, trx, deps.config, payload.outboundId)
}
