import { createDeps, createLogger, loadConfigOrExit } from '@filo/core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'

/** The API process: serves until SIGTERM/SIGINT, then finishes in-flight requests and closes its pools. */
const config = loadConfigOrExit()
const logger = createLogger(config, 'filo-api')
const deps = createDeps(config, 'filo-api')
let app: FastifyInstance | undefined

// Registered before anything is awaited, so a SIGTERM during start-up still shuts down cleanly.
let closing = false
const shutdown = async (signal: string) => {
  if (closing) return
  closing = true
  logger.info({ signal }, 'shutting down')
  const force = setTimeout(() => process.exit(1), 15_000).unref()
  await app?.close()
  await deps.close()
  clearTimeout(force)
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

app = await buildApp(deps, { logger })
await app.listen({ host: config.host, port: config.port })
logger.info({ url: config.publicUrl }, 'Filo API listening')
