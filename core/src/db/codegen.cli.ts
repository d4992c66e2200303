import { randomBytes } from 'node:crypto'
import { loadConfigOrExit } from '../config.ts'
import { runCodegen } from './codegen.ts'
import { migrate } from './migrator.ts'
import { dropDatabase } from './test-db.ts'

// Regenerates schema.gen.ts (or, with --verify, checks it) from a scratch database
// migrated from sql/, made for this run only and dropped after.
const config = loadConfigOrExit()
const url = new URL(config.databaseUrl)
const scratch = `filo_codegen_${randomBytes(4).toString('hex')}`
url.pathname = `/${scratch}`
try {
  await migrate(url.toString())
  const { ok, output } = runCodegen(url.toString(), process.argv.includes('--verify'))
  console.log(output.trim())
  process.exitCode = ok ? 0 : 1
} finally {
  await dropDatabase(scratch, config.databaseUrl)
}
