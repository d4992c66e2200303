import { type Selectable, sql } from 'kysely'
import type { Executor } from '../db/db.ts'
import type { Contacts } from '../db/schema.gen.ts'
import { asList, COUNT_CAP, type ListQuery, type ListResult } from '../list.ts'
import type { AddressEntry } from './contact.input.ts'
import type {
  ConsentInput,
  ContactFilter,
  ContactSort,
  ContactView,
  DuplicateReason,
  MembershipView,
} from './contact.schemas.ts'

export type ContactRow = Selectable<Contacts>

/** "First Last" for a person, the ragione sociale for an organisation. */
export function displayNameOf(row: {
  kind: string
  firstName: string | null
  lastName: string | null
  organisationName: string | null
}): string {
  if (row.kind === 'organisation') return row.organisationName ?? ''
  return [row.firstName, row.lastName].filter(Boolean).join(' ')
}

export async function findContact(db: Executor, id: number): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The contact row locked for the rest of the transaction (updates and merges). */
export async function lockContact(db: Executor, id: number): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Views of contacts with their addresses, consents and memberships: five queries for any number of rows. */
export async function toContactViews(db: Executor, rows: ContactRow[]): Promise<ContactView[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [emails, phones, consents, organisations, members] = await Promise.all([
    db
      .selectFrom('contactEmails')
      .select(['contactId', 'email', 'label', 'isPrimary', 'verified'])
      .where('contactId', 'in', ids)
      .orderBy('isPrimary', 'desc')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('contactPhones')
      .select(['contactId', 'phone', 'label', 'isPrimary', 'verified'])
      .where('contactId', 'in', ids)
      .orderBy('isPrimary', 'desc')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('contactConsents')
      .select(['contactId', 'kind', 'granted', 'at', 'source'])
      .where('contactId', 'in', ids)
      .orderBy('kind')
      .execute(),
    db
      .selectFrom('organisationMembers as m')
      .innerJoin('contacts as o', 'o.id', 'm.organisationId')
      .select([
        'm.personId as ownerId',
        'o.id',
        'o.kind',
        'o.firstName',
        'o.lastName',
        'o.organisationName',
        'm.role',
      ])
      .where('m.personId', 'in', ids)
      .orderBy('o.organisationName')
      .execute(),
    db
      .selectFrom('organisationMembers as m')
      .innerJoin('contacts as p', 'p.id', 'm.personId')
      .select([
        'm.organisationId as ownerId',
        'p.id',
        'p.kind',
        'p.firstName',
        'p.lastName',
        'p.organisationName',
        'm.role',
      ])
      .where('m.organisationId', 'in', ids)
      .orderBy('p.lastName')
      .orderBy('p.firstName')
      .execute(),
  ])
  const byOwner = <T>(items: T[], owner: (item: T) => number) => {
    const map = new Map<number, T[]>()
    for (const item of items) {
      const key = owner(item)
      const list = map.get(key)
      if (list) list.push(item)
      else map.set(key, [item])
    }
    return (id: number): T[] => map.get(id) ?? []
  }
  const emailsOf = byOwner(emails, (e) => e.contactId)
  const phonesOf = byOwner(phones, (p) => p.contactId)
  const consentsOf = byOwner(consents, (c) => c.contactId)
  const organisationsOf = byOwner(organisations, (m) => m.ownerId)
  const membersOf = byOwner(members, (m) => m.ownerId)
  const membership = (m: (typeof organisations)[number]): MembershipView => ({
    contactId: m.id,
    displayName: displayNameOf(m),
    role: m.role,
  })
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as ContactView['kind'],
    displayName: displayNameOf(row),
    firstName: row.firstName,
    lastName: row.lastName,
    organisationName: row.organisationName,
    fiscalCode: row.fiscalCode,
    vatNumber: row.vatNumber,
    email: row.email,
    phone: row.phone,
    emails: emailsOf(row.id).map(({ contactId: _, ...e }) => e),
    phones: phonesOf(row.id).map(({ contactId: _, ...p }) => p),
    preferredChannel: row.preferredChannel as ContactView['preferredChannel'],
    language: row.language as ContactView['language'],
    consents: consentsOf(row.id).map((c) => ({
      kind: c.kind as ContactView['consents'][number]['kind'],
      granted: c.granted,
      at: c.at.toISOString(),
      source: c.source,
    })),
    organisations: organisationsOf(row.id).map(membership),
    members: membersOf(row.id).map(membership),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  }))
}

/** Escapes LIKE's wildcards so that user text matches literally. */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Normalised lookups the service has already validated: an email, an E.164 phone, a fiscal code. */
export interface ContactLookups {
  email?: string
  phone?: string
  fiscalCode?: string
  /** `q` read as an email address or a phone number, when it is one. */
  qEmail?: string
  qPhone?: string
}

function filtered(db: Executor, filter: ContactFilter, lookups: ContactLookups) {
  // Merged contacts live on only as pointers to their survivor: lists never show them.
  let q = db.selectFrom('contacts').where('contacts.mergedIntoId', 'is', null)
  if (filter.id !== undefined) q = q.where('contacts.id', 'in', asList(filter.id))
  if (filter.kind !== undefined) q = q.where('contacts.kind', '=', filter.kind)
  if (lookups.fiscalCode !== undefined) q = q.where('contacts.fiscalCode', '=', lookups.fiscalCode)
  const email = lookups.email
  if (email !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contactEmails as ce')
          .select('ce.id')
          .whereRef('ce.contactId', '=', 'contacts.id')
          .where('ce.email', '=', email),
      ),
    )
  }
  const phone = lookups.phone
  if (phone !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contactPhones as cp')
          .select('cp.id')
          .whereRef('cp.contactId', '=', 'contacts.id')
          .where('cp.phone', '=', phone),
      ),
    )
  }
  const organisationId = filter.organisationId
  if (organisationId !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('organisationMembers as om')
          .select('om.personId')
          .whereRef('om.personId', '=', 'contacts.id')
          .where('om.organisationId', '=', organisationId),
      ),
    )
  }
  const text = filter.q?.trim()
  if (text) {
    const { qEmail, qPhone } = lookups
    const words = text.split(/\s+/).slice(0, 8)
    const code = text.replace(/\s/g, '').toUpperCase()
    q = q.where((eb) => {
      // Every word somewhere in the folded name: "rossi mario" finds Mario Rossi, "niccolo" Niccolò.
      const byName = eb.and(
        words.map(
          (w) =>
            sql<boolean>`contacts.name_key like '%' || lower(contacts_unaccent(${likeEscape(w)})) || '%'`,
        ),
      )
      const alternatives = [byName]
      if (/^[A-Z0-9]{11,16}$/.test(code)) {
        alternatives.push(eb('contacts.fiscalCode', '=', code), eb('contacts.vatNumber', '=', code))
      }
      if (qEmail) {
        alternatives.push(
          eb.exists(
            eb
              .selectFrom('contactEmails as qe')
              .select('qe.id')
              .whereRef('qe.contactId', '=', 'contacts.id')
              .where('qe.email', '=', qEmail),
          ),
        )
      }
      if (qPhone) {
        alternatives.push(
          eb.exists(
            eb
              .selectFrom('contactPhones as qp')
              .select('qp.id')
              .whereRef('qp.contactId', '=', 'contacts.id')
              .where('qp.phone', '=', qPhone),
          ),
        )
      }
      return eb.or(alternatives)
    })
  }
  return q
}

export async function listContacts(
  db: Executor,
  query: ListQuery<ContactFilter, ContactSort>,
  lookups: ContactLookups,
): Promise<ListResult<ContactRow>> {
  const base = filtered(db, query.filter, lookups)
  const [rows, count] = await Promise.all([
    base
      .selectAll('contacts')
      .orderBy(`contacts.${query.sort}`, query.order)
      .orderBy('contacts.id', query.order)
      .offset(query.offset)
      .limit(query.limit)
      .execute(),
    db
      .selectFrom(
        base
          .select(sql.lit(1).as('one'))
          .limit(COUNT_CAP + 1)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: Math.min(count.n, COUNT_CAP), exact: count.n <= COUNT_CAP }
}

/** A live person holding `fiscalCode`, other than `exceptId`. */
export async function findPersonByFiscalCode(
  db: Executor,
  fiscalCode: string,
  exceptId?: number,
): Promise<{ id: number } | undefined> {
  let q = db
    .selectFrom('contacts')
    .select('id')
    .where('fiscalCode', '=', fiscalCode)
    .where('kind', '=', 'person')
    .where('mergedIntoId', 'is', null)
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId)
  return q.orderBy('id').executeTakeFirst()
}

/**
 * Serialises writers of one codice fiscale until the transaction ends, so two
 * concurrent creations cannot both find the code free.
 */
export async function lockFiscalCode(trx: Executor, fiscalCode: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`contacts.fiscal_code:${fiscalCode}`}))`.execute(trx)
}

/** Names are similar above this trigram similarity (pg_trgm, 0–1). */
export const NAME_SIMILARITY = 0.6
const MAX_SUGGESTIONS = 20

export interface DuplicateCandidate {
  row: ContactRow
  reasons: DuplicateReason[]
  nameSimilarity: number
}

/**
 * Live contacts that may be the same as `contact`: the same codice fiscale or
 * partita IVA, a shared email address or phone number, or (same kind) a name
 * with trigram similarity above NAME_SIMILARITY. Strongest evidence first.
 */
export async function findDuplicateCandidates(
  db: Executor,
  contact: ContactRow,
): Promise<DuplicateCandidate[]> {
  const sharedEmail = db
    .selectFrom('contactEmails as oe')
    .innerJoin('contactEmails as ce', 'ce.email', 'oe.email')
    .select('oe.contactId')
    .where('ce.contactId', '=', contact.id)
  const sharedPhone = db
    .selectFrom('contactPhones as op')
    .innerJoin('contactPhones as cp', 'cp.phone', 'op.phone')
    .select('op.contactId')
    .where('cp.contactId', '=', contact.id)
  const nameKey = contact.nameKey ?? ''
  const rows = await db
    .selectFrom('contacts as o')
    .selectAll('o')
    .select((eb) => [
      eb('o.id', 'in', sharedEmail).as('sameEmail'),
      eb('o.id', 'in', sharedPhone).as('samePhone'),
      sql<number>`similarity(o.name_key, ${nameKey})`.as('nameSimilarity'),
    ])
    .where('o.id', '<>', contact.id)
    .where('o.mergedIntoId', 'is', null)
    .where((eb) => {
      const alternatives = [eb('o.id', 'in', sharedEmail), eb('o.id', 'in', sharedPhone)]
      if (contact.fiscalCode) alternatives.push(eb('o.fiscalCode', '=', contact.fiscalCode))
      if (contact.vatNumber) alternatives.push(eb('o.vatNumber', '=', contact.vatNumber))
      if (nameKey) {
        // `%` lets the trigram index find candidates (at pg_trgm's looser default threshold); the second test decides.
        alternatives.push(
          eb.and([
            eb('o.kind', '=', contact.kind),
            sql<boolean>`o.name_key % ${nameKey}`,
            sql<boolean>`similarity(o.name_key, ${nameKey}) > ${NAME_SIMILARITY}`,
          ]),
        )
      }
      return eb.or(alternatives)
    })
    .limit(200)
    .execute()
  const candidates = rows.map(({ sameEmail, samePhone, nameSimilarity, ...row }) => {
    const reasons: DuplicateReason[] = []
    if (contact.fiscalCode && row.fiscalCode === contact.fiscalCode) reasons.push('fiscal_code')
    if (contact.vatNumber && row.vatNumber === contact.vatNumber) reasons.push('vat_number')
    if (sameEmail) reasons.push('email')
    if (samePhone) reasons.push('phone')
    const similarity = Number(nameSimilarity)
    if (row.kind === contact.kind && similarity > NAME_SIMILARITY) reasons.push('similar_name')
    return { row, reasons, nameSimilarity: similarity }
  })
  return candidates
    .filter((c) => c.reasons.length > 0)
    .sort(
      (a, b) =>
        b.reasons.length - a.reasons.length || b.nameSimilarity - a.nameSimilarity || a.row.id - b.row.id,
    )
    .slice(0, MAX_SUGGESTIONS)
}

/** Makes the contact's email addresses exactly `entries`; the primary one is also written to contacts.email. */
export async function replaceEmails(
  trx: Executor,
  contactId: number,
  entries: AddressEntry[],
): Promise<void> {
  const primary = entries.find((e) => e.isPrimary)?.value ?? null
  // contacts.email first: its trigger moves the primary flag, so the upsert below never sees two primaries.
  await trx.updateTable('contacts').set({ email: primary }).where('id', '=', contactId).execute()
  let del = trx.deleteFrom('contactEmails').where('contactId', '=', contactId)
  if (entries.length)
    del = del.where(
      'email',
      'not in',
      entries.map((e) => e.value),
    )
  await del.execute()
  if (entries.length === 0) return
  await trx
    .insertInto('contactEmails')
    .values(
      entries.map((e) => ({
        contactId,
        email: e.value,
        label: e.label,
        isPrimary: e.isPrimary,
        verified: e.verified,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['contactId', 'email']).doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        isPrimary: eb.ref('excluded.isPrimary'),
        verified: eb.ref('excluded.verified'),
      })),
    )
    .execute()
}

/** Makes the contact's phone numbers exactly `entries`; the primary one is also written to contacts.phone. */
export async function replacePhones(
  trx: Executor,
  contactId: number,
  entries: AddressEntry[],
): Promise<void> {
  const primary = entries.find((e) => e.isPrimary)?.value ?? null
  await trx.updateTable('contacts').set({ phone: primary }).where('id', '=', contactId).execute()
  let del = trx.deleteFrom('contactPhones').where('contactId', '=', contactId)
  if (entries.length)
    del = del.where(
      'phone',
      'not in',
      entries.map((e) => e.value),
    )
  await del.execute()
  if (entries.length === 0) return
  await trx
    .insertInto('contactPhones')
    .values(
      entries.map((e) => ({
        contactId,
        phone: e.value,
        label: e.label,
        isPrimary: e.isPrimary,
        verified: e.verified,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['contactId', 'phone']).doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        isPrimary: eb.ref('excluded.isPrimary'),
        verified: eb.ref('excluded.verified'),
      })),
    )
    .execute()
}

/** Sets the consents named; a consent keeps its date when re-sent unchanged, so `at` is when it last changed. */
export async function setConsents(
  trx: Executor,
  contactId: number,
  consents: ConsentInput[],
  recordedBy: number,
): Promise<void> {
  if (consents.length === 0) return
  const byKind = new Map(consents.map((c) => [c.kind, c]))
  await trx
    .insertInto('contactConsents')
    .values(
      [...byKind.values()].map((c) => ({
        contactId,
        kind: c.kind,
        granted: c.granted,
        source: c.source ?? null,
        recordedBy,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['contactId', 'kind'])
        .doUpdateSet((eb) => ({
          granted: eb.ref('excluded.granted'),
          source: eb.ref('excluded.source'),
          recordedBy: eb.ref('excluded.recordedBy'),
          at: sql<Date>`now()`,
        }))
        .where((eb) => eb('contactConsents.granted', 'is distinct from', eb.ref('excluded.granted'))),
    )
    .execute()
}

/** Makes the organisations a person acts for exactly `memberships`. */
export async function replaceMemberships(
  trx: Executor,
  personId: number,
  memberships: { organisationId: number; role: string | null }[],
): Promise<void> {
  let del = trx.deleteFrom('organisationMembers').where('personId', '=', personId)
  if (memberships.length)
    del = del.where(
      'organisationId',
      'not in',
      memberships.map((m) => m.organisationId),
    )
  await del.execute()
  if (memberships.length === 0) return
  await trx
    .insertInto('organisationMembers')
    .values(memberships.map((m) => ({ personId, organisationId: m.organisationId, role: m.role })))
    .onConflict((oc) =>
      oc.columns(['personId', 'organisationId']).doUpdateSet((eb) => ({ role: eb.ref('excluded.role') })),
    )
    .execute()
}
