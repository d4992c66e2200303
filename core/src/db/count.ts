import { CompiledQuery, type SelectQueryBuilder, sql } from 'kysely'
import { COUNT_CAP } from '../list.ts'
import type { Executor } from './db.ts'

// Past this many estimated rows an exact count up to the cap is not even attempted:
// the estimate is already far beyond the cap, and counting would scan that far.
const HOPELESS = 20

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
  const plan = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`explain (format json) ${rows.sql}`, [...rows.parameters]),
  )
  const [json] = Object.values(plan.rows[0] ?? {})
  const planned = Array.isArray(json) ? Number(json[0]?.Plan?.['Plan Rows']) : Number.NaN
  const estimate = Number.isFinite(planned) ? Math.round(planned) : 0
  if (estimate > cap * HOPELESS) return { total: estimate, exact: false }
  const capped = await db.executeQuery<{ n: number }>(
    CompiledQuery.raw(`select count(*)::int as n from (${rows.sql} limit ${cap + 1}) as capped`, [
      ...rows.parameters,
    ]),
  )
  const n = capped.rows[0]?.n ?? 0
  return n <= cap ? { total: n, exact: true } : { total: Math.max(cap + 1, estimate), exact: false }
}
