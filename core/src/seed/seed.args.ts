/** The most cases one `pnpm db:seed --cases N` adds: enough for any load test, not enough to fill a disk by a typo. */
export const MAX_SEED_CASES = 5_000_000

export const SEED_USAGE = `usage: pnpm db:seed [--cases N]   (N a whole number from 1 to ${MAX_SEED_CASES.toLocaleString('en')})`

/** Bad command-line arguments; an empty message means help was asked for. */
export class SeedUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SeedUsageError'
  }
}

export interface SeedArgs {
  /** Set only when --cases was given: then cases are added even to a seeded database. */
  cases: number | undefined
}

/** Parses `--cases N`, `--cases=N` (underscores allowed: 1_000_000) and `--help`. */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  let cases: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    // pnpm passes a lone "--" through when the user writes `pnpm db:seed -- --cases 5`.
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') throw new SeedUsageError('')
    let value: string | undefined
    if (arg === '--cases') {
      i++
      value = argv[i]
      if (value === undefined) throw new SeedUsageError('--cases needs a number')
    } else if (arg.startsWith('--cases=')) {
      value = arg.slice('--cases='.length)
    } else {
      throw new SeedUsageError(`unknown argument "${arg}"`)
    }
    const digits = value.replaceAll('_', '')
    const n = Number(digits)
    if (!/^\d+$/.test(digits) || n < 1 || n > MAX_SEED_CASES) {
      throw new SeedUsageError(
        `--cases must be a whole number from 1 to ${MAX_SEED_CASES.toLocaleString('en')} (got "${value}")`,
      )
    }
    cases = n
  }
  return { cases }
}
