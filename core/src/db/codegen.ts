import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The generated Kysely table types, committed and checked for drift by the test suite. */
export const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.gen.ts')

/**
 * Runs kysely-codegen against a migrated database. With `verify`, writes nothing
 * and fails when schema.gen.ts differs from what the database says.
 */
export function runCodegen(databaseUrl: string, verify: boolean): { ok: boolean; output: string } {
  const require = createRequire(import.meta.url)
  const bin = path.join(path.dirname(require.resolve('kysely-codegen/package.json')), 'dist/cli/bin.js')
  const args = [
    bin,
    '--url',
    databaseUrl,
    '--dialect',
    'postgres',
    '--camel-case',
    '--type-mapping',
    JSON.stringify({ int8: 'number' }),
    '--exclude-pattern',
    'schema_migrations',
    '--out-file',
    SCHEMA_FILE,
    '--log-level',
    'info',
  ]
  if (verify) args.push('--verify')
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' })
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` }
}
