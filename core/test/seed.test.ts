import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextCaseNumber } from '../src/cases/case.repository.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import { verifyPassword } from '../src/iam/password.ts'
import { routingRuleProblems } from '../src/routing/rule.schemas.ts'
import { MAX_SEED_CASES, parseSeedArgs, SeedUsageError } from '../src/seed/seed.args.ts'
import {
  fiscalCode,
  fiscalCodeCheckChar,
  isValidFiscalCode,
  isValidVatNumber,
  vatCheckDigit,
} from '../src/seed/seed.codes.ts'
import { CATEGORIES, OFFICES, SHARED_QUEUES } from '../src/seed/seed.data.ts'
import { CaseGenerator, creationTimes, type SeedWorld } from '../src/seed/seed.generate.ts'
import { mulberry32 } from '../src/seed/seed.random.ts'
import { DEMO_HISTORY_DAYS, DEMO_PASSWORD, DEMO_USERS, EXTRA_STAFF, seedDemo } from '../src/seed/seed.ts'

// Late January: the 120 days of history straddle New Year, so two years' counters are exercised.
const NOW = new Date('2027-01-20T10:00:00Z')
const LEAVES = CATEGORIES.reduce((n, p) => n + p.children.length, 0)

let t: TestDb
beforeAll(async () => {
  t = await createTestDb()
})
afterAll(async () => {
  await t?.drop()
})

async function referenceCounts() {
  const count = async (table: 'offices' | 'queues' | 'categories' | 'staffUsers' | 'staffOffices') =>
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n
  return {
    offices: await count('offices'),
    queues: await count('queues'),
    categories: await count('categories'),
    staffUsers: await count('staffUsers'),
    staffOffices: await count('staffOffices'),
  }
}

const caseCount = async (): Promise<number> =>
  (
    await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n

/** Highest case number used per year, read from the numbers themselves. */
async function highestNumbers(): Promise<Map<number, number>> {
  const { rows } = await sql<{ year: number; highest: number }>`
    select split_part(number, '-', 2)::int as year, max(split_part(number, '-', 3)::int) as highest
    from cases group by 1
  `.execute(t.db)
  return new Map(rows.map((r) => [r.year, r.highest]))
}

async function counters(): Promise<Map<number, number>> {
  const rows = await t.db.selectFrom('caseNumberCounters').selectAll().execute()
  return new Map(rows.map((r) => [r.year, r.lastValue]))
}

describe('codice fiscale and partita IVA', () => {
  it('computes the check character of well-known codes', () => {
    // The textbook example, checked by hand: odd places sum to 80, even places to 42; 122 mod 26 = 18, S.
    expect(fiscalCodeCheckChar('RSSMRA85T10A562')).toBe('S')
    expect(isValidFiscalCode('RSSMRA85T10A562S')).toBe(true)
    expect(isValidFiscalCode('RSSMRA85T10A562T')).toBe(false)
    expect(isValidFiscalCode('RSSMRA85T10A562')).toBe(false)
  })

  it('builds whole codes as the Agenzia delle Entrate does, checked by hand', () => {
    expect(
      fiscalCode({
        firstName: 'Mario',
        lastName: 'Rossi',
        sex: 'M',
        birthYear: 1985,
        birthMonth: 12,
        birthDay: 10,
        birthPlace: 'A562',
      }),
    ).toBe('RSSMRA85T10A562S')
    // Women's day plus 40; GIULIA has two consonants, so vowels fill in: GLI.
    expect(
      fiscalCode({
        firstName: 'Giulia',
        lastName: 'Bianchi',
        sex: 'F',
        birthYear: 1990,
        birthMonth: 3,
        birthDay: 25,
        birthPlace: 'G999',
      }),
    ).toBe('BNCGLI90C65G999I')
    // Four or more consonants in the first name: first, third and fourth (G-N-F-R → GFR).
    expect(
      fiscalCode({
        firstName: 'Gianfranco',
        lastName: 'Bardazzi',
        sex: 'M',
        birthYear: 1962,
        birthMonth: 7,
        birthDay: 4,
        birthPlace: 'G999',
      }),
    ).toBe('BRDGFR62L04G999R')
    // A short surname is padded with X; born in China (Z210).
    expect(
      fiscalCode({
        firstName: 'Wei',
        lastName: 'Hu',
        sex: 'M',
        birthYear: 1980,
        birthMonth: 1,
        birthDay: 15,
        birthPlace: 'Z210',
      }),
    ).toBe('HUXWEI80A15Z210L')
  })

  it('computes the partita IVA check digit', () => {
    // Odd places 0+2+4+6+8 = 20, even places doubled 2+6+(10-9)+(14-9)+(18-9) = 23: 43, so 7.
    expect(vatCheckDigit('0123456789')).toBe('7')
    expect(isValidVatNumber('01234567897')).toBe(true)
    expect(isValidVatNumber('01234567890')).toBe(false)
    expect(() => vatCheckDigit('12345')).toThrow(RangeError)
  })
})

describe('pnpm db:seed arguments', () => {
  it('accepts --cases N and --cases=N, and nothing', () => {
    expect(parseSeedArgs([])).toEqual({ cases: undefined })
    expect(parseSeedArgs(['--cases', '1000000'])).toEqual({ cases: 1_000_000 })
    expect(parseSeedArgs(['--', '--cases=1_000'])).toEqual({ cases: 1000 })
  })

  it('refuses what is not a whole number from 1 to the maximum, saying why', () => {
    for (const bad of ['0', '-5', '1.5', 'abc', '', String(MAX_SEED_CASES + 1)]) {
      expect(() => parseSeedArgs(['--cases', bad])).toThrow(
        /--cases must be a whole number from 1 to 5,000,000/,
      )
    }
    expect(() => parseSeedArgs(['--cases'])).toThrow(SeedUsageError)
    expect(() => parseSeedArgs(['--case', '5'])).toThrow(/unknown argument "--case"/)
  })
})

describe('case generation', () => {
  it('is deterministic for a given seed', () => {
    const world: SeedWorld = {
      categories: [
        { id: 1, code: 'strade.buche', officeId: 1, weight: 1, located: true, pressing: false },
        { id: 2, code: 'tributi.tari', officeId: 2, weight: 1, located: false, pressing: false },
      ],
      queueByOffice: new Map([
        [1, 11],
        [2, 12],
      ]),
      triageQueueId: 13,
      callCentreQueueId: 14,
      staffByOffice: new Map([[1, [21]]]),
      fieldOffices: new Set([1]),
      operatorIds: [22],
      fieldWorkerIds: [23],
      counterStaffIds: [22],
    }
    const run = (seed: number) => {
      const random = mulberry32(seed)
      const now = NOW.getTime()
      const times = creationTimes(random, 200, now, DEMO_HISTORY_DAYS)
      const numbers = Array.from({ length: 200 }, (_, i) => `PRA-2026-${String(i + 1).padStart(6, '0')}`)
      return new CaseGenerator(random, world, now).batch(times, numbers, { ids: [], english: [] })
    }
    expect(run(7)).toEqual(run(7))
    expect(run(7).cases.subject).not.toEqual(run(8).cases.subject)
  })
})

describe('seedDemo', () => {
  it('writes the reference data once, however often it runs', async () => {
    const first = await seedDemo(t.db, { cases: 300, random: mulberry32(1), now: NOW })
    expect(first).toEqual({ skipped: false, cases: 300 })
    const counts = await referenceCounts()
    expect(counts).toEqual({
      offices: OFFICES.length,
      queues: OFFICES.length + SHARED_QUEUES.length,
      categories: CATEGORIES.length + LEAVES,
      staffUsers: DEMO_USERS.length + EXTRA_STAFF.length,
      // ufficio@ works for two offices, every extra colleague for one.
      staffOffices: 2 + EXTRA_STAFF.length,
    })

    const again = await seedDemo(t.db, { cases: 300, random: mulberry32(2), now: NOW })
    expect(again).toEqual({ skipped: true, cases: 0 })
    expect(await referenceCounts()).toEqual(counts)
    expect(await caseCount()).toBe(300)
  })

  it('creates one account per role that logs in with the demo password', async () => {
    for (const user of DEMO_USERS) {
      const row = await t.db
        .selectFrom('staffUsers')
        .select(['role', 'fullName', 'passwordHash', 'active'])
        .where('email', '=', user.email)
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({ role: user.role, fullName: user.fullName, active: true })
      expect(await verifyPassword(row.passwordHash, DEMO_PASSWORD)).toBe(true)
      expect(await verifyPassword(row.passwordHash, 'filo-demo-2025')).toBe(false)
    }
    expect(new Set(DEMO_USERS.map((u) => u.role))).toEqual(
      new Set(['admin', 'supervisor', 'operator', 'office_staff', 'field_worker']),
    )
    const admin = DEMO_USERS.find((u) => u.role === 'admin')
    expect(admin).toMatchObject({ email: 'admin@filo.demo', fullName: 'Amministratore Demo' })

    const offices = await t.db
      .selectFrom('staffOffices as so')
      .innerJoin('staffUsers as u', 'u.id', 'so.staffUserId')
      .innerJoin('offices as o', 'o.id', 'so.officeId')
      .select('o.code')
      .where('u.email', '=', 'ufficio@filo.demo')
      .orderBy('o.code')
      .execute()
    expect(offices.map((o) => o.code)).toEqual(['lavori-pubblici', 'verde-pubblico'])
  })

  it('builds a category tree whose every leaf has an office with a queue', async () => {
    const categories = await t.db.selectFrom('categories').selectAll().execute()
    const byId = new Map(categories.map((c) => [c.id, c]))
    const leaves = categories.filter((c) => c.parentId !== null)
    expect(leaves).toHaveLength(LEAVES)
    for (const leaf of leaves) {
      const parent = byId.get(leaf.parentId ?? 0)
      expect(parent?.parentId).toBeNull()
      expect(leaf.code.startsWith(`${parent?.code}.`)).toBe(true)
      expect(leaf.officeId).not.toBeNull()
      expect(leaf.nameIt).not.toBe('')
      expect(leaf.nameEn).not.toBe('')
    }
    const queues = await t.db
      .selectFrom('queues')
      .leftJoin('offices', 'offices.id', 'queues.officeId')
      .select(['queues.code', 'offices.code as officeCode'])
      .execute()
    for (const office of OFFICES)
      expect(queues).toContainEqual({ code: office.code, officeCode: office.code })
    expect(queues).toContainEqual({ code: 'call-centre', officeCode: null })
    expect(queues).toContainEqual({ code: 'triage', officeCode: null })
  })

  it('adds two valid demo routing rules', async () => {
    const rules = await t.db.selectFrom('routingRules').selectAll().orderBy('position').execute()
    expect(rules.map((r) => r.name)).toEqual(['Buche e asfalto', 'Rumore in centro'])
    for (const r of rules) {
      const rule = { id: r.id, name: r.name, order: r.position, enabled: r.enabled }
      expect(routingRuleProblems({ ...rule, conditions: r.conditions, actions: r.actions })).toEqual([])
    }
  })

  it('gives every person a valid codice fiscale and every business a valid partita IVA', async () => {
    const contacts = await t.db.selectFrom('contacts').selectAll().execute()
    const people = contacts.filter((c) => c.kind === 'person')
    const businesses = contacts.filter((c) => c.kind === 'organisation')
    expect(people.length).toBeGreaterThan(50)
    expect(businesses.length).toBeGreaterThan(0)
    const codes = people.flatMap((p) => (p.fiscalCode ? [p.fiscalCode] : []))
    expect(codes.length).toBeGreaterThan(people.length / 2)
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$/)
      expect(fiscalCodeCheckChar(code.slice(0, 15)), code).toBe(code.charAt(15))
    }
    for (const b of businesses) expect(isValidVatNumber(b.vatNumber ?? ''), b.vatNumber ?? '').toBe(true)
    for (const c of contacts) {
      if (c.phone) expect(c.phone).toMatch(/^\+39\d{9,10}$/)
      if (c.email) expect(c.email).toBe(c.email.toLowerCase())
    }
    expect(people.some((p) => p.language === 'en')).toBe(true)
  })

  it('routes every case to the office of its category, in that office queue or a shared one', async () => {
    const { rows } = await sql<{ problems: number }>`
      select count(*)::int as problems
      from cases c
      left join categories k on k.id = c.category_id
      left join queues q on q.id = c.queue_id
      where c.queue_id is null
         or (c.office_id is not null and (k.office_id is distinct from c.office_id or q.office_id <> c.office_id))
         or (c.office_id is null and q.code not in ('triage', 'call-centre'))
         or (c.category_id is not null and k.parent_id is null)
    `.execute(t.db)
    expect(rows[0]?.problems).toBe(0)

    // An assignee works for the case's office, or is a field worker sent out on it.
    const { rows: strays } = await sql<{ n: number }>`
      select count(*)::int as n from cases c join staff_users u on u.id = c.assignee_id
      where c.office_id is not null and u.role <> 'field_worker'
        and not exists (select 1 from staff_offices so where so.staff_user_id = u.id and so.office_id = c.office_id)
    `.execute(t.db)
    expect(strays[0]?.n).toBe(0)
    const assigned = await t.db
      .selectFrom('cases')
      .innerJoin('staffUsers', 'staffUsers.id', 'cases.assigneeId')
      .select('staffUsers.email')
      .where('staffUsers.role', '=', 'office_staff')
      .execute()
    expect(assigned.some((a) => a.email === 'ufficio@filo.demo')).toBe(true)
  })

  it('spreads cases over channels, statuses and the last 120 days, with a coherent lifecycle', async () => {
    const cases = await t.db.selectFrom('cases').selectAll().execute()
    const tally = (key: 'channel' | 'status' | 'priority') => {
      const m = new Map<string, number>()
      for (const c of cases) m.set(c[key], (m.get(c[key]) ?? 0) + 1)
      return m
    }
    const channels = tally('channel')
    expect(Math.max(...channels.values())).toBe(channels.get('phone'))
    expect(channels.size).toBeGreaterThanOrEqual(6)
    expect(tally('status').size).toBeGreaterThanOrEqual(7)
    expect(Math.max(...tally('priority').values())).toBe(tally('priority').get('normal'))

    const oldest = NOW.getTime() - DEMO_HISTORY_DAYS * 86_400_000
    for (const c of cases) {
      const created = c.createdAt.getTime()
      expect(created).toBeGreaterThanOrEqual(oldest)
      expect(created).toBeLessThanOrEqual(NOW.getTime())
      const done = c.status === 'resolved' || c.status === 'closed'
      expect(c.resolvedAt !== null, c.number).toBe(done)
      expect(c.closedAt !== null, c.number).toBe(c.status === 'closed')
      if (c.resolvedAt) expect(c.resolvedAt.getTime()).toBeGreaterThanOrEqual(created)
      if (c.closedAt && c.resolvedAt)
        expect(c.closedAt.getTime()).toBeGreaterThanOrEqual(c.resolvedAt.getTime())
      expect(c.updatedAt.getTime()).toBeLessThanOrEqual(NOW.getTime())
      if (c.latitude !== null && c.longitude !== null) {
        expect(c.latitude).toBeGreaterThan(43.84)
        expect(c.latitude).toBeLessThan(43.91)
        expect(c.longitude).toBeGreaterThan(11.04)
        expect(c.longitude).toBeLessThan(11.14)
        expect(c.address).not.toBeNull()
      }
    }
  })

  it('gives every case its timeline and no outbox rows', async () => {
    const { rows } = await sql<{ status: string; created: number; acknowledged: number; changes: number }>`
      select c.status,
             count(*) filter (where e.kind = 'created')::int as created,
             count(*) filter (where e.kind = 'acknowledged' and e.dedupe_key = 'acknowledged')::int as acknowledged,
             count(*) filter (where e.kind = 'status_changed')::int as changes
      from cases c join case_events e on e.case_id = c.id
      group by c.id, c.status
    `.execute(t.db)
    expect(rows).toHaveLength(await caseCount())
    for (const r of rows) {
      expect(r.created).toBe(1)
      expect(r.acknowledged).toBe(r.status === 'new' ? 0 : 1)
      expect(r.changes).toBe(r.status === 'closed' ? 2 : r.status === 'resolved' ? 1 : 0)
    }
    const created = await t.db
      .selectFrom('caseEvents')
      .innerJoin('cases', 'cases.id', 'caseEvents.caseId')
      .select(['caseEvents.data', 'cases.number', 'cases.subject'])
      .where('caseEvents.kind', '=', 'created')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(created.data).toMatchObject({ number: created.number, subject: created.subject })
    const outbox = await t.db.selectFrom('outbox').select('id').execute()
    expect(outbox).toEqual([])
  })

  it('numbers cases uniquely per year, with counters at the highest number used', async () => {
    const { rows } = await sql<{ n: number; distinct: number }>`
      select count(*)::int as n, count(distinct number)::int as distinct from cases
    `.execute(t.db)
    expect(rows[0]?.distinct).toBe(rows[0]?.n)
    const highest = await highestNumbers()
    // The history straddles New Year: both years are numbered, each from 1.
    expect([...highest.keys()].sort()).toEqual([2026, 2027])
    const numbers = (await t.db.selectFrom('cases').select('number').execute()).map((r) => r.number)
    for (const n of numbers) expect(n).toMatch(/^PRA-(2026|2027)-\d{6}$/)
    expect(numbers).toContain('PRA-2026-000001')
    expect(numbers).toContain('PRA-2027-000001')
    const counted = await counters()
    for (const [year, max] of highest) expect(counted.get(year)).toBeGreaterThanOrEqual(max)
  })

  it('adds cases to a seeded database when asked, numbering after the existing ones', async () => {
    const reference = await referenceCounts()
    const before = await highestNumbers()
    const existing = new Set((await t.db.selectFrom('cases').select('number').execute()).map((r) => r.number))

    const more = await seedDemo(t.db, {
      cases: 1200,
      whenSeeded: 'add-cases',
      random: mulberry32(3),
      now: NOW,
    })
    expect(more).toEqual({ skipped: true, cases: 1200 })
    expect(await referenceCounts()).toEqual(reference)
    expect(await caseCount()).toBe(existing.size + 1200)

    const added = (await t.db.selectFrom('cases').select('number').execute())
      .map((r) => r.number)
      .filter((n) => !existing.has(n))
    expect(added).toHaveLength(1200)
    for (const [year, max] of before) {
      const first = added.filter((n) => n.startsWith(`PRA-${year}-`)).sort()[0]
      expect(first).toBe(`PRA-${year}-${String(max + 1).padStart(6, '0')}`)
    }
    const after = await highestNumbers()
    const counted = await counters()
    for (const [year, max] of after) expect(counted.get(year)).toBe(max)

    // A case created live afterwards takes the next number, colliding with none.
    const next = await nextCaseNumber(t.db, 'PRA', 2027)
    expect(next).toBe(`PRA-2027-${String((after.get(2027) ?? 0) + 1).padStart(6, '0')}`)
  })
})
