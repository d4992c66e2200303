import { sql } from 'kysely'
import type { Database, Executor } from '../db/db.ts'
import { hashPassword } from '../iam/password.ts'
import { PRATO_AREAS } from '../routing/prato-areas.ts'
import { seedQueueAssignment } from './seed.assignment.ts'
import {
  CATEGORIES,
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoUser,
  EXTRA_STAFF,
  type LeafCategory,
  OFFICES,
  type OfficeCode,
  SHARED_QUEUES,
} from './seed.data.ts'
import {
  type CaseBatch,
  CaseGenerator,
  type ContactPool,
  creationTimes,
  type SeedWorld,
} from './seed.generate.ts'
import { mulberry32, type Random } from './seed.random.ts'
import { seedSlaPolicies, seedSlaState } from './seed.sla.ts'

export type { DemoUser } from './seed.data.ts'
export { DEMO_PASSWORD, DEMO_USERS, EXTRA_STAFF } from './seed.data.ts'

/** How far back the demo history goes. */
export const DEMO_HISTORY_DAYS = 120
/** Rows per INSERT: big enough to amortise round trips, small enough to keep each transaction short. */
const BATCH_SIZE = 5000
/** Batches in flight at once: one being written while the next is generated. */
const CONCURRENCY = 2
// Any constant, the same in every process: two seeders never write the reference data twice.
const SEED_LOCK = 7_361_044_214
/** Offices whose street work is done by field workers. */
const FIELD_OFFICES: readonly OfficeCode[] = ['lavori-pubblici', 'verde-pubblico', 'ambiente']

export interface SeedOptions {
  /** Cases to create: on a fresh database always; on a seeded one only with `whenSeeded: 'add-cases'`. */
  cases: number
  /**
   * What to do when the reference data (offices, categories, queues, users) is already there.
   * 'skip' (the default, what `pnpm start` wants): nothing at all. 'add-cases' (what
   * `pnpm db:seed --cases N` asks for): leave the reference data alone and add `cases` more cases,
   * numbered after the existing ones.
   */
  whenSeeded?: 'skip' | 'add-cases'
  /** Prefix of case numbers (config.caseNumberPrefix). */
  numberPrefix?: string
  log?: (line: string) => void
  /** Source of randomness; by default a PRNG seeded from the database's state, so runs are reproducible. */
  random?: Random
  /** The end of the demo history; now by default. */
  now?: Date
}

export interface SeedResult {
  /** The reference data was already there, so none was written. */
  skipped: boolean
  /** Cases created by this call. */
  cases: number
}

/**
 * Fills a database with the Comune di Prato's demo: offices, categories, queues,
 * one user per role (password DEMO_PASSWORD), then `cases` cases with their
 * contacts and timelines spread over the last DEMO_HISTORY_DAYS days.
 * The reference data is written once, in one transaction; cases follow in batches.
 * Seeded cases are history: they get timeline events but no outbox rows, so no
 * worker acts on them and no citizen is notified.
 */
export async function seedDemo(db: Database, opts: SeedOptions): Promise<SeedResult> {
  if (!Number.isInteger(opts.cases) || opts.cases < 0) {
    throw new RangeError(`cases must be a whole number ≥ 0 (got ${opts.cases})`)
  }
  const log = opts.log ?? (() => {})
  const addCases = opts.whenSeeded === 'add-cases'
  // Checked before hashing passwords, so the common "already seeded" start costs one query.
  const alreadySeeded = await hasReferenceData(db)
  if (alreadySeeded && !addCases) return { skipped: true, cases: 0 }
  // Checked again under a lock inside seedReference: another process may have seeded meanwhile.
  const created = alreadySeeded ? false : await seedReference(db, log)
  if (!created && !addCases) return { skipped: true, cases: 0 }
  const cases = await seedCases(db, opts, log)
  return { skipped: !created, cases }
}

async function hasReferenceData(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('offices').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

// ---------------------------------------------------------------- reference data

const leafCategories = (): (LeafCategory & { office: OfficeCode })[] =>
  CATEGORIES.flatMap((parent) =>
    parent.children.map((leaf) => ({ ...leaf, office: leaf.office ?? parent.office })),
  )

/** Writes offices, queues, categories and users in one transaction; false if another process got there first. */
async function seedReference(db: Database, log: (line: string) => void): Promise<boolean> {
  const users: readonly DemoUser[] = [...DEMO_USERS, ...EXTRA_STAFF]
  // Hashed before the transaction (argon2 is deliberately slow) so it holds its lock briefly.
  const hashes = await Promise.all(users.map(() => hashPassword(DEMO_PASSWORD)))
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx)
    if (await hasReferenceData(trx)) return false

    const offices = await trx
      .insertInto('offices')
      .values(OFFICES.map((o) => ({ code: o.code, name: o.name, email: o.email })))
      .returning(['id', 'code'])
      .execute()
    const officeId = new Map(offices.map((o) => [o.code, o.id]))
    const idOf = (code: OfficeCode): number => {
      const id = officeId.get(code)
      if (id === undefined) throw new Error(`office ${code} was not inserted`)
      return id
    }

    const queues = await trx
      .insertInto('queues')
      .values([
        ...OFFICES.map((o) => ({ code: o.code, name: o.name, officeId: idOf(o.code) })),
        ...SHARED_QUEUES.map((q) => ({ code: q.code, name: q.name, officeId: null })),
      ])
      .returning(['id', 'code'])
      .execute()
    const queueOf = (code: OfficeCode) => queues.find((q) => q.code === code)?.id
    const rules = demoRoutingRules(idOf, queueOf)
    if (rules.length > 0) await trx.insertInto('routingRules').values(rules).execute()

    const parents = await trx
      .insertInto('categories')
      .values(
        CATEGORIES.map((p, i) => ({
          code: p.code,
          nameIt: p.nameIt,
          nameEn: p.nameEn,
          officeId: idOf(p.office),
          sortOrder: (i + 1) * 10,
        })),
      )
      .returning(['id', 'code'])
      .execute()
    const parentId = new Map(parents.map((p) => [p.code, p.id]))
    const leaves = await trx
      .insertInto('categories')
      .values(
        CATEGORIES.flatMap((p) =>
          p.children.map((leaf, i) => ({
            parentId: parentId.get(p.code) ?? null,
            code: leaf.code,
            nameIt: leaf.nameIt,
            nameEn: leaf.nameEn,
            officeId: idOf(leaf.office ?? p.office),
            sortOrder: (i + 1) * 10,
          })),
        ),
      )
      .returning(['id', 'code'])
      .execute()
    const categoryId = new Map([...parents, ...leaves].map((c) => [c.code, c.id]))
    await seedSlaPolicies(trx, (code) => categoryId.get(code))

    const staff = await trx
      .insertInto('staffUsers')
      .values(
        users.map((u, i) => ({
          email: u.email,
          fullName: u.fullName,
          role: u.role,
          passwordHash: hashes[i] ?? '',
          language: 'it',
          extension: u.extension ?? null,
        })),
      )
      .returning(['id', 'email'])
      .execute()
    const staffId = new Map(staff.map((s) => [s.email, s.id]))
    const memberships = users.flatMap((u) =>
      (u.offices ?? []).map((code) => ({ staffUserId: staffId.get(u.email) ?? 0, officeId: idOf(code) })),
    )
    if (memberships.length > 0) await trx.insertInto('staffOffices').values(memberships).execute()
    await seedQueueAssignment(trx)

    log(
      `seed: reference data: ${offices.length} offices, ${parents.length + leafCategories().length} categories, ` +
        `${OFFICES.length + SHARED_QUEUES.length} queues, ${staff.length} staff users`,
    )
    return true
  })
}

// ---------------------------------------------------------------- cases

/** Reads back what cases refer to, so adding cases works on any seeded database. */
async function loadWorld(db: Database): Promise<SeedWorld> {
  const [offices, queues, categories, staff] = await Promise.all([
    db.selectFrom('offices').select(['id', 'code']).where('active', '=', true).execute(),
    db.selectFrom('queues').select(['id', 'code', 'officeId']).where('active', '=', true).execute(),
    db.selectFrom('categories').select(['id', 'code', 'officeId']).where('active', '=', true).execute(),
    db
      .selectFrom('staffUsers as u')
      .leftJoin('staffOffices as so', 'so.staffUserId', 'u.id')
      .select(['u.id', 'u.role', 'so.officeId'])
      .where('u.active', '=', true)
      .orderBy('u.id')
      .execute(),
  ])
  const leaves = new Map(leafCategories().map((l) => [l.code, l]))
  const officeByCode = new Map(offices.map((o) => [o.code, o.id]))

  const queueByOffice = new Map<number, number>()
  for (const q of queues)
    if (q.officeId !== null && !queueByOffice.has(q.officeId)) queueByOffice.set(q.officeId, q.id)

  const staffByOffice = new Map<number, number[]>()
  const operatorIds: number[] = []
  const fieldWorkerIds: number[] = []
  for (const s of staff) {
    if (s.role === 'office_staff' && s.officeId !== null) {
      const list = staffByOffice.get(s.officeId) ?? []
      list.push(s.id)
      staffByOffice.set(s.officeId, list)
    } else if (s.role === 'operator') {
      operatorIds.push(s.id)
    } else if (s.role === 'field_worker') {
      fieldWorkerIds.push(s.id)
    }
  }
  const urp = officeByCode.get('urp')
  const urpStaff = urp === undefined ? [] : (staffByOffice.get(urp) ?? [])

  return {
    categories: categories.flatMap((c) => {
      const leaf = leaves.get(c.code)
      return leaf
        ? [
            {
              id: c.id,
              code: c.code,
              officeId: c.officeId,
              weight: leaf.weight,
              located: leaf.located,
              pressing: leaf.pressing ?? false,
            },
          ]
        : []
    }),
    queueByOffice,
    triageQueueId: queues.find((q) => q.code === 'triage')?.id ?? null,
    callCentreQueueId: queues.find((q) => q.code === 'call-centre')?.id ?? null,
    staffByOffice,
    fieldOffices: new Set(FIELD_OFFICES.flatMap((code) => officeByCode.get(code) ?? [])),
    operatorIds,
    fieldWorkerIds,
    counterStaffIds: urpStaff.length > 0 ? urpStaff : operatorIds,
  }
}

/**
 * Takes `count` numbers per year from case_number_counters at once, so seeded cases
 * never collide with cases created meanwhile and later cases continue after them.
 * Returns the first reserved number of each year.
 */
async function reserveNumbers(
  db: Database,
  countsByYear: ReadonlyMap<number, number>,
): Promise<Map<number, number>> {
  // Years in order, so concurrent reservations lock counter rows in the same order.
  const years = [...countsByYear.keys()].sort((a, b) => a - b)
  return db.transaction().execute(async (trx) => {
    const first = new Map<number, number>()
    for (const year of years) {
      const count = countsByYear.get(year) ?? 0
      const { lastValue } = await trx
        .insertInto('caseNumberCounters')
        .values({ year, lastValue: count })
        .onConflict((oc) =>
          oc.column('year').doUpdateSet((eb) => ({
            lastValue: eb('caseNumberCounters.lastValue', '+', eb.ref('excluded.lastValue')),
          })),
        )
        .returning('lastValue')
        .executeTakeFirstOrThrow()
      first.set(year, lastValue - count + 1)
    }
    return first
  })
}

const seconds = (ms: number): number => ms / 1000
const nullableSeconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000)

/** Writes one batch (its new contacts, its cases, their events) in one transaction; returns the new contacts' ids. */
async function insertBatch(db: Database, batch: CaseBatch): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const contacts = batch.newContacts
    let contactIds: number[] = []
    if (contacts.length > 0) {
      // Ids drawn from the sequence first, so each case knows its contact's id without relying on RETURNING order.
      const { rows } = await sql<{ id: number }>`
        select nextval(pg_get_serial_sequence('contacts', 'id')) as id from generate_series(1, ${contacts.length})
      `.execute(trx)
      contactIds = rows.map((r) => Number(r.id))
      await sql`
        insert into contacts (id, kind, first_name, last_name, organisation_name, fiscal_code, vat_number,
                              email, phone, preferred_channel, language, created_at, updated_at)
        overriding system value
        select id, kind, first_name, last_name, organisation_name, fiscal_code, vat_number,
               email, phone, preferred_channel, language, to_timestamp(created_at), to_timestamp(created_at)
        from unnest(
          ${contactIds}::int8[], ${contacts.map((c) => c.kind)}::text[], ${contacts.map((c) => c.firstName)}::text[],
          ${contacts.map((c) => c.lastName)}::text[], ${contacts.map((c) => c.organisationName)}::text[],
          ${contacts.map((c) => c.fiscalCode)}::text[], ${contacts.map((c) => c.vatNumber)}::text[],
          ${contacts.map((c) => c.email)}::text[], ${contacts.map((c) => c.phone)}::text[],
          ${contacts.map((c) => c.preferredChannel)}::text[], ${contacts.map((c) => c.language)}::text[],
          ${batch.newContactCreatedAt.map(seconds)}::float8[]
        ) as u(id, kind, first_name, last_name, organisation_name, fiscal_code, vat_number,
               email, phone, preferred_channel, language, created_at)
      `.execute(trx)
    }
    const c = batch.cases
    const contactId = c.contactId.map((id, i) => {
      const index = batch.newContactIndex[i] ?? -1
      return index >= 0 ? (contactIds[index] ?? null) : id
    })
    // The cases and their timeline in one statement: 'created' for all, 'acknowledged' once
    // the pipeline would have seen them, 'status_changed' for the ones already resolved or closed.
    await sql`
      with c as (
        insert into cases (number, subject, description, channel, status, priority, category_id, queue_id, office_id,
                           assignee_id, contact_id, latitude, longitude, address, civic_number, tags,
                           first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at,
                           created_by, version, created_at, updated_at)
        select number, subject, description, channel, status, priority, category_id, queue_id, office_id,
               assignee_id, contact_id, latitude, longitude, address, civic_number,
               case when tags = '' then '{}'::text[] else string_to_array(tags, ',') end,
               to_timestamp(first_response_due_at), to_timestamp(resolution_due_at), to_timestamp(first_responded_at),
               to_timestamp(resolved_at), to_timestamp(closed_at), created_by, version,
               to_timestamp(created_at), to_timestamp(updated_at)
        from unnest(
          ${c.number}::text[], ${c.subject}::text[], ${c.description}::text[], ${c.channel}::text[],
          ${c.status}::text[], ${c.priority}::text[], ${c.categoryId}::int8[], ${c.queueId}::int8[],
          ${c.officeId}::int8[], ${c.assigneeId}::int8[], ${contactId}::int8[], ${c.latitude}::float8[],
          ${c.longitude}::float8[], ${c.address}::text[], ${c.civicNumber}::text[], ${c.tags}::text[],
          ${c.firstResponseDueAt.map(seconds)}::float8[], ${c.resolutionDueAt.map(seconds)}::float8[],
          ${c.firstRespondedAt.map(nullableSeconds)}::float8[], ${c.resolvedAt.map(nullableSeconds)}::float8[],
          ${c.closedAt.map(nullableSeconds)}::float8[], ${c.createdBy}::int8[], ${c.version}::int4[],
          ${c.createdAt.map(seconds)}::float8[], ${c.updatedAt.map(seconds)}::float8[]
        ) as u(number, subject, description, channel, status, priority, category_id, queue_id, office_id,
               assignee_id, contact_id, latitude, longitude, address, civic_number, tags,
               first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at,
               created_by, version, created_at, updated_at)
        returning id, number, channel, subject, priority, status, created_by, assignee_id,
                  created_at, resolved_at, closed_at
      )
      insert into case_events (case_id, kind, actor_id, data, dedupe_key, created_at)
      select id, 'created', created_by,
             jsonb_build_object('number', number, 'channel', channel, 'subject', subject, 'priority', priority),
             null, created_at
      from c
      union all
      select id, 'acknowledged', null, jsonb_build_object('number', number), 'acknowledged',
             created_at + make_interval(secs => 1 + id % 20)
      from c where status <> 'new'
      union all
      select id, 'status_changed', assignee_id, '{"from": "in_progress", "to": "resolved"}'::jsonb, null, resolved_at
      from c where resolved_at is not null
      union all
      select id, 'status_changed', null, '{"from": "resolved", "to": "closed"}'::jsonb, null, closed_at
      from c where closed_at is not null
    `.execute(trx)
    return contactIds
  })
}

async function seedCases(db: Database, opts: SeedOptions, log: (line: string) => void): Promise<number> {
  const count = opts.cases
  if (count === 0) return 0
  const started = performance.now()
  const now = (opts.now ?? new Date()).getTime()
  const prefix = opts.numberPrefix ?? 'PRA'

  const [world, existing, maxCase] = await Promise.all([
    loadWorld(db),
    db.selectFrom('contacts').select(['id', 'language']).orderBy('id').execute(),
    db
      .selectFrom('cases')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst(),
  ])
  // A different default seed for every run, so adding cases does not repeat the first run's people.
  const random = opts.random ?? mulberry32(0x5eedf110 + Number(maxCase?.id ?? 0))
  const pool: ContactPool = {
    ids: existing.map((c) => c.id),
    english: existing.map((c) => c.language === 'en'),
  }

  const times = creationTimes(random, count, now, DEMO_HISTORY_DAYS)
  const years = new Int32Array(count)
  const countsByYear = new Map<number, number>()
  for (let i = 0; i < count; i++) {
    const year = new Date(times[i] ?? now).getUTCFullYear()
    years[i] = year
    countsByYear.set(year, (countsByYear.get(year) ?? 0) + 1)
  }
  const nextNumber = await reserveNumbers(db, countsByYear)

  const generator = new CaseGenerator(random, world, now)
  const inflight: { promise: Promise<number[]>; batch: CaseBatch }[] = []
  let done = 0
  let lastLog = started
  // New contacts join the pool only once their batch is committed (a later batch may point at them),
  // and always in batch order, so the same seed gives the same data whatever the timing.
  const settle = async (): Promise<void> => {
    const entry = inflight.shift()
    if (!entry) return
    const ids = await entry.promise
    ids.forEach((id, k) => {
      pool.ids.push(id)
      pool.english.push(entry.batch.newContacts[k]?.language === 'en')
    })
    done += entry.batch.cases.number.length
    const t = performance.now()
    if (t - lastLog > 2000) {
      lastLog = t
      log(
        `seed: ${done.toLocaleString('en')}/${count.toLocaleString('en')} cases (${rate(done, t - started)}/s)`,
      )
    }
  }

  try {
    for (let start = 0; start < count; start += BATCH_SIZE) {
      const end = Math.min(start + BATCH_SIZE, count)
      const numbers: string[] = []
      for (let i = start; i < end; i++) {
        const year = years[i] ?? 0
        const n = nextNumber.get(year) ?? 1
        nextNumber.set(year, n + 1)
        numbers.push(`${prefix}-${year}-${String(n).padStart(6, '0')}`)
      }
      const batch = generator.batch(times.subarray(start, end), numbers, pool)
      const promise = insertBatch(db, batch)
      // Marked handled now; the error still surfaces when settle() awaits it.
      promise.catch(() => {})
      inflight.push({ promise, batch })
      if (inflight.length >= CONCURRENCY) await settle()
    }
    while (inflight.length > 0) await settle()
  } catch (err) {
    // Let the other batch finish or fail before reporting, so no transaction is left running.
    await Promise.allSettled(inflight.map((e) => e.promise))
    throw err
  }

  await seedSlaState(db, Number(maxCase?.id ?? 0))
  // Fresh statistics, and the SLA pass's dead row versions cleared, so the first queries on a
  // big seed get good plans and lean index scans without waiting for autovacuum.
  if (count >= 10_000) await sql`vacuum analyze cases, case_events, contacts`.execute(db)
  const elapsed = performance.now() - started
  // A rate only means something once the fixed costs (reading the reference data, reserving numbers) are amortised.
  const speed = count >= 1000 ? ` (${rate(count, elapsed)}/s)` : ''
  log(`seed: ${count.toLocaleString('en')} cases in ${(elapsed / 1000).toFixed(1)} s${speed}`)
  return count
}

const rate = (n: number, ms: number): string => Math.round((n * 1000) / Math.max(ms, 1)).toLocaleString('en')

// ---------------------------------------------------------------- routing rules

/** Two demo routing rules: potholes to Lavori Pubblici, noise in the centre to Polizia Municipale. */
function demoRoutingRules(
  idOf: (code: OfficeCode) => number,
  queueOf: (code: OfficeCode) => number | undefined,
) {
  const centro = PRATO_AREAS.find((a) => a.key === 'prato_centro')
  const rule = (name: string, position: number, conditions: object, office: OfficeCode) => ({
    name,
    position,
    conditions: JSON.stringify(conditions),
    actions: JSON.stringify({
      officeId: idOf(office),
      ...(queueOf(office) ? { queueId: queueOf(office) } : {}),
    }),
  })
  return [
    rule('Buche e asfalto', 10, { words: { any: ['buca', 'buche', 'asfalto'] } }, 'lavori-pubblici'),
    ...(centro
      ? [
          rule(
            'Rumore in centro',
            20,
            { area: centro.geometry, words: { any: ['rumore', 'schiamazzi'] } },
            'polizia-municipale',
          ),
        ]
      : []),
  ]
}
