/**
 * How long a case takes from POST to its first worker-written effect, through the
 * outbox (PostgreSQL commit → NOTIFY → relay → BullMQ → consumer transaction),
 * against a baseline measured in the same run: a bare BullMQ job round trip
 * (add → no-op processor → completed) on the same Redis.
 */
import { randomBytes } from 'node:crypto'
import { createDeps, createLogger, createRedis, OutboxRelay } from '@filo/core'
import { Queue, Worker } from 'bullmq'
import { createTestDb } from '../core/src/db/test-db.ts'
import { createUser } from '../core/test/fixtures.ts'
import { startWorkers } from '../workers/src/workers.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200)
const WARMUP = 20

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`

async function baseline(redisUrl: string): Promise<number[]> {
  const prefix = `filobench-${randomBytes(4).toString('hex')}`
  const connection = createRedis(redisUrl)
  const queue = new Queue('baseline', { connection, prefix })
  const waiting = new Map<string, () => void>()
  const workerConnection = createRedis(redisUrl)
  const worker = new Worker('baseline', async () => {}, {
    connection: workerConnection,
    prefix,
    concurrency: 5,
  })
  worker.on('completed', (job) => waiting.get(job.id ?? '')?.())
  const times: number[] = []
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const id = `job-${i}`
    const done = new Promise<void>((resolve) => waiting.set(id, resolve))
    const start = performance.now()
    await queue.add('noop', { i }, { jobId: id })
    await done
    if (i >= WARMUP) times.push(performance.now() - start)
  }
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  connection.disconnect()
  workerConnection.disconnect()
  return times
}

async function filo(): Promise<{ times: number[]; drop: () => Promise<void> }> {
  const testDb = await createTestDb()
  const deps = createDeps(testDb.config, 'filo-bench')
  const log = createLogger({ logLevel: 'silent' }, 'bench')
  const running = startWorkers(deps, log)
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log)
  await relay.start()
  const waiting = new Map<number, () => void>()
  for (const worker of running.workers) {
    worker.on('completed', (job) => waiting.get((job.data.payload as { caseId: number }).caseId)?.())
  }
  const actor = await createUser(deps.db, 'operator')
  const times: number[] = []
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const start = performance.now()
    const created = await deps.services.cases.create(actor, {
      subject: `Lampione spento ${i}`,
      channel: 'phone',
    })
    // The job may complete before we register; the event row settles it either way.
    await new Promise<void>((resolve) => {
      waiting.set(created.id, resolve)
      void deps.db
        .selectFrom('caseEvents')
        .select('id')
        .where('caseId', '=', created.id)
        .where('kind', '=', 'acknowledged')
        .executeTakeFirst()
        .then((row) => row && resolve())
    })
    if (i >= WARMUP) times.push(performance.now() - start)
  }
  return {
    times,
    async drop() {
      await relay.stop()
      await running.close()
      await deps.close()
      await testDb.drop()
    },
  }
}

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const base = await baseline(redisUrl)
const subject = await filo()
await subject.drop()

const rows = [
  ['bare BullMQ round trip (baseline)', base],
  ['case created → acknowledged via outbox', subject.times],
] as const
console.log(`\noutbox latency, ${ROUNDS} sequential rounds after ${WARMUP} warm-up rounds`)
for (const [name, xs] of rows) {
  console.log(
    `  ${name.padEnd(42)} p50 ${fmt(quantile(xs, 0.5)).padStart(10)}   p95 ${fmt(quantile(xs, 0.95)).padStart(10)}`,
  )
}
console.log(
  `  ratio to baseline: p50 ×${(quantile(subject.times, 0.5) / quantile(base, 0.5)).toFixed(1)}, p95 ×${(quantile(subject.times, 0.95) / quantile(base, 0.95)).toFixed(1)}`,
)
