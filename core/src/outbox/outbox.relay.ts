import type { Logger } from 'pino'
import type { Database } from '../db/db.ts'
import { ListenLoop } from '../db/listen-loop.ts'
import { outboxJobId, QUEUES, type QueueName } from '../jobs/jobs.ts'
import type { Queues } from '../jobs/queues.ts'
import { lockPublishable, markPublished } from './outbox.repository.ts'

export interface RelayOptions {
  /** Rows published per transaction. */
  batchSize?: number
  /** Poll interval; a NOTIFY from the outbox trigger wakes the relay sooner. */
  pollMs?: number
  /** A published row still unprocessed after this long is published again (its job may be gone with Redis). */
  republishAfterMs?: number
}

const isQueueName = (name: string): name is QueueName => (QUEUES as readonly string[]).includes(name)

/**
 * Publishes one batch of pending outbox rows as BullMQ jobs with deterministic ids,
 * and marks them published only once Redis accepted them. Returns how many.
 */
export async function publishBatch(
  db: Database,
  queues: Queues,
  opts: { batchSize: number; republishAfterMs: number },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockPublishable(trx, opts.batchSize, opts.republishAfterMs)
    if (rows.length === 0) return 0
    const byQueue = new Map<QueueName, typeof rows>()
    for (const row of rows) {
      if (!isQueueName(row.queue)) throw new Error(`outbox row ${row.id} names unknown queue "${row.queue}"`)
      byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row])
    }
    for (const [queue, queueRows] of byQueue) {
      await queues[queue].addBulk(
        queueRows.map((row) => ({
          name: row.jobName,
          data: { outboxId: row.id, payload: row.payload },
          opts: { jobId: outboxJobId(row.id) },
        })),
      )
    }
    await markPublished(
      trx,
      rows.map((r) => r.id),
    )
    return rows.length
  })
}

/**
 * The outbox relay: drains pending rows on start (so whatever Redis lost is sent
 * again), then on every NOTIFY and every poll. Several relays may run at once.
 */
export class OutboxRelay {
  private readonly loop: ListenLoop
  private stopped = false
  private readonly batchSize: number
  private readonly republishAfterMs: number

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    databaseUrl: string,
    private readonly log: Logger,
    opts: RelayOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 200
    this.republishAfterMs = opts.republishAfterMs ?? 5 * 60_000
    this.loop = new ListenLoop({
      databaseUrl,
      channel: 'outbox',
      applicationName: 'filo-outbox-relay',
      pollMs: opts.pollMs ?? 1000,
      log,
      work: () => this.drain(this.republishAfterMs),
    })
  }

  async start(): Promise<void> {
    // Start-up sweep: republish everything unprocessed, whatever its age.
    await this.drain(0)
    await this.loop.start()
  }

  /** Runs a drain now, or once more right after the one in progress. */
  kick(): void {
    this.loop.kick()
  }

  private async drain(republishAfterMs: number): Promise<void> {
    let published = 0
    for (;;) {
      const n = await publishBatch(this.db, this.queues, { batchSize: this.batchSize, republishAfterMs })
      published += n
      if (n < this.batchSize || this.stopped) break
    }
    if (published > 0) this.log.debug({ published }, 'outbox rows published')
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.loop.stop()
  }
}
