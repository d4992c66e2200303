import {
  type Actor,
  type AssignmentStrategy,
  createDb,
  createDeps,
  createLogger,
  type Deps,
  OutboxRelay,
  type PresenceState,
} from '@filo/core'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../../core/src/db/test-db.ts'
import { createOffice, createUser, deleteRedisPrefix, waitFor } from '../../core/test/fixtures.ts'
import { handlers } from '../src/handlers/index.ts'
import { startWorkers } from '../src/workers.ts'

let testDb: TestDb
let deps: Deps
const log = createLogger({ logLevel: 'silent' }, 'test')
const running: { stop(): Promise<void> }[] = []
let admin: Actor
let operator: Actor
let officeId: number

async function startPipeline(concurrency = 5) {
  const workers = startWorkers(deps, log, { handlers, concurrency })
  running.push({ stop: () => workers.close() })
  const relay = new OutboxRelay(deps.db, deps.queues, testDb.url, log, {
    pollMs: 100,
    republishAfterMs: 60_000,
  })
  await relay.start()
  running.push({ stop: () => relay.stop() })
}

beforeAll(async () => {
  testDb = await createTestDb()
  deps = createDeps({ ...testDb.config, databasePoolSize: 12 }, 'filo-test')
  officeId = (await createOffice(deps.db, 'Verde Pubblico')).id
  admin = await createUser(deps.db, 'admin')
  operator = await createUser(deps.db, 'operator')
  await startPipeline()
})
afterAll(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
  await deleteRedisPrefix(deps.redis, deps.config.queuePrefix)
  await deps.close()
  await testDb.drop()
})

const ASSIGNMENT_JOBS = ['case.created', 'case.route', 'case.assign', 'queue.dispatch']

/** Waits until every assignment-related job written so far has run (each writes its follow-ups atomically). */
async function settle(): Promise<void> {
  await waitFor(async () => {
    const { n } = await deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('processedAt', 'is', null)
      .where('jobName', 'in', ASSIGNMENT_JOBS)
      .executeTakeFirstOrThrow()
    return Number(n) === 0
  }, 20_000)
}

interface AgentOptions {
  capacity?: number
  skills?: string[]
  presence?: PresenceState | null
}

async function agent(opts: AgentOptions = {}): Promise<Actor> {
  const user = await createUser(deps.db, 'office_staff', { officeIds: [officeId] })
  await deps.db
    .updateTable('staffUsers')
    .set({ capacity: opts.capacity ?? 10, skills: opts.skills ?? [] })
    .where('id', '=', user.id)
    .execute()
  const presence = opts.presence === undefined ? 'available' : opts.presence
  if (presence) await deps.services.assignment.setPresence(user, presence)
  return user
}

let queueSeq = 0
async function queue(
  strategy: AssignmentStrategy,
  members: Actor[],
  opts: { releaseOnOffline?: boolean } = {},
): Promise<number> {
  queueSeq += 1
  const q = await deps.services.admin.queues.create(admin, {
    code: `coda-${queueSeq}-${Date.now() % 100000}`,
    name: `Coda ${queueSeq}`,
    officeId,
    assignmentStrategy: strategy,
    releaseOnOffline: opts.releaseOnOffline ?? true,
    memberIds: members.map((m) => m.id),
  })
  return q.id
}

async function createCases(
  queueId: number,
  n: number,
  opts: { categoryId?: number; parallel?: boolean } = {},
): Promise<number[]> {
  const one = async (i: number) =>
    (
      await deps.services.cases.create(operator, {
        subject: `Segnalazione ${i + 1}`,
        channel: 'phone',
        queueId,
        officeId,
        ...(opts.categoryId ? { categoryId: opts.categoryId } : {}),
      })
    ).id
  if (opts.parallel) return Promise.all(Array.from({ length: n }, (_, i) => one(i)))
  const ids: number[] = []
  for (let i = 0; i < n; i++) ids.push(await one(i))
  return ids
}

const cases = (ids: number[]) =>
  deps.db
    .selectFrom('cases')
    .select(['id', 'assigneeId', 'status', 'version'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()

/** How many of `ids` each agent holds; unassigned cases under null. */
async function spread(ids: number[]): Promise<Map<number | null, number>> {
  const counts = new Map<number | null, number>()
  for (const c of await cases(ids)) counts.set(c.assigneeId, (counts.get(c.assigneeId) ?? 0) + 1)
  return counts
}

/** Cases an agent carries in total (their load), whatever queue they came from. */
async function load(userId: number): Promise<number> {
  const { n } = await deps.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assigneeId', '=', userId)
    .where('status', 'in', ['assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party'])
    .executeTakeFirstOrThrow()
  return Number(n)
}

describe('round robin', () => {
  it('spreads 30 cases evenly over 3 agents (±1), each decision explained on the timeline', async () => {
    const agents = [
      await agent({ capacity: 30 }),
      await agent({ capacity: 30 }),
      await agent({ capacity: 30 }),
    ]
    const queueId = await queue('round_robin', agents)
    const ids = await createCases(queueId, 30)
    await settle()
    const counts = await spread(ids)
    expect(counts.get(null)).toBeUndefined()
    const given = agents.map((a) => counts.get(a.id) ?? 0)
    expect(Math.max(...given) - Math.min(...given)).toBeLessThanOrEqual(1)
    expect(given.reduce((a, b) => a + b, 0)).toBe(30)

    const [event] = await deps.db
      .selectFrom('caseEvents')
      .select(['actorId', 'data'])
      .where('caseId', '=', ids[0] ?? 0)
      .where('kind', '=', 'assigned')
      .execute()
    expect(event?.actorId).toBeNull()
    expect(event?.data).toMatchObject({
      from: null,
      to: expect.any(Number),
      strategy: 'round_robin',
      explanation: [expect.stringMatching(/^Assegnato a .* a rotazione/)],
    })
    const [row] = await cases([ids[0] ?? 0])
    expect(row?.status).toBe('assigned')
    const audit = await deps.db
      .selectFrom('auditLog')
      .select(['actorId'])
      .where('action', '=', 'case.assign')
      .where('entityId', '=', ids[0] ?? 0)
      .execute()
    expect(audit).toEqual([{ actorId: null }])
  })

  it('lets an agent with capacity 2 take 2 and gives the rest to the others in turn (no hoarding)', async () => {
    const small = await agent({ capacity: 2 })
    const others = [await agent({ capacity: 20 }), await agent({ capacity: 20 })]
    const queueId = await queue('round_robin', [small, ...others])
    const ids = await createCases(queueId, 12)
    await settle()
    const counts = await spread(ids)
    expect(counts.get(small.id)).toBe(2)
    expect(others.map((a) => counts.get(a.id))).toEqual([5, 5])
  })
})

describe('who receives cases', () => {
  it('never gives a case to an offline (or never seen), away or busy agent', async () => {
    const available = await agent({ capacity: 20 })
    const absent = [
      await agent({ presence: 'offline' }),
      await agent({ presence: null }),
      await agent({ presence: 'away' }),
      await agent({ presence: 'busy' }),
    ]
    for (const strategy of ['round_robin', 'least_loaded', 'skill'] as const) {
      const queueId = await queue(strategy, [...absent, available])
      const ids = await createCases(queueId, 4)
      await settle()
      expect(await spread(ids)).toEqual(new Map([[available.id, 4]]))
    }
    for (const a of absent) expect(await load(a.id)).toBe(0)
  })

  it('leaves cases waiting in the queue when every member is full, and never over capacity', async () => {
    const agents = [await agent({ capacity: 2 }), await agent({ capacity: 4 }), await agent({ capacity: 6 })]
    const queueId = await queue('least_loaded', agents)
    const first = await createCases(queueId, 6)
    await settle()
    // In proportion to capacity: 1 of 2, 2 of 4, 3 of 6.
    let counts = await spread(first)
    expect(agents.map((a) => counts.get(a.id))).toEqual([1, 2, 3])

    const more = await createCases(queueId, 9)
    await settle()
    counts = await spread([...first, ...more])
    expect(agents.map((a) => counts.get(a.id))).toEqual([2, 4, 6])
    expect(counts.get(null)).toBe(3)
    const waiting = (await cases(more)).filter((c) => c.assigneeId === null)
    expect(waiting.map((c) => c.status)).toEqual(['new', 'new', 'new'])
  })
})

describe('by skill', () => {
  it('assigns only agents with every skill the category (and its parent) requires, else leaves the case in the queue', async () => {
    const parent = await deps.services.admin.categories.create(admin, {
      code: `verde-${Date.now() % 100000}`,
      nameIt: 'Verde',
      nameEn: 'Green',
      requiredSkills: ['alberi'],
    })
    const pruning = await deps.services.admin.categories.create(admin, {
      code: `verde.potature-${Date.now() % 100000}`,
      nameIt: 'Potature',
      nameEn: 'Pruning',
      parentId: parent.id,
      requiredSkills: ['potature'],
    })
    const plumbing = await deps.services.admin.categories.create(admin, {
      code: `idraulica-${Date.now() % 100000}`,
      nameIt: 'Fontane',
      nameEn: 'Fountains',
      requiredSkills: ['idraulica'],
    })
    expect(pruning.requiredSkills).toEqual(['potature'])
    const unskilled = await agent({ skills: [] })
    const halfSkilled = await agent({ skills: ['potature'] })
    const skilled = await agent({ skills: ['potature', 'alberi'] })
    const queueId = await queue('skill', [unskilled, halfSkilled, skilled])

    const pruningCases = await createCases(queueId, 3, { categoryId: pruning.id })
    const [fountain] = await createCases(queueId, 1, { categoryId: plumbing.id })
    await settle()
    expect(await spread(pruningCases)).toEqual(new Map([[skilled.id, 3]]))
    const [waiting] = await cases([fountain ?? 0])
    expect(waiting).toMatchObject({ assigneeId: null, status: 'new' })
  })
})

describe('concurrency', () => {
  it('never exceeds capacity when 20 cases are assigned at once by two worker processes', async () => {
    await startPipeline(5)
    const agents = [await agent({ capacity: 3 }), await agent({ capacity: 3 }), await agent({ capacity: 4 })]
    const queueId = await queue('least_loaded', agents)
    const ids = await createCases(queueId, 20, { parallel: true })
    await settle()
    const counts = await spread(ids)
    expect(agents.map((a) => counts.get(a.id))).toEqual([3, 3, 4])
    expect(counts.get(null)).toBe(10)
  })

  it('never exceeds capacity when 20 assignment transactions race each other directly', async () => {
    const agents = [await agent({ capacity: 2 }), await agent({ capacity: 3 })]
    const queueId = await queue('manual', agents)
    const ids = await createCases(queueId, 20)
    await settle()
    await deps.db
      .updateTable('queues')
      .set({ assignmentStrategy: 'round_robin' })
      .where('id', '=', queueId)
      .execute()
    const wide = createDb(testDb.url, { poolSize: 20 })
    try {
      await Promise.all(
        ids.map((caseId) =>
          wide
            .transaction()
            .execute((trx) => handlers['case.assign']({ deps, trx, payload: { caseId }, outboxId: 0 })),
        ),
      )
    } finally {
      await wide.destroy()
    }
    const counts = await spread(ids)
    expect(agents.map((a) => counts.get(a.id))).toEqual([2, 3])
    expect(counts.get(null)).toBe(15)
  })

  it('assigns once when the same job runs twice', async () => {
    const only = await agent()
    const queueId = await queue('manual', [only])
    const [caseId = 0] = await createCases(queueId, 1)
    await settle()
    const run = () =>
      deps.db
        .transaction()
        .execute((trx) =>
          handlers['case.assign']({ deps, trx, payload: { caseId, strategy: 'least_loaded' }, outboxId: 0 }),
        )
    // Two deliveries at once, then a late third: one assignment.
    await Promise.all([run(), run()])
    const [after] = await cases([caseId])
    await run()
    expect(await cases([caseId])).toEqual([after])
    expect(after?.assigneeId).toBe(only.id)
    const events = await deps.db
      .selectFrom('caseEvents')
      .select('kind')
      .where('caseId', '=', caseId)
      .where('kind', '=', 'assigned')
      .execute()
    expect(events).toHaveLength(1)
  })
})

describe('presence changes', () => {
  it('going offline gives back the cases not yet started, which go to the others; started ones stay', async () => {
    const leaving = await agent({ capacity: 10 })
    const staying = await agent({ capacity: 10 })
    const queueId = await queue('round_robin', [leaving, staying])
    const ids = await createCases(queueId, 4)
    await settle()
    const mine = (await cases(ids)).filter((c) => c.assigneeId === leaving.id)
    expect(mine).toHaveLength(2)
    const [started, notStarted] = mine
    if (!started || !notStarted) throw new Error('expected two cases')
    await deps.services.cases.changeStatus(leaving, started.id, {
      status: 'in_progress',
      version: started.version,
    })

    const presence = await deps.services.assignment.setPresence(leaving, 'offline')
    expect(presence).toMatchObject({ state: 'offline', released: 1 })
    await settle()
    const after = new Map((await cases(ids)).map((c) => [c.id, c]))
    expect(after.get(started.id)).toMatchObject({ assigneeId: leaving.id, status: 'in_progress' })
    expect(after.get(notStarted.id)).toMatchObject({ assigneeId: staying.id, status: 'assigned' })
    const timeline = await deps.db
      .selectFrom('caseEvents')
      .select(['kind', 'data'])
      .where('caseId', '=', notStarted.id)
      .where('kind', 'in', ['assigned', 'unassigned'])
      .orderBy('id')
      .execute()
    expect(timeline.map((e) => [e.kind, (e.data as { to: number | null }).to])).toEqual([
      ['assigned', leaving.id],
      ['unassigned', null],
      ['assigned', staying.id],
    ])
    expect(timeline[1]?.data).toMatchObject({ from: leaving.id, reason: 'agent_offline' })
    const audit = await deps.db
      .selectFrom('auditLog')
      .select('actorId')
      .where('action', '=', 'case.unassign')
      .where('entityId', '=', notStarted.id)
      .execute()
    expect(audit).toEqual([{ actorId: leaving.id }])
  })

  it('keeps the cases of a queue that does not release on offline', async () => {
    const leaving = await agent()
    const queueId = await queue('least_loaded', [leaving], { releaseOnOffline: false })
    const ids = await createCases(queueId, 2)
    await settle()
    await deps.services.assignment.setPresence(leaving, 'offline')
    await settle()
    expect(await spread(ids)).toEqual(new Map([[leaving.id, 2]]))
  })

  it('dispatches waiting cases when an agent becomes available or finishes a case', async () => {
    const late = await agent({ capacity: 1, presence: 'away' })
    const queueId = await queue('least_loaded', [late])
    const ids = await createCases(queueId, 2)
    await settle()
    expect(await spread(ids)).toEqual(new Map([[null, 2]]))

    await deps.services.assignment.setPresence(late, 'available')
    await settle()
    const [first, second] = await cases(ids)
    expect(first?.assigneeId).toBe(late.id)
    expect(second?.assigneeId).toBeNull()

    // Done with the first: the second, waiting, comes to them.
    let version = first?.version ?? 0
    for (const status of ['in_progress', 'resolved'] as const) {
      version = (await deps.services.cases.changeStatus(late, first?.id ?? 0, { status, version })).version
    }
    await settle()
    expect((await cases([second?.id ?? 0]))[0]?.assigneeId).toBe(late.id)
  })
  it('dispatches waiting cases when an admin raises an agent’s capacity', async () => {
    const agentWithRoom = await agent({ capacity: 1 })
    const queueId = await queue('round_robin', [agentWithRoom])
    const ids = await createCases(queueId, 2)
    await settle()
    expect((await spread(ids)).get(null)).toBe(1)
    const { version } = await deps.db
      .selectFrom('staffUsers')
      .select('version')
      .where('id', '=', agentWithRoom.id)
      .executeTakeFirstOrThrow()
    await deps.services.admin.users.update(admin, agentWithRoom.id, { capacity: 2, version })
    await settle()
    expect(await spread(ids)).toEqual(new Map([[agentWithRoom.id, 2]]))
  })
})

describe('strategy from routing', () => {
  it("a routing rule's assignment action overrides a manual queue's strategy", async () => {
    const only = await agent()
    const queueId = await queue('manual', [only])
    await deps.services.routing.create(admin, {
      name: 'Alberi caduti',
      position: 1,
      conditions: { words: { any: ['albero'] } },
      actions: { assignment: 'least_loaded' },
    })
    const [unmatched = 0] = await createCases(queueId, 1)
    const byRule = (
      await deps.services.cases.create(operator, {
        subject: 'Albero caduto in via Roma',
        channel: 'phone',
        queueId,
        officeId,
      })
    ).id
    await settle()
    // The case no rule matched waits for a person, as the manual queue says.
    expect(await spread([byRule, unmatched])).toEqual(
      new Map([
        [only.id, 1],
        [null, 1],
      ]),
    )
    expect((await cases([unmatched]))[0]?.assigneeId).toBeNull()
    await sql`delete from routing_rules`.execute(deps.db)
  })
})
