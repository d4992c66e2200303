import { loadConfig, redact } from '../config.ts'
import { migrate } from './migrator.ts'

const config = loadConfig()
try {
  const result = await migrate(config.databaseUrl, { log: (line) => console.log(`migrate: ${line}`) })
  console.log(
    `migrate: ${redact(config.databaseUrl)} is up to date (${result.applied.length} applied now, ${result.alreadyApplied} before)`,
  )
} catch (err) {
  console.error(`migrate: ${(err as Error).message}`)
  process.exitCode = 1
}
