import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { maintenanceUrl, quoteIdent } from './db.ts'

/** The repository's sql/ folder. */
export const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sql')

// Any constant works; it only has to be the same for every Filo process.
const MIGRATION_LOCK = 7_361_044_213

export class MigrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: number
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/

/** Reads sql/*.sql in order and checks the names: four digits, an underscore, a snake_case title. */
export async function readMigrations(dir: string = SQL_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort()
  const seen = new Map<string, string>()
  const files: MigrationFile[] = []
  for (const name of names) {
    const match = FILE_NAME.exec(name)
    if (!match?.[1]) {
      throw new MigrationError(`${name}: a migration's name must look like 0002_add_contacts.sql`)
    }
    const other = seen.get(match[1])
    if (other) throw new MigrationError(`${name} and ${other} have the same number ${match[1]}`)
    seen.set(match[1], name)
    const sql = await readFile(path.join(dir, name), 'utf8')
    files.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') })
  }
  return files
}

/** Creates the database if it does not exist yet; safe when several processes race to do it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const { database, url } = maintenanceUrl(databaseUrl)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database])
    if (exists.rowCount) return false
    try {
      await client.query(`create database ${quoteIdent(database)}`)
      return true
    } catch (err) {
      // 42P04 duplicate_database, 23505: another process created it between our check and our create.
      const code = (err as { code?: string }).code
      if (code === '42P04' || code === '23505') return false
      throw err
    }
  } finally {
    await client.end()
  }
}

/**
 * Applies the pending migrations of `dir`, in order, each in its own transaction,
 * recording name and checksum. Refuses to run when a file already applied was
 * edited or removed, or when a new file sorts before one already applied. A
 * PostgreSQL advisory lock makes concurrent runs wait for each other.
 */
export async function migrate(
  databaseUrl: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {})
  await ensureDatabase(databaseUrl)
  const files = await readMigrations(opts.dir)
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'filo-migrate' })
  await client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query(`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`)
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations order by name',
    )
    const byName = new Map(files.map((f) => [f.name, f]))
    for (const row of rows) {
      const file = byName.get(row.name)
      if (!file) {
        throw new MigrationError(`${row.name} was applied to this database but is missing from sql/`)
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ` +
            `${file.checksum.slice(0, 12)}… on disk). Applied migrations are frozen: add a new file instead.`,
        )
      }
    }
    const appliedNames = new Set(rows.map((r) => r.name))
    const lastApplied = rows.at(-1)?.name
    const pending = files.filter((f) => !appliedNames.has(f.name))
    for (const file of pending) {
      if (lastApplied && file.name < lastApplied) {
        throw new MigrationError(
          `${file.name} sorts before ${lastApplied}, which is already applied: renumber it`,
        )
      }
    }
    for (const file of pending) {
      log(`applying ${file.name}`)
      try {
        await client.query('begin')
        await client.query(file.sql)
        await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
          file.name,
          file.checksum,
        ])
        await client.query('commit')
      } catch (err) {
        await client.query('rollback')
        throw new MigrationError(`${file.name} failed: ${(err as Error).message}`)
      }
    }
    return { applied: pending.map((f) => f.name), alreadyApplied: rows.length }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}
