import type { Deps, Executor, JobName, JobPayload } from '@filo/core'

export interface JobContext<N extends JobName> {
  deps: Deps
  /** The transaction that also marks the outbox row processed: the effect and the mark commit together. */
  trx: Executor
  payload: JobPayload<N>
  outboxId: number
}

export type JobHandler<N extends JobName> = (ctx: JobContext<N>) => Promise<void>

/** Exactly one handler per job name: the type demands it and the workers check it at start-up. */
export type HandlerRegistry = { [N in JobName]: JobHandler<N> }
