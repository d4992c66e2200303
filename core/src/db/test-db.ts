import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { type Config, loadConfig } from '../config.ts'
import { createDb, type Database, maintenanceUrl, quoteIdent } from './db.ts'
import { migrate, readMigrations } from './migrator.ts'

/**
 * Test databases: one template migrated once per set of migrations, cloned per
 * test file with CREATE DATABASE … TEMPLATE (milliseconds), dropped after.
 */
const serverUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>, server = serverUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl(server).url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** The template's name changes whenever a migration does, so a stale template is never used. */
export async function templateName(): Promise<string> {
  const files = await readMigrations()
  const digest = createHash('sha256')
  for (const f of files) digest.update(`${f.name}:${f.checksum}\n`)
  return `filo_tpl_${digest.digest('hex').slice(0, 16)}`
}

/** Creates the template if missing. Built under a temporary name, then renamed: concurrent callers never see half of it. */
export async function ensureTemplate(): Promise<string> {
  const name = await templateName()
  const exists = await admin((c) => c.query('select 1 from pg_database where datname = $1', [name]))
  if (exists.rowCount) return name
  const building = `${name}_b${randomBytes(4).toString('hex')}`
  await migrate(withDatabase(serverUrl(), building))
  await admin(async (c) => {
    try {
      await c.query(`alter database ${quoteIdent(building)} rename to ${quoteIdent(name)}`)
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err
      await c.query(`drop database ${quoteIdent(building)}`)
    }
  })
  return name
}

/**
 * Drops a test database. pg's pool.end() resolves before its sockets have closed, and
 * forcing the drop would then kill those backends mid-goodbye (an unhandled 57P01 in
 * the test process), so it first waits, briefly, for the connections to go away.
 */
export async function dropDatabase(name: string, server?: string): Promise<void> {
  await admin(async (c) => {
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      )
      if (rows[0]?.n === 0) break
      await new Promise((r) => setTimeout(r, 20))
    }
    await c.query(`drop database if exists ${quoteIdent(name)} with (force)`)
  }, server)
}

/** Drops templates of older migration sets, so they do not pile up; one still in use is left alone. */
export async function dropStaleTemplates(): Promise<void> {
  const current = await templateName()
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where datname like 'filo\\_tpl\\_%' and datname <> $1",
      [current],
    )
    for (const { datname } of rows) {
      await c.query(`drop database if exists ${quoteIdent(datname)}`).catch(() => {})
    }
  })
}

export interface TestDb {
  url: string
  db: Database
  /** A configuration pointing at this database and at a Redis key prefix of its own. */
  config: Config
  drop(): Promise<void>
}

/** A fresh, migrated database for one test file. */
export async function createTestDb(): Promise<TestDb> {
  const template = await ensureTemplate()
  const name = `filo_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`))
  const url = withDatabase(serverUrl(), name)
  const db = createDb(url, { poolSize: 5, applicationName: 'filo-test' })
  const attachmentsDir = mkdtempSync(path.join(os.tmpdir(), 'filo-attachments-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `filotest-${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '5',
    ATTACHMENTS_DIR: attachmentsDir,
  })
  return {
    url,
    db,
    config,
    async drop() {
      await db.destroy()
      await dropDatabase(name)
      rmSync(attachmentsDir, { recursive: true, force: true })
    },
  }
}
