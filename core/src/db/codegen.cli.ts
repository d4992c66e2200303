import { loadConfig } from '../config.ts'
import { runCodegen } from './codegen.ts'
import { migrate } from './migrator.ts'

// Regenerates schema.gen.ts from a scratch database migrated from sql/.
const config = loadConfig()
const url = new URL(config.databaseUrl)
url.pathname = '/filo_codegen'
await migrate(url.toString())
const { ok, output } = runCodegen(url.toString(), process.argv.includes('--verify'))
console.log(output.trim())
process.exitCode = ok ? 0 : 1
