/**
 * The supervisors' dashboard at scale: each statistic through the service (daily rollups
 * of sql/0019, plus `cases` for today's deadlines and the backlog's boundary days) and
 * counted straight from `cases` as it was before the rollups (stats.direct.ts), on a
 * database of BENCH_CASES demo cases (1,000,000 by default). Each figure is printed next
 * to the baseline measured in the same run, a primary-key read of one case, and each
 * rollup figure next to its direct count; every pair is checked to give the same answer.
 * Then what the triggers cost a write: one case inserted or moved, with and without them.
 *
 * Uses the same filo_bench database as case-list.bench.ts, seeded once and kept.
 */
import { type Actor, createDeps, loadConfig } from '@filo/core'
import { sql } from 'kysely'
import { createDb } from '../core/src/db/db.ts'
import { migrate } from '../core/src/db/migrator.ts'
import { seedDemo } from '../core/src/seed/seed.ts'
import { countFromCases } from '../core/src/stats/stats.direct.ts'

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)
const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/filo_bench')

// BENCH_MIGRATE=0 leaves the database's migrations as they are (when sql/ holds work in progress).
if (process.env.BENCH_MIGRATE !== '0') {
  const migrated = performance.now()
  const { applied } = await migrate(url.toString())
  if (applied.length)
    console.log(`migrated ${applied.join(', ')} in ${((performance.now() - migrated) / 1000).toFixed(1)} s`)
}
const seedDb = createDb(url.toString(), { poolSize: 4 })
const { n: have } = await seedDb
  .selectFrom('cases')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()
if (Number(have) < CASES) {
  console.log(`seeding ${CASES - Number(have)} cases into ${url.pathname.slice(1)} (kept for later runs)…`)
  await seedDemo(seedDb, {
    cases: CASES - Number(have),
    whenSeeded: 'add-cases',
    log: (l) => console.log(`  ${l}`),
  })
}
await sql`analyze case_volume_days`.execute(seedDb)
await sql`analyze case_deadline_days`.execute(seedDb)
await sql`analyze case_backlog_days`.execute(seedDb)
await seedDb.destroy()

const deps = createDeps(loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }), 'filo-bench')
const { db } = deps
const stats = deps.services.stats
const direct = countFromCases(db)
const supervisorRow = await db
  .selectFrom('staffUsers')
  .select('id')
  .where('role', '=', 'supervisor')
  .executeTakeFirstOrThrow()
const supervisor: Actor = { id: supervisorRow.id, role: 'supervisor', officeIds: [], language: 'it' }
const someCase = await db
  .selectFrom('cases')
  .select(['id'])
  .orderBy('id', 'desc')
  .limit(1)
  .offset(1000)
  .executeTakeFirstOrThrow()
const { n: total, newest } = await db
  .selectFrom('cases')
  .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('createdAt').as('newest')])
  .executeTakeFirstOrThrow()

async function time(
  fn: () => Promise<unknown>,
  rounds = ROUNDS,
  warmups = 3,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmups; i++) await fn()
  const xs: number[] = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await fn()
    xs.push(performance.now() - start)
  }
  xs.sort((a, b) => a - b)
  return { p50: xs[Math.floor(xs.length / 2)] ?? 0, p95: xs[Math.floor(xs.length * 0.95)] ?? 0 }
}

// The default range is the twelve weeks up to today; the seeded cases end where the seed ran.
const to = new Date(newest as Date).toISOString().slice(0, 10)
const yearFrom = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10)
const twelveWeeks = { to }
const year = { from: yearFrom, to, bucket: 'month' as const }
const now = new Date()

const scenarios: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  [
    'volumes by channel, 12 weeks',
    () => stats.volumes(supervisor, { ...twelveWeeks, by: 'channel' }, 'it', now),
    () => direct.volumes({ ...twelveWeeks, by: 'channel' }, 'it', now),
  ],
  [
    'volumes by category, 12 weeks',
    () => stats.volumes(supervisor, { ...twelveWeeks, by: 'category' }, 'it', now),
    () => direct.volumes({ ...twelveWeeks, by: 'category' }, 'it', now),
  ],
  [
    'volumes by office, a year by month',
    () => stats.volumes(supervisor, { ...year, by: 'office' }, 'it', now),
    () => direct.volumes({ ...year, by: 'office' }, 'it', now),
  ],
  [
    'SLA compliance, 12 weeks',
    () => stats.sla(supervisor, twelveWeeks, 'it', now),
    () => direct.sla(twelveWeeks, 'it', now),
  ],
  [
    'SLA compliance, a year by month',
    () => stats.sla(supervisor, year, 'it', now),
    () => direct.sla(year, 'it', now),
  ],
  ['backlog age', () => stats.backlog(supervisor, now), () => direct.backlog(now)],
  [
    'first-contact resolution, 12 weeks',
    () => stats.firstContact(supervisor, twelveWeeks, now),
    () => direct.firstContact(twelveWeeks, now),
  ],
]

console.log(`\ndashboard on ${Number(total).toLocaleString('en')} cases, ${ROUNDS} rounds each (p50, p95)`)
const baseline = await time(
  () => db.selectFrom('cases').selectAll().where('id', '=', someCase.id).executeTakeFirst(),
  100,
)
const ms = (r: { p50: number; p95: number }) =>
  `${r.p50.toFixed(2).padStart(8)} ms ${r.p95.toFixed(2).padStart(8)} ms`
console.log(`  ${'baseline: read one case by primary key'.padEnd(40)} ${ms(baseline)}`)
const ratio = (r: { p50: number }) => `×${(r.p50 / baseline.p50).toFixed(1)}`.padStart(9)
let differ = 0
for (const [name, rollup, fromCases] of scenarios) {
  const same = JSON.stringify(await rollup()) === JSON.stringify(await fromCases())
  if (!same) differ++
  // The direct counts take seconds each: a few rounds, the answer above as their warm-up.
  const before = await time(fromCases, Math.max(3, Math.floor(ROUNDS / 6)), 0)
  const after = await time(rollup)
  console.log(`  ${name.padEnd(40)}`)
  console.log(`    ${'from cases (before)'.padEnd(38)} ${ms(before)} ${ratio(before)} baseline`)
  console.log(
    `    ${'rollups (now)'.padEnd(38)} ${ms(after)} ${ratio(after)} baseline, ${(before.p50 / after.p50).toFixed(0)}× faster${same ? '' : '  ANSWERS DIFFER'}`,
  )
}

// What the triggers add to a write: the same statements in a transaction rolled back, with
// the rollup triggers on and off (disabled inside that transaction only).
const category = await db.selectFrom('categories').select('id').executeTakeFirstOrThrow()
const office = await db.selectFrom('offices').select('id').executeTakeFirstOrThrow()
const write = (withTriggers: boolean, what: 'insert' | 'move') => () =>
  db
    .transaction()
    .execute(async (trx) => {
      if (!withTriggers)
        for (const trigger of ['cases_rollup_inserted', 'cases_rollup_updated'])
          await sql`alter table cases disable trigger ${sql.id(trigger)}`.execute(trx)
      const start = performance.now()
      if (what === 'insert')
        await trx
          .insertInto('cases')
          .values({
            number: `BENCH-${Math.random()}`,
            subject: 'Bench',
            channel: 'phone',
            categoryId: category.id,
          })
          .execute()
      else
        await trx
          .updateTable('cases')
          .set({ officeId: office.id, status: 'in_progress' })
          .where('id', '=', someCase.id)
          .execute()
      const took = performance.now() - start
      throw Object.assign(new Error('rollback'), { took })
    })
    .catch((e: { took?: number }) => {
      if (e.took === undefined) throw e
      return e.took
    })
async function timeWrite(fn: () => Promise<number>): Promise<{ p50: number; p95: number }> {
  const xs: number[] = []
  for (let i = 0; i < ROUNDS * 2; i++) xs.push(await fn())
  xs.sort((a, b) => a - b)
  return { p50: xs[Math.floor(xs.length / 2)] ?? 0, p95: xs[Math.floor(xs.length * 0.95)] ?? 0 }
}
for (const what of ['insert', 'move'] as const) {
  const off = await timeWrite(write(false, what))
  const on = await timeWrite(write(true, what))
  const label = what === 'insert' ? 'insert one case' : 'move one case (office, status)'
  console.log(`  ${`${label}, no rollup triggers`.padEnd(40)} ${ms(off)} ${ratio(off)} baseline`)
  console.log(`  ${`${label}, with rollup triggers`.padEnd(40)} ${ms(on)} ${ratio(on)} baseline`)
}
await deps.close()
if (differ) {
  console.error(`${differ} statistics differ between the rollups and the cases`)
  process.exitCode = 1
}
