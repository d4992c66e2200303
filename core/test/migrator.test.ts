import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { maintenanceUrl, quoteIdent } from '../src/db/db.ts'
import { MigrationError, migrate } from '../src/db/migrator.ts'

const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const cleanups: (() => Promise<void>)[] = []

async function scratch(): Promise<{
  url: string
  dir: string
  query: (sql: string) => Promise<pg.QueryResult>
}> {
  const name = `filo_mig_${randomBytes(5).toString('hex')}`
  const u = new URL(server)
  u.pathname = `/${name}`
  const url = u.toString()
  const dir = await mkdtemp(path.join(tmpdir(), 'filo-sql-'))
  cleanups.push(async () => {
    await rm(dir, { recursive: true, force: true })
    const c = new pg.Client({ connectionString: maintenanceUrl(url).url })
    await c.connect()
    await c.query(`drop database if exists ${quoteIdent(name)} with (force)`)
    await c.end()
  })
  const query = async (sql: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      return await c.query(sql)
    } finally {
      await c.end()
    }
  }
  return { url, dir, query }
}

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

describe('migrator', () => {
  it('creates the database and applies files in order, each once', async () => {
    const { url, dir, query } = await scratch()
    await writeFile(path.join(dir, '0002_second.sql'), "insert into log values ('second');")
    await writeFile(
      path.join(dir, '0001_first.sql'),
      "create table log (what text); insert into log values ('first');",
    )
    const first = await migrate(url, { dir })
    expect(first.applied).toEqual(['0001_first.sql', '0002_second.sql'])
    const again = await migrate(url, { dir })
    expect(again).toEqual({ applied: [], alreadyApplied: 2 })
    const { rows } = await query('select what from log')
    expect(rows.map((r) => r.what)).toEqual(['first', 'second'])
  })

  it('refuses to run when an applied file was edited', async () => {
    const { url, dir } = await scratch()
    await writeFile(path.join(dir, '0001_first.sql'), 'create table t (a int);')
    await migrate(url, { dir })
    await writeFile(path.join(dir, '0001_first.sql'), 'create table t (a int, b int);')
    await writeFile(path.join(dir, '0002_more.sql'), 'create table u (a int);')
    await expect(migrate(url, { dir })).rejects.toThrow(/0001_first\.sql was edited after it was applied/)
  })

  it('refuses a new file that sorts before one already applied, and a missing applied file', async () => {
    const { url, dir } = await scratch()
    await writeFile(path.join(dir, '0002_b.sql'), 'select 1;')
    await migrate(url, { dir })
    await writeFile(path.join(dir, '0001_a.sql'), 'select 1;')
    await expect(migrate(url, { dir })).rejects.toThrow(/0001_a\.sql sorts before 0002_b\.sql/)
    await rm(path.join(dir, '0001_a.sql'))
    await rm(path.join(dir, '0002_b.sql'))
    await expect(migrate(url, { dir })).rejects.toThrow(/0002_b\.sql was applied .* missing/)
  })

  it('rolls back a failing file entirely and records nothing for it', async () => {
    const { url, dir, query } = await scratch()
    await writeFile(path.join(dir, '0001_ok.sql'), 'create table t (a int);')
    await writeFile(path.join(dir, '0002_bad.sql'), 'create table half (a int); select * from no_such_table;')
    await expect(migrate(url, { dir })).rejects.toBeInstanceOf(MigrationError)
    const { rows } = await query(
      "select name, to_regclass('half') is not null as half from schema_migrations order by name",
    )
    expect(rows).toEqual([{ name: '0001_ok.sql', half: false }])
  })

  it('rejects badly named files', async () => {
    const { url, dir } = await scratch()
    await writeFile(path.join(dir, '1_first.sql'), 'select 1;')
    await expect(migrate(url, { dir })).rejects.toThrow(/must look like 0002_add_contacts\.sql/)
  })

  it('lets concurrent runs wait for each other: every file applied exactly once', async () => {
    const { url, dir, query } = await scratch()
    // Not idempotent on purpose: a second application would fail on the primary key.
    await writeFile(
      path.join(dir, '0001_t.sql'),
      'create table runs (id int primary key); insert into runs values (1);',
    )
    await writeFile(path.join(dir, '0002_slow.sql'), 'select pg_sleep(0.3); insert into runs values (2);')
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(url, { dir })))
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0001_t.sql', '0002_slow.sql'])
    const { rows } = await query('select count(*)::int as n from runs')
    expect(rows[0].n).toBe(2)
  })
})
