import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.gen.ts'

export type Database = Kysely<DB>
/** A handle that runs queries: the database itself or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>

/**
 * int8 (ids, counts) and int8[] as JavaScript numbers: ids stay far below 2^53, and the
 * API speaks JSON numbers. numeric is left as a string.
 */
const INT8_ARRAY = 1016
/** `{1,2,NULL}` → [1, 2, null]: an int8 array's text form never quotes its elements. */
const parseInt8Array = (value: string): (number | null)[] =>
  value.length <= 2
    ? []
    : value
        .slice(1, -1)
        .split(',')
        .map((v) => (v === 'NULL' ? null : Number(v)))
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value)
    if (oid === INT8_ARRAY) return parseInt8Array
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')
  },
}

export interface DbOptions {
  poolSize?: number
  applicationName?: string
}

/** A Kysely instance on its own pool; snake_case columns appear camelCase in TypeScript. */
export function createDb(databaseUrl: string, opts: DbOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 10,
    application_name: opts.applicationName ?? 'filo',
    types,
    connectionTimeoutMillis: 5000,
  })
  // An idle connection cut by the server (a restart, a failover) is dropped from the pool
  // and replaced on the next query; without a listener pg would crash the process.
  pool.on('error', () => {})
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
}

/** Splits a connection URL into the database name and a URL of the maintenance database. */
export function maintenanceUrl(databaseUrl: string): { database: string; url: string } {
  const url = new URL(databaseUrl)
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  url.pathname = '/postgres'
  return { database, url: url.toString() }
}

/** Quotes an SQL identifier (database names in CREATE/DROP DATABASE cannot be parameters). */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`
