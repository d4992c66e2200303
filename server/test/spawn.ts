import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestDb } from '../../core/src/db/test-db.ts'

/** Real Filo processes for tests: the API and the workers as `pnpm api` / `pnpm workers` start them. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })

export interface Run {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

export function run(entry: string, env: Record<string, string>): Run {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  })
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** The environment that points a process at a test file's own database and Redis prefix. */
export const testEnv = (testDb: TestDb) => ({
  NODE_ENV: 'test',
  DATABASE_URL: testDb.url,
  REDIS_URL: testDb.config.redisUrl,
  QUEUE_PREFIX: testDb.config.queuePrefix,
  LOG_LEVEL: 'info',
})

export async function until(probe: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Waits until the API on `port` answers /readyz. */
export const ready = (port: number, ms = 60_000) =>
  until(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok
    } catch {
      return false
    }
  }, ms)
