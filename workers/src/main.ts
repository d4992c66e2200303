import { createDeps, createLogger, loadConfigOrExit, OutboxRelay, RealtimeFeed } from '@filo/core'
import { startMailPolling } from './mail-polling.ts'
import { startWorkers } from './workers.ts'

/**
 * The worker process: the outbox relay, the realtime feed and a BullMQ worker per queue. Any number
 * of these may run against the same PostgreSQL and Redis. On SIGTERM it stops
 * taking jobs, finishes those in flight, then exits.
 */
const config = loadConfigOrExit()
const log = createLogger(config, 'filo-workers')
const deps = createDeps(config, 'filo-workers')
const running = startWorkers(deps, log)
// Every enabled mailbox polled by a repeatable job; never a timer in the API process.
const mailPolling = startMailPolling(deps, log)
const relay = new OutboxRelay(deps.db, deps.queues, config.databaseUrl, log)
// Timeline events and staff notifications out to the consoles, through Redis to every API process.
const feed = new RealtimeFeed(deps, { databaseUrl: config.databaseUrl, prefix: config.queuePrefix, log })
// Expired sessions and old failed logins; several worker processes doing it at once is harmless.
const housekeeping = setInterval(
  () => void deps.services.auth.purgeExpired().catch((err) => log.warn({ err }, 'housekeeping failed')),
  3600_000,
)

// Registered before anything is awaited, so a SIGTERM during start-up still shuts down cleanly.
let closing = false
const shutdown = async (signal: string) => {
  if (closing) return
  closing = true
  log.info({ signal }, 'shutting down: finishing jobs in flight')
  clearInterval(housekeeping)
  await relay.stop()
  await feed.stop()
  await running.close()
  await mailPolling.close()
  await deps.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

await relay.start()
await feed.start()
log.info('Filo workers started')
