import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
let testDb: TestDb
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(() => testDb.drop())

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })

interface Run {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function run(entry: string, env: Record<string, string>): Run {
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

const env = () => ({
  NODE_ENV: 'test',
  DATABASE_URL: testDb.url,
  REDIS_URL: testDb.config.redisUrl,
  QUEUE_PREFIX: testDb.config.queuePrefix,
  LOG_LEVEL: 'info',
})

async function until(probe: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

// Each test starts real processes: on a loaded 2-core machine start-up alone can take many seconds.
describe('processes', { timeout: 90_000 }, () => {
  it('the API refuses to start on a malformed variable and names it', async () => {
    const api = run('server/src/main.ts', { ...env(), PORT: 'eighty', REDIS_URL: 'nope' })
    expect(await api.exited).toBe(1)
    expect(api.output()).toContain('PORT must be a whole number from 1 to 65535 (got "eighty")')
    expect(api.output()).toContain('REDIS_URL must be a URL')
  })

  it('the API serves /readyz and exits cleanly on SIGTERM', async () => {
    const port = await freePort()
    const api = run('server/src/main.ts', { ...env(), PORT: String(port) })
    await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok
      } catch {
        return false
      }
    }, 60_000)
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()
    expect(ready).toEqual({ status: 'ready', postgres: true, redis: true })
    api.child.kill('SIGTERM')
    expect(await api.exited).toBe(0)
    expect(api.output()).toContain('shutting down')
  })

  it('the workers start, then stop on SIGTERM after finishing what they hold', async () => {
    const workers = run('workers/src/main.ts', env())
    await until(() => workers.output().includes('Filo workers started'), 60_000)
    workers.child.kill('SIGTERM')
    const code = await workers.exited
    expect(code, workers.output()).toBe(0)
    expect(workers.output()).toContain('finishing jobs in flight')
  })
})
