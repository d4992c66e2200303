import { CompiledQuery, type SelectQueryBuilder, sql } from 'kysely'
import { COUNT_CAP } from '../list.ts'
import type { Executor } from './db.ts'

/**
 * How many rows a list's filter matches: counted exactly up to `cap`, which stays
 * cheap whatever the table's size; beyond it, PostgreSQL's own estimate for the
 * same query (never below cap + 1), reported as not exact.
 */
export async function countRows<D, TB extends keyof D, O>(
  db: Executor,
  base: SelectQueryBuilder<D, TB, O>,
  cap: number = COUNT_CAP,
): Promise<{ total: number; exact: boolean }> {
  const rows = base.select(sql.lit(1).as('one')).compile()
  const capped = await db.executeQuery<{ n: number }>(
    CompiledQuery.raw(`select count(*)::int as n from (${rows.sql} limit ${cap + 1}) as capped`, [
      ...rows.parameters,
    ]),
  )
  const n = capped.rows[0]?.n ?? 0
  if (n <= cap) return { total: n, exact: true }
  const plan = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`explain (format json) ${rows.sql}`, [...rows.parameters]),
  )
  const [json] = Object.values(plan.rows[0] ?? {})
  const estimate = Array.isArray(json) ? Number(json[0]?.Plan?.['Plan Rows']) : Number.NaN
  return { total: Math.max(cap + 1, Number.isFinite(estimate) ? Math.round(estimate) : 0), exact: false }
}
