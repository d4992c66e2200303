import { Redis } from 'ioredis'
import pg from 'pg'
import { maintenanceUrl } from './db/db.ts'

/** Why PostgreSQL cannot be reached, or null when it answers (the database itself may not exist yet). */
export async function probePostgres(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({
    connectionString: maintenanceUrl(databaseUrl).url,
    connectionTimeoutMillis: 3000,
  })
  try {
    await client.connect()
    await client.query('select 1')
    return null
  } catch (err) {
    return (err as Error).message || String(err)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Why Redis cannot be reached, or null when it answers PING. */
export async function probeRedis(redisUrl: string): Promise<string | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return null
  } catch (err) {
    return (err as Error).message || 'connection refused'
  } finally {
    redis.disconnect()
  }
}
