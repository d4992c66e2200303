import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import { listCases, toCaseView } from '../cases/case.repository.ts'
import type { CaseView } from '../cases/case.schemas.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import {
  cleanText,
  normaliseEmail,
  normaliseEmails,
  normaliseFiscalCode,
  normalisePhone,
  normalisePhones,
  normaliseVatNumber,
} from './contact.input.ts'
import {
  type ContactLookups,
  type ContactRow,
  findContact,
  findDuplicateCandidates,
  findPersonByFiscalCode,
  listContacts,
  lockContact,
  lockFiscalCode,
  replaceEmails,
  replaceMemberships,
  replacePhones,
  setConsents,
  toContactViews,
} from './contact.repository.ts'
import type {
  CONTACT_HISTORY_SORTS,
  ContactFilter,
  ContactHistoryFilter,
  ContactSort,
  ContactView,
  CreateContactBody,
  DuplicateView,
  MembershipInput,
  UpdateContactBody,
} from './contact.schemas.ts'
import { toE164 } from './phone.ts'

export type ContactService = ReturnType<typeof createContactService>

/** Who may change contacts; everyone else on the staff (field workers) only reads them. */
const EDITORS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']

const assertMayEdit = (actor: Actor): void => {
  if (!EDITORS.includes(actor.role)) {
    throw new DomainError('forbidden', 'contact_edit_forbidden', `role ${actor.role} may not change contacts`)
  }
}

const contactNotFound = (id: number) =>
  new DomainError('not_found', 'contact_not_found', `contact ${id} not found`, { params: { id } })

/**
 * A merged contact answers 404 with code contact_merged and details.mergedIntoId:
 * the client follows the pointer itself. Answering with the survivor instead would
 * hand react-admin a record whose id differs from the one it asked for, and let a
 * stale screen edit the survivor believing it edits the duplicate.
 */
const contactMerged = (id: number, mergedIntoId: number) =>
  new DomainError('not_found', 'contact_merged', `contact ${id} was merged into ${mergedIntoId}`, {
    params: { id, mergedIntoId },
    details: { mergedIntoId },
  })

/** A live contact, or the reason there is none. */
function live(row: ContactRow | undefined, id: number): ContactRow {
  if (!row) throw contactNotFound(id)
  if (row.mergedIntoId !== null) throw contactMerged(id, row.mergedIntoId)
  return row
}

async function viewOf(db: Executor, row: ContactRow): Promise<ContactView> {
  const [view] = await toContactViews(db, [row])
  if (!view) throw new Error(`contact ${row.id} has no view`)
  return view
}

interface Scalars {
  firstName: string | null
  lastName: string | null
  organisationName: string | null
  fiscalCode: string | null
  vatNumber: string | null
}

/** Each kind needs its name; the database checks it too, but without a message a person can read. */
function assertNamed(kind: string, s: Scalars): void {
  if (kind === 'person' && !s.firstName && !s.lastName)
    throw new DomainError('invalid', 'contact_name_required', 'a person needs a name')
  if (kind === 'organisation' && !s.organisationName)
    throw new DomainError('invalid', 'organisation_name_required', 'an organisation needs a name')
}

/** Two live people never share a codice fiscale; checked under a lock on the code. */
async function assertFiscalCodeFree(trx: Executor, kind: string, fiscalCode: string | null, selfId?: number) {
  if (kind !== 'person' || !fiscalCode) return
  await lockFiscalCode(trx, fiscalCode)
  const holder = await findPersonByFiscalCode(trx, fiscalCode, selfId)
  if (holder) {
    throw new DomainError('conflict', 'fiscal_code_taken', `fiscal code held by contact ${holder.id}`, {
      params: { fiscalCode, id: holder.id },
      details: { contactId: holder.id },
    })
  }
}

async function assertOrganisations(trx: Executor, kind: string, memberships: MembershipInput[] | undefined) {
  if (!memberships || memberships.length === 0) return
  if (kind !== 'person')
    throw new DomainError('invalid', 'membership_person_only', 'only people join organisations')
  for (const m of memberships) {
    const org = await trx
      .selectFrom('contacts')
      .select(['kind', 'mergedIntoId'])
      .where('id', '=', m.organisationId)
      .executeTakeFirst()
    if (!org || org.mergedIntoId !== null || org.kind !== 'organisation') {
      throw new DomainError(
        'invalid',
        'membership_not_organisation',
        `${m.organisationId} is not an organisation`,
        {
          params: { id: m.organisationId },
        },
      )
    }
  }
}

/** Writes the lists a create or update carries; lists left out stay as they are. */
async function writeLists(
  trx: Executor,
  actor: Actor,
  id: number,
  input: Pick<CreateContactBody, 'emails' | 'phones' | 'consents' | 'organisations'>,
) {
  if (input.emails) await replaceEmails(trx, id, normaliseEmails(input.emails))
  if (input.phones) await replacePhones(trx, id, normalisePhones(input.phones))
  if (input.consents) await setConsents(trx, id, input.consents, actor.id)
  if (input.organisations) {
    const unique = new Map(input.organisations.map((m) => [m.organisationId, m.role ?? null]))
    await replaceMemberships(
      trx,
      id,
      [...unique].map(([organisationId, role]) => ({ organisationId, role })),
    )
  }
}

/** Filter values people type (an email, a phone, a codice fiscale) in the spelling they are stored in. */
function lookupsOf(filter: ContactFilter): ContactLookups {
  const lookups: ContactLookups = {}
  if (filter.email !== undefined) lookups.email = normaliseEmail(filter.email)
  if (filter.phone !== undefined) lookups.phone = normalisePhone(filter.phone)
  if (filter.fiscalCode !== undefined) lookups.fiscalCode = filter.fiscalCode.replace(/\s/g, '').toUpperCase()
  const text = filter.q?.trim()
  if (text?.includes('@')) lookups.qEmail = text.toLowerCase()
  // Only digit-looking text is tried as a phone: libphonenumber would read letters as a keypad.
  else if (text && /^[+\d][\d\s./-]{5,}$/.test(text)) {
    const phone = toE164(text)
    if (phone) lookups.qPhone = phone
  }
  return lookups
}

/**
 * Contacts (CRM): people and organisations, their addresses, consents and
 * memberships. Every read of personal data and every change is in the audit log.
 */
export function createContactService(db: Database) {
  return {
    async create(actor: Actor, input: CreateContactBody): Promise<ContactView> {
      const scalars: Scalars = {
        firstName: cleanText(input.firstName),
        lastName: cleanText(input.lastName),
        organisationName: cleanText(input.organisationName),
        fiscalCode: input.fiscalCode ? normaliseFiscalCode(input.fiscalCode) : null,
        vatNumber: input.vatNumber ? normaliseVatNumber(input.vatNumber) : null,
      }
      assertNamed(input.kind, scalars)
      // Validate the lists before the transaction: a typo never costs a lock.
      if (input.emails) normaliseEmails(input.emails)
      if (input.phones) normalisePhones(input.phones)
      return db.transaction().execute(async (trx) => {
        await assertFiscalCodeFree(trx, input.kind, scalars.fiscalCode)
        await assertOrganisations(trx, input.kind, input.organisations)
        const created = await trx
          .insertInto('contacts')
          .values({
            kind: input.kind,
            ...scalars,
            preferredChannel: input.preferredChannel ?? null,
            language: input.language ?? 'it',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await writeLists(trx, actor, created.id, input)
        const view = await viewOf(trx, live(await findContact(trx, created.id), created.id))
        await recordAudit(trx, actor, {
          action: 'contact.create',
          entityType: 'contact',
          entityId: view.id,
          after: view,
        })
        return view
      })
    },

    /** One contact; the read itself is audited (contact.read). */
    async get(actor: Actor, id: number): Promise<ContactView> {
      const view = await viewOf(db, live(await findContact(db, id), id))
      await recordAudit(db, actor, { action: 'contact.read', entityType: 'contact', entityId: id })
      return view
    },

    /**
     * Changes the fields given. `expectedVersion` is the version the caller read:
     * when someone changed the contact since, nothing is written and the error
     * carries the current state (details.current) so the caller can redo the edit.
     */
    async update(
      actor: Actor,
      id: number,
      input: UpdateContactBody,
      expectedVersion: number | undefined,
    ): Promise<ContactView> {
      assertMayEdit(actor)
      if (expectedVersion === undefined)
        throw new DomainError('invalid', 'contact_version_required', 'no version given')
      if (input.emails) normaliseEmails(input.emails)
      if (input.phones) normalisePhones(input.phones)
      return db.transaction().execute(async (trx) => {
        const row = live(await lockContact(trx, id), id)
        const before = await viewOf(trx, row)
        if (row.version !== expectedVersion) {
          // The answer shows the contact, so it is a read; logged outside the transaction this error rolls back.
          await recordAudit(db, actor, { action: 'contact.read', entityType: 'contact', entityId: id })
          throw new DomainError(
            'conflict',
            'contact_version_conflict',
            `contact ${id} is at version ${row.version}`,
            {
              params: { current: row.version },
              details: { current: before },
            },
          )
        }
        const pick = <K extends keyof Scalars>(
          key: K,
          clean: (raw: string) => string | null,
        ): string | null => {
          const given = input[key]
          if (given === undefined) return row[key]
          return given === null ? null : clean(given)
        }
        const scalars: Scalars = {
          firstName: pick('firstName', cleanText),
          lastName: pick('lastName', cleanText),
          organisationName: pick('organisationName', cleanText),
          fiscalCode: pick('fiscalCode', (v) => (v.trim() ? normaliseFiscalCode(v) : null)),
          vatNumber: pick('vatNumber', (v) => (v.trim() ? normaliseVatNumber(v) : null)),
        }
        assertNamed(row.kind, scalars)
        if (scalars.fiscalCode !== row.fiscalCode)
          await assertFiscalCodeFree(trx, row.kind, scalars.fiscalCode, id)
        await assertOrganisations(trx, row.kind, input.organisations)
        await trx
          .updateTable('contacts')
          .set({
            ...scalars,
            ...(input.preferredChannel !== undefined && { preferredChannel: input.preferredChannel }),
            ...(input.language !== undefined && { language: input.language }),
            version: row.version + 1,
            updatedAt: new Date(),
          })
          .where('id', '=', id)
          .execute()
        await writeLists(trx, actor, id, input)
        const after = await viewOf(trx, live(await findContact(trx, id), id))
        await recordAudit(trx, actor, {
          action: 'contact.update',
          entityType: 'contact',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },

    /** A page of live contacts; the page is audited as one contact.list entry naming the ids shown. */
    async list(actor: Actor, query: ListQuery<ContactFilter, ContactSort>): Promise<ListResult<ContactView>> {
      const result = await listContacts(db, query, lookupsOf(query.filter))
      const rows = await toContactViews(db, result.rows)
      if (rows.length > 0) {
        await recordAudit(db, actor, {
          action: 'contact.list',
          entityType: 'contact',
          entityId: null,
          after: { ids: rows.map((r) => r.id) },
        })
      }
      return { ...result, rows }
    },

    /**
     * Every case of the contact, whatever the channel, newest first by default,
     * limited to the cases the actor may see (office staff: their offices').
     */
    async history(
      actor: Actor,
      id: number,
      query: ListQuery<ContactHistoryFilter, (typeof CONTACT_HISTORY_SORTS)[number]>,
    ): Promise<ListResult<CaseView>> {
      live(await findContact(db, id), id)
      const result = await listCases(db, actor, { ...query, filter: { ...query.filter, contactId: id } })
      return { ...result, rows: result.rows.map(toCaseView) }
    },

    /** Contacts that may be the same as this one, each with the reasons; audited as a contact.list read. */
    async duplicates(actor: Actor, id: number): Promise<DuplicateView[]> {
      const row = live(await findContact(db, id), id)
      const candidates = await findDuplicateCandidates(db, row)
      const views = await toContactViews(
        db,
        candidates.map((c) => c.row),
      )
      if (views.length > 0) {
        await recordAudit(db, actor, {
          action: 'contact.list',
          entityType: 'contact',
          entityId: null,
          after: { ids: views.map((v) => v.id), duplicatesOf: id },
        })
      }
      return candidates.flatMap((c, i) => {
        const contact = views[i]
        return contact ? [{ contact, reasons: c.reasons, nameSimilarity: c.nameSimilarity }] : []
      })
    },

    /**
     * Merges `duplicateId` into `survivorId` in one transaction: the duplicate's
     * cases, addresses, consents and memberships move to the survivor (the
     * survivor's own win on a clash), the survivor's empty fields are filled from
     * the duplicate, and the duplicate stays as a pointer (merged_into_id).
     */
    async merge(actor: Actor, survivorId: number, duplicateId: number): Promise<ContactView> {
      assertMayEdit(actor)
      if (survivorId === duplicateId) throw new DomainError('invalid', 'merge_same_contact', 'same contact')
      return db.transaction().execute(async (trx) => {
        // Both rows locked, lower id first, so two opposite merges cannot deadlock.
        const locked = new Map<number, ContactRow | undefined>()
        for (const id of [survivorId, duplicateId].sort((a, b) => a - b))
          locked.set(id, await lockContact(trx, id))
        const survivor = live(locked.get(survivorId), survivorId)
        const duplicate = live(locked.get(duplicateId), duplicateId)
        if (survivor.kind !== duplicate.kind)
          throw new DomainError('invalid', 'merge_kind_mismatch', 'kinds differ')
        const before = { survivor: await viewOf(trx, survivor), duplicate: await viewOf(trx, duplicate) }

        const moved = await trx
          .updateTable('cases')
          .set({ contactId: survivorId })
          .where('contactId', '=', duplicateId)
          .returning('id')
          .execute()
        const movedCaseIds = moved.map((c) => c.id).sort((a, b) => a - b)

        await trx
          .insertInto('contactEmails')
          .columns(['contactId', 'email', 'label', 'isPrimary', 'verified'])
          .expression((eb) =>
            eb
              .selectFrom('contactEmails')
              .select((s) => [
                s.val(survivorId).as('contactId'),
                'email',
                'label',
                s.val(false).as('isPrimary'),
                'verified',
              ])
              .where('contactId', '=', duplicateId),
          )
          .onConflict((oc) =>
            oc.columns(['contactId', 'email']).doUpdateSet(() => ({
              verified: sql<boolean>`contact_emails.verified or excluded.verified`,
            })),
          )
          .execute()
        await trx
          .insertInto('contactPhones')
          .columns(['contactId', 'phone', 'label', 'isPrimary', 'verified'])
          .expression((eb) =>
            eb
              .selectFrom('contactPhones')
              .select((s) => [
                s.val(survivorId).as('contactId'),
                'phone',
                'label',
                s.val(false).as('isPrimary'),
                'verified',
              ])
              .where('contactId', '=', duplicateId),
          )
          .onConflict((oc) =>
            oc.columns(['contactId', 'phone']).doUpdateSet(() => ({
              verified: sql<boolean>`contact_phones.verified or excluded.verified`,
            })),
          )
          .execute()
        // The most recent word on each consent wins, whoever it was given to.
        await trx
          .insertInto('contactConsents')
          .columns(['contactId', 'kind', 'granted', 'at', 'source', 'recordedBy'])
          .expression((eb) =>
            eb
              .selectFrom('contactConsents')
              .select((s) => [
                s.val(survivorId).as('contactId'),
                'kind',
                'granted',
                'at',
                'source',
                'recordedBy',
              ])
              .where('contactId', '=', duplicateId),
          )
          .onConflict((oc) =>
            oc
              .columns(['contactId', 'kind'])
              .doUpdateSet((eb) => ({
                granted: eb.ref('excluded.granted'),
                at: eb.ref('excluded.at'),
                source: eb.ref('excluded.source'),
                recordedBy: eb.ref('excluded.recordedBy'),
              }))
              .where((eb) => eb('excluded.at', '>', eb.ref('contactConsents.at'))),
          )
          .execute()
        await trx
          .insertInto('organisationMembers')
          .columns(['personId', 'organisationId', 'role'])
          .expression((eb) =>
            eb
              .selectFrom('organisationMembers')
              .select((s) => [
                s
                  .case()
                  .when('personId', '=', duplicateId)
                  .then(survivorId)
                  .else(s.ref('personId'))
                  .end()
                  .as('personId'),
                s
                  .case()
                  .when('organisationId', '=', duplicateId)
                  .then(survivorId)
                  .else(s.ref('organisationId'))
                  .end()
                  .as('organisationId'),
                'role',
              ])
              .where((w) => w.or([w('personId', '=', duplicateId), w('organisationId', '=', duplicateId)])),
          )
          .onConflict((oc) => oc.columns(['personId', 'organisationId']).doNothing())
          .execute()
        await trx.deleteFrom('contactEmails').where('contactId', '=', duplicateId).execute()
        await trx.deleteFrom('contactPhones').where('contactId', '=', duplicateId).execute()
        await trx.deleteFrom('contactConsents').where('contactId', '=', duplicateId).execute()
        await trx
          .deleteFrom('organisationMembers')
          .where((w) => w.or([w('personId', '=', duplicateId), w('organisationId', '=', duplicateId)]))
          .execute()

        const now = new Date()
        await trx
          .updateTable('contacts')
          .set({
            firstName: survivor.firstName ?? duplicate.firstName,
            lastName: survivor.lastName ?? duplicate.lastName,
            organisationName: survivor.organisationName ?? duplicate.organisationName,
            fiscalCode: survivor.fiscalCode ?? duplicate.fiscalCode,
            vatNumber: survivor.vatNumber ?? duplicate.vatNumber,
            email: survivor.email ?? duplicate.email,
            phone: survivor.phone ?? duplicate.phone,
            preferredChannel: survivor.preferredChannel ?? duplicate.preferredChannel,
            version: survivor.version + 1,
            updatedAt: now,
          })
          .where('id', '=', survivorId)
          .execute()
        await trx
          .updateTable('contacts')
          .set({ mergedIntoId: survivorId, mergedAt: now, version: duplicate.version + 1, updatedAt: now })
          .where('id', '=', duplicateId)
          .execute()
        // Contacts merged into the duplicate earlier now point straight at the survivor: one hop, always.
        await trx
          .updateTable('contacts')
          .set({ mergedIntoId: survivorId })
          .where('mergedIntoId', '=', duplicateId)
          .execute()

        const after = await viewOf(trx, live(await findContact(trx, survivorId), survivorId))
        for (const entityId of [survivorId, duplicateId]) {
          await recordAudit(trx, actor, {
            action: 'contact.merge',
            entityType: 'contact',
            entityId,
            before,
            after: { survivor: after, mergedFrom: duplicateId, movedCaseIds },
          })
        }
        return after
      })
    },
  }
}
