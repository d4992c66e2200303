/**
 * The operator's lists at scale: list, filter, search and read a case on a database
 * of BENCH_CASES demo cases (1,000,000 by default), through the same services the
 * API calls. Each figure is printed next to the baseline measured in the same run:
 * a primary-key read of one case, the cheapest useful query.
 *
 * The seeded database (filo_bench) is kept between runs; it is seeded again only
 * when it holds fewer cases than asked.
 */
import { type Actor, type CaseFilter, createDeps, loadConfig } from '@filo/core'
import { sql } from 'kysely'
import { createDb } from '../core/src/db/db.ts'
import { migrate } from '../core/src/db/migrator.ts'
import { seedSlaPolicies, seedSlaState } from '../core/src/seed/seed.sla.ts'
import { seedDemo } from '../core/src/seed/seed.ts'

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60)
const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/filo_bench')

await migrate(url.toString())
const seedDb = createDb(url.toString(), { poolSize: 4 })
const { n: have } = await seedDb
  .selectFrom('cases')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()
if (have < CASES) {
  console.log(`seeding ${CASES - have} cases into ${url.pathname.slice(1)} (kept for later runs)…`)
  await seedDemo(seedDb, { cases: CASES - have, whenSeeded: 'add-cases', log: (l) => console.log(`  ${l}`) })
}
// A database seeded before SLAs existed gets the demo policies and its cases' SLA state once.
const policies = await seedDb.selectFrom('slaPolicies').select('id').limit(1).execute()
if (policies.length === 0) {
  console.log('giving the seeded cases their SLA state (once)…')
  const categories = await seedDb.selectFrom('categories').select(['id', 'code']).execute()
  const byCode = new Map(categories.map((c) => [c.code, c.id]))
  await seedDb.transaction().execute((trx) => seedSlaPolicies(trx, (code) => byCode.get(code)))
  await seedSlaState(seedDb, 0)
  await sql`analyze cases`.execute(seedDb)
}
await seedDb.destroy()

const deps = createDeps(loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }), 'filo-bench')
const { db } = deps
const operatorRow = await db
  .selectFrom('staffUsers')
  .select('id')
  .where('role', '=', 'operator')
  .executeTakeFirstOrThrow()
const staffRow = await db
  .selectFrom('staffUsers as u')
  .innerJoin('staffOffices as so', 'so.staffUserId', 'u.id')
  .select(['u.id', 'so.officeId'])
  .where('u.role', '=', 'office_staff')
  .executeTakeFirstOrThrow()
const operator: Actor = { id: operatorRow.id, role: 'operator', officeIds: [], language: 'it' }
const staff: Actor = { id: staffRow.id, role: 'office_staff', officeIds: [staffRow.officeId], language: 'it' }
const someCase = await db
  .selectFrom('cases')
  .select(['id'])
  .orderBy('id', 'desc')
  .limit(1)
  .offset(1000)
  .executeTakeFirstOrThrow()
const { n: total } = await db
  .selectFrom('cases')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn()
  const xs: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now()
    await fn()
    xs.push(performance.now() - start)
  }
  xs.sort((a, b) => a - b)
  return { p50: xs[Math.floor(xs.length / 2)] ?? 0, p95: xs[Math.floor(xs.length * 0.95)] ?? 0 }
}

const list = (
  actor: Actor,
  filter: CaseFilter,
  sort: 'createdAt' | 'updatedAt' | 'priority' = 'createdAt',
  offset = 0,
) => deps.services.cases.list(actor, { filter, sort, order: 'desc', offset, limit: 25 })

const baseline = await time(() =>
  db.selectFrom('cases').selectAll().where('id', '=', someCase.id).executeTakeFirst(),
)
const scenarios: [string, () => Promise<unknown>][] = [
  ['get one case (service, with visibility)', () => deps.services.cases.get(operator, someCase.id)],
  ['operator: newest 25 + total', () => list(operator, {})],
  ['operator: status new, newest 25', () => list(operator, { status: 'new' })],
  [
    'operator: status open+assigned, by priority',
    () => list(operator, { status: ['open', 'assigned'] }, 'priority'),
  ],
  [
    'operator: channel pec, last 30 days',
    () => list(operator, { channel: 'pec', createdFrom: new Date(Date.now() - 30 * 864e5).toISOString() }),
  ],
  ['office staff: their office, newest 25', () => list(staff, {})],
  ['office staff: their office, in progress', () => list(staff, { status: 'in_progress' })],
  ['operator: search "buche"', () => list(operator, { q: 'buche' })],
  ['operator: search "lampione spento via roma"', () => list(operator, { q: 'lampione spento via roma' })],
  ['office staff: search "alberi"', () => list(staff, { q: 'alberi' })],
  ['operator: search "via" (in most addresses)', () => list(operator, { q: 'via' })],
  ['operator: SLA breached', () => list(operator, { slaState: 'breached' })],
  ['operator: SLA at risk', () => list(operator, { slaState: 'at_risk' })],
  ['office staff: SLA breached', () => list(staff, { slaState: 'breached' })],
  ['operator: page 40 (offset 975)', () => list(operator, {}, 'createdAt', 975)],
]

console.log(`\ncase lists on ${total.toLocaleString('en')} cases, ${ROUNDS} rounds each`)
console.log(
  `  ${'baseline: read one case by primary key'.padEnd(48)} p50 ${baseline.p50.toFixed(2).padStart(7)} ms  p95 ${baseline.p95.toFixed(2).padStart(7)} ms`,
)
for (const [name, fn] of scenarios) {
  const r = await time(fn)
  console.log(
    `  ${name.padEnd(48)} p50 ${r.p50.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms  ×${(r.p50 / baseline.p50).toFixed(1)} baseline`,
  )
}
await deps.close()
