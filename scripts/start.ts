/**
 * `pnpm start`: everything but the install. Checks PostgreSQL and Redis, migrates,
 * seeds the demo data once, builds the console when its sources changed, starts
 * the API and the workers, and prints where to go and who to log in as.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { seedOpen311DemoKey } from '../core/src/channels/open311/open311.seed.ts'
import { ConfigError, loadConfig, redact } from '../core/src/config.ts'
import { createDb } from '../core/src/db/db.ts'
import { migrate } from '../core/src/db/migrator.ts'
import { probePostgres, probeRedis } from '../core/src/probe.ts'
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../core/src/seed/seed.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const say = (line: string) => console.log(`filo: ${line}`)

function fail(message: string): never {
  console.error(`\nfilo: ${message}\n`)
  process.exit(1)
}

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err))
}

async function checkServices(): Promise<void> {
  const [postgres, redis] = await Promise.all([
    probePostgres(config.databaseUrl),
    probeRedis(config.redisUrl),
  ])
  const problems: string[] = []
  if (postgres) {
    problems.push(
      `PostgreSQL is not reachable at ${redact(config.databaseUrl)} (${postgres}).\n` +
        '  Start it with:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n' +
        '  or point DATABASE_URL at a running server.',
    )
  }
  if (redis) {
    problems.push(
      `Redis is not reachable at ${redact(config.redisUrl)} (${redis}).\n` +
        '  Start it with:  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no\n' +
        '  or point REDIS_URL at a running server.',
    )
  }
  if (problems.length) fail(problems.join('\n\nfilo: '))
}

/** Newest modification time below `dir` (node_modules and dist left out). */
function newest(entry: string): number {
  const stat = statSync(entry)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = 0
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules' || name === 'dist') continue
    latest = Math.max(latest, newest(path.join(entry, name)))
  }
  return latest
}

function buildConsoleIfStale(): void {
  const dir = path.join(root, 'admin-ui')
  const built = path.join(config.adminUiDist, 'index.html')
  if (existsSync(built) && statSync(built).mtimeMs >= newest(dir)) return
  say('building the console (admin-ui)…')
  const result = spawnSync('pnpm', ['--filter', '@filo/admin-ui', 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) fail('the console build failed (see above)')
}

async function waitReady(url: string, children: ChildProcess[]): Promise<void> {
  const until = Date.now() + 30_000
  while (Date.now() < until) {
    if (children.some((c) => c.exitCode !== null)) return
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  fail(`the API did not become ready at ${url} within 30 s`)
}

await checkServices()
const migrated = await migrate(config.databaseUrl, { log: (line) => say(`migrate: ${line}`) })
say(`database ready (${migrated.applied.length} migrations applied now)`)
const db = createDb(config.databaseUrl, { poolSize: 4, applicationName: 'filo-start' })
await seedDemo(db, { cases: 300, numberPrefix: config.caseNumberPrefix, log: say })
const open311Key = await seedOpen311DemoKey(db)
await db.destroy()
buildConsoleIfStale()

// node --import tsx directly, not through pnpm, so SIGTERM reaches the processes.
const run = (name: string, entry: string): ChildProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  })
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`filo: the ${name} stopped (${signal ?? `exit ${code}`}); stopping everything`)
      void stop(1)
    }
  })
  return child
}
let stopping = false
const children = [run('API', 'server/src/main.ts'), run('workers', 'workers/src/main.ts')]

async function stop(code: number): Promise<void> {
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  await Promise.all(
    children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))),
  )
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

const local = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
await waitReady(`${local}/readyz`, children)
if (!stopping) {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length))
  console.log(`
  Filo is running.

    Console   ${config.publicUrl}/admin/
    API docs  ${config.publicUrl}/api/docs
    Health    ${config.publicUrl}/readyz
    Web form  ${config.publicUrl}/segnala
    Open311   ${config.publicUrl}/open311/v2/discovery.json${open311Key ? ` (demo api_key: ${open311Key})` : ''}

  Demo users (password: ${DEMO_PASSWORD})
${DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.role}`).join('\n')}

  Ctrl-C stops the API and the workers.
`)
}
