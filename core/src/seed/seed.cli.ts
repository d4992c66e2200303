import { loadConfig, redact } from '../config.ts'
import { createDb } from '../db/db.ts'
import { migrate } from '../db/migrator.ts'
import { parseSeedArgs, SEED_USAGE, type SeedArgs, SeedUsageError } from './seed.args.ts'
import { DEMO_PASSWORD, DEMO_USERS, EXTRA_STAFF, seedDemo } from './seed.ts'

/**
 * `pnpm db:seed [--cases N]`: migrates, then loads the demo data once.
 * Without --cases a fresh database gets 300 cases and a seeded one is left alone;
 * with --cases N, N cases are added either way (for load tests: --cases 1000000).
 */

const DEFAULT_CASES = 300

function credentialsTable(): string {
  const rows = [['email', 'role', 'password'], ...DEMO_USERS.map((u) => [u.email, u.role, DEMO_PASSWORD])]
  const widths = [0, 1, 2].map((col) => Math.max(...rows.map((r) => (r[col] ?? '').length)))
  const line = (r: readonly string[]) =>
    `  ${r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')}`.trimEnd()
  return [
    line(rows[0] ?? []),
    `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    ...rows.slice(1).map(line),
    `  (and ${EXTRA_STAFF.length} more office staff, e.g. ${EXTRA_STAFF[0]?.email}, same password)`,
  ].join('\n')
}

async function main(): Promise<void> {
  let args: SeedArgs
  try {
    args = parseSeedArgs(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof SeedUsageError)) throw err
    if (err.message) console.error(`seed: ${err.message}`)
    console.error(SEED_USAGE)
    process.exitCode = err.message ? 2 : 0
    return
  }

  const config = loadConfig()
  await migrate(config.databaseUrl, { log: (line) => console.log(`migrate: ${line}`) })
  const db = createDb(config.databaseUrl, { poolSize: 3, applicationName: 'filo-seed' })
  try {
    const result = await seedDemo(db, {
      cases: args.cases ?? DEFAULT_CASES,
      whenSeeded: args.cases === undefined ? 'skip' : 'add-cases',
      numberPrefix: config.caseNumberPrefix,
      log: (line) => console.log(line),
    })
    if (result.skipped && result.cases === 0) {
      console.log(
        `seed: ${redact(config.databaseUrl)} already holds the demo data; use --cases N to add N more cases`,
      )
    } else if (result.skipped) {
      console.log(`seed: added ${result.cases.toLocaleString('en')} cases to ${redact(config.databaseUrl)}`)
    } else {
      console.log(
        `seed: ${redact(config.databaseUrl)} now holds the demo data and ${result.cases.toLocaleString('en')} cases`,
      )
    }
    console.log(`\nDemo accounts:\n${credentialsTable()}`)
  } finally {
    await db.destroy()
  }
}

try {
  await main()
} catch (err) {
  console.error(`seed: ${(err as Error).message}`)
  process.exitCode = 1
}
