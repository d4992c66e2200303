import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCaseService } from '../src/cases/case.service.ts'
import { createTestDb, type TestDb } from '../src/db/test-db.ts'
import { DomainError } from '../src/errors.ts'
import type { InboundMessage } from '../src/ingest/inbound.schemas.ts'
import { ingest } from '../src/ingest/ingest.service.ts'
import { createUser } from './fixtures.ts'

let testDb: TestDb
beforeAll(async () => {
  testDb = await createTestDb()
})
afterAll(() => testDb.drop())

const opts = { caseNumberPrefix: 'TST' }
let seq = 0
const unique = () => `${Date.now()}-${++seq}`

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'email',
    externalId: `<${unique()}@mail.example>`,
    sender: { email: `cittadino-${unique()}@example.it`, name: 'Mario Rossi' },
    subject: 'Buca in via Roma',
    text: 'C’è una buca profonda davanti al civico 12.',
    html: '<p>C’è una buca profonda davanti al civico 12.</p>',
    receivedAt: '2026-03-02T08:15:00Z',
    rawRef: 'raw/2026/03/02/abc.eml',
    ...overrides,
  }
}

const count = async (table: 'cases' | 'caseMessages' | 'contacts' | 'outbox' | 'auditLog') => {
  const row = await testDb.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('ingest', () => {
  it('creates a case, a contact, the message and the case.created outbox row', async () => {
    const input = message({ location: { latitude: 43.88, longitude: 11.1, address: 'Via Roma' } })
    const result = await ingest(testDb.db, input, opts)
    expect(result.outcome).toBe('created')
    const { db } = testDb
    const caseRow = await db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', result.caseId)
      .executeTakeFirstOrThrow()
    expect(caseRow).toMatchObject({
      subject: 'Buca in via Roma',
      channel: 'email',
      description: input.text,
      contactId: result.contactId,
      latitude: 43.88,
      address: 'Via Roma',
      createdBy: null,
    })
    const contact = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', result.contactId ?? 0)
      .executeTakeFirstOrThrow()
    expect(contact).toMatchObject({ firstName: 'Mario', lastName: 'Rossi', email: input.sender.email })
    const stored = await db
      .selectFrom('caseMessages')
      .selectAll()
      .where('id', '=', result.messageId)
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      caseId: result.caseId,
      direction: 'in',
      externalId: input.externalId,
      bodyHtml: input.html,
      rawRef: input.rawRef,
    })
    expect(stored.receivedAt.toISOString()).toBe('2026-03-02T08:15:00.000Z')
    const outbox = await db.selectFrom('outbox').select(['jobName', 'payload']).execute()
    expect(outbox).toContainEqual({ jobName: 'case.created', payload: { caseId: result.caseId } })
    const events = await db
      .selectFrom('caseEvents')
      .select('kind')
      .where('caseId', '=', result.caseId)
      .execute()
    expect(events.map((e) => e.kind)).toEqual(['created'])
    const audit = await db
      .selectFrom('auditLog')
      .select(['actorId'])
      .where('action', '=', 'case.create')
      .where('entityId', '=', result.caseId)
      .execute()
    expect(audit).toEqual([{ actorId: null }])
  })

  it('returns the first ids for the same (channel, externalId) again, writing nothing', async () => {
    const input = message()
    const first = await ingest(testDb.db, input, opts)
    const before = await Promise.all([count('cases'), count('caseMessages'), count('outbox')])
    const again = await ingest(testDb.db, { ...input, text: 'redelivered' }, opts)
    expect(again).toEqual({ ...first, outcome: 'duplicate' })
    expect(await Promise.all([count('cases'), count('caseMessages'), count('outbox')])).toEqual(before)
  })

  it('gives one case and one message for 10 concurrent identical deliveries', async () => {
    const input = message({ threadKey: `thread-${unique()}` })
    const results = await Promise.all(Array.from({ length: 10 }, () => ingest(testDb.db, input, opts)))
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(9)
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1)
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1)
    const messages = await testDb.db
      .selectFrom('caseMessages')
      .select('id')
      .where('externalId', '=', input.externalId)
      .execute()
    expect(messages).toHaveLength(1)
    const contacts = await testDb.db
      .selectFrom('contactEmails')
      .select('contactId')
      .where('email', '=', input.sender.email ?? '')
      .execute()
    expect(contacts).toHaveLength(1)
  })

  it('threads a second message with the same thread key into the first case', async () => {
    const threadKey = `<root-${unique()}@mail.example>`
    const first = await ingest(testDb.db, message({ threadKey }), opts)
    const reply = await ingest(
      testDb.db,
      message({ threadKey, subject: 'Re: Buca in via Roma', sender: { email: 'altro@example.it' } }),
      opts,
    )
    expect(reply.outcome).toBe('threaded')
    expect(reply.caseId).toBe(first.caseId)
    expect(reply.messageId).not.toBe(first.messageId)
    const events = await testDb.db
      .selectFrom('caseEvents')
      .select(['kind', 'data'])
      .where('caseId', '=', first.caseId)
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.kind)).toEqual(['created', 'message_received'])
    expect(events[1]?.data).toMatchObject({ messageId: reply.messageId })
    // Same key on another channel is another thread.
    const otherChannel = await ingest(testDb.db, message({ threadKey, channel: 'web' }), opts)
    expect(otherChannel.outcome).toBe('created')
  })

  it('lands a message threaded into a merged case in the case it was merged into', async () => {
    const threadKey = `thread-${unique()}`
    const duplicate = await ingest(testDb.db, message({ threadKey }), opts)
    const target = await ingest(testDb.db, message(), opts)
    const admin = await createUser(testDb.db, 'admin')
    const cases = createCaseService(testDb.db, opts)
    await cases.merge(admin, duplicate.caseId, { targetId: target.caseId, version: 1 })
    const late = await ingest(testDb.db, message({ threadKey }), opts)
    expect(late).toMatchObject({ outcome: 'threaded', caseId: target.caseId })
  })

  it('matches the sender by codice fiscale, then email, then phone', async () => {
    const { db } = testDb
    const person = await db
      .insertInto('contacts')
      .values({
        firstName: 'Giovanna',
        lastName: 'Bianchi',
        fiscalCode: 'BNCGNN75C41G999P',
        email: 'giovanna.bianchi@example.it',
        phone: '+390574123456',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const byCode = await ingest(
      db,
      message({ channel: 'web', sender: { fiscalCode: 'bncgnn75c41g999p', email: 'nuova@example.it' } }),
      opts,
    )
    const byEmail = await ingest(db, message({ sender: { email: 'Giovanna.Bianchi@Example.IT' } }), opts)
    const byPhone = await ingest(db, message({ channel: 'phone', sender: { phone: '0574 123456' } }), opts)
    expect([byCode.contactId, byEmail.contactId, byPhone.contactId]).toEqual([
      person.id,
      person.id,
      person.id,
    ])
  })

  it('creates no contact when nothing identifies the sender', async () => {
    const before = await count('contacts')
    const result = await ingest(testDb.db, message({ channel: 'counter', sender: { name: 'Anonimo' } }), opts)
    expect(result).toMatchObject({ outcome: 'created', contactId: null })
    expect(await count('contacts')).toBe(before)
  })

  it('refuses invalid input, naming the field, and writes nothing', async () => {
    const before = await Promise.all([
      count('cases'),
      count('caseMessages'),
      count('contacts'),
      count('outbox'),
    ])
    const cases: [unknown, string][] = [
      [{ ...message(), subject: 'x'.repeat(301) }, 'subject'],
      [{ ...message(), text: 'x'.repeat(100_001) }, 'text'],
      [{ ...message(), html: 'x'.repeat(500_001) }, 'html'],
      [{ ...message(), channel: 'fax' }, 'channel'],
      [{ ...message(), externalId: undefined }, 'externalId'],
      [{ ...message(), receivedAt: 'yesterday' }, 'receivedAt'],
      [message({ sender: { email: 'not-an-email' } }), 'sender/email'],
      [message({ sender: { fiscalCode: 'RSSMRA80A01D612X' } }), 'sender/fiscalCode'],
      [message({ sender: { phone: '12' } }), 'sender/phone'],
    ]
    for (const [input, field] of cases) {
      const error = await ingest(testDb.db, input, opts).catch((e: unknown) => e)
      expect(error, field).toBeInstanceOf(DomainError)
      expect(error, field).toMatchObject({ kind: 'invalid', code: 'ingest_invalid', params: { field } })
    }
    expect(
      await Promise.all([count('cases'), count('caseMessages'), count('contacts'), count('outbox')]),
    ).toEqual(before)
  })
})
