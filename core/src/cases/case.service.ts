import { sql } from 'kysely'
import { enqueueAssignment, enqueueDispatchAfterRelease, leftLoad } from '../assignment/assignment.service.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import { syncSla } from '../sla/sla.engine.ts'
import { writeNewCase } from './case.create.ts'
import { checkTransition, nextStatuses, statusTimestamps } from './case.lifecycle.ts'
import {
  CASE_COLUMNS,
  type CaseRow,
  findCase,
  insertEvent,
  listCases,
  listEvents,
  lockCase,
  toCaseView,
  visibleTo,
} from './case.repository.ts'
import type {
  CASE_SORTS,
  CaseEventView,
  CaseFilter,
  CaseLinkView,
  CaseView,
  CreateCaseBody,
  LinkBody,
  MergeBody,
  NoteBody,
  SimilarCaseView,
  StatusChangeBody,
  UpdateCaseBody,
} from './case.schemas.ts'
import { findSimilarCases } from './case.similar.ts'
import type { CaseStatus } from './case.values.ts'

export type CaseService = ReturnType<typeof createCaseService>

const REFERENCES = [
  ['categoryId', 'categories'],
  ['queueId', 'queues'],
  ['officeId', 'offices'],
  ['contactId', 'contacts'],
] as const

const caseNotFound = (id: number) =>
  new DomainError('not_found', 'case_not_found', `case ${id} not found`, { params: { id } })

const forbidden = (what: string) => new DomainError('forbidden', 'forbidden', what)

/** Statuses whose reaching counts as the first response to the citizen. */
const FIRST_RESPONSE_STATUSES: readonly CaseStatus[] = ['in_progress', 'waiting_citizen', 'resolved']

/** Roles that change cases beyond their status (field workers only report and close their work orders). */
const EDITORS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']

async function checkReferences(
  trx: Executor,
  input: Partial<Record<(typeof REFERENCES)[number][0], number | null>>,
) {
  for (const [field, table] of REFERENCES) {
    const id = input[field]
    if (id == null) continue
    const found = await trx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
    if (!found) {
      throw new DomainError('invalid', 'unknown_reference', `${field} ${id} does not exist`, {
        params: { field, id },
      })
    }
  }
}

/** The version an editor read must be the current one: otherwise 409 with the current state. */
function checkVersion(row: CaseRow, version: number | undefined): void {
  if (version === undefined) {
    throw new DomainError(
      'invalid',
      'case_version_required',
      'send the version you read (body.version or If-Match)',
    )
  }
  if (row.version !== version) {
    throw new DomainError(
      'conflict',
      'case_version_conflict',
      `case ${row.id} is at version ${row.version}, not ${version}`,
      {
        params: { number: row.number, version: row.version },
        details: { current: toCaseView(row) },
      },
    )
  }
}

function checkNotMerged(row: CaseRow): void {
  if (row.mergedIntoId !== null) {
    throw new DomainError('conflict', 'case_merged', `case ${row.id} was merged into ${row.mergedIntoId}`, {
      params: { number: row.number },
      details: { mergedIntoId: row.mergedIntoId },
    })
  }
}

function transitionError(from: CaseStatus, to: CaseStatus, role: Role): DomainError | null {
  const check = checkTransition(from, to, role)
  if (check.ok) return null
  return check.reason === 'illegal'
    ? new DomainError('conflict', 'illegal_transition', `cannot go from ${from} to ${to}`, {
        params: { from: `@status.${from}`, to: `@status.${to}` },
        details: { from, to },
      })
    : new DomainError('forbidden', 'transition_not_allowed', `${role} may not go from ${from} to ${to}`, {
        params: { from: `@status.${from}`, to: `@status.${to}` },
        details: { from, to, role },
      })
}

/** A single case as its reader sees it: with the statuses the reader may move it to. */
function withNextStatuses(actor: Actor, row: CaseRow): CaseView {
  const view = toCaseView(row)
  return { ...view, nextStatuses: row.mergedIntoId ? [] : nextStatuses(view.status, actor.role) }
}

const HANDLE = /(?:^|[\s(])@([a-z0-9][a-z0-9._-]{1,62})/gi

/**
 * Cases: every change is a timeline event, an audit entry and, where the pipeline
 * must act, an outbox row — all in the transaction of the change.
 */
export function createCaseService(db: Database, opts: { caseNumberPrefix: string }) {
  /** Locks a case the actor can see, or says it does not exist. */
  async function lockVisible(trx: Executor, actor: Actor, id: number): Promise<CaseRow> {
    const row = await lockCase(trx, actor, id)
    if (!row) throw caseNotFound(id)
    return row
  }

  async function audit(trx: Executor, actor: Actor, action: string, before: CaseRow | null, after: CaseRow) {
    await recordAudit(trx, actor, {
      action,
      entityType: 'case',
      entityId: after.id,
      before: before ? toCaseView(before) : undefined,
      after: toCaseView(after),
    })
  }

  return {
    async create(actor: Actor, input: CreateCaseBody): Promise<CaseView> {
      const subject = input.subject.trim()
      if (!subject) throw new DomainError('invalid', 'subject_blank', 'the subject is blank')
      if ((input.latitude === undefined) !== (input.longitude === undefined)) {
        throw new DomainError('invalid', 'coordinates_pair', 'latitude and longitude go together')
      }
      const row = await db.transaction().execute(async (trx) => {
        await checkReferences(trx, input)
        return writeNewCase(
          trx,
          actor,
          {
            subject,
            description: input.description ?? '',
            channel: input.channel,
            priority: input.priority ?? 'normal',
            categoryId: input.categoryId ?? null,
            queueId: input.queueId ?? null,
            officeId: input.officeId ?? null,
            contactId: input.contactId ?? null,
            latitude: input.latitude ?? null,
            longitude: input.longitude ?? null,
            address: input.address ?? null,
            civicNumber: input.civicNumber ?? null,
            tags: [...new Set(input.tags ?? [])],
          },
          opts.caseNumberPrefix,
        )
      })
      return toCaseView(row)
    },

    async get(actor: Actor, id: number): Promise<CaseView> {
      const row = await findCase(db, actor, id)
      if (!row) throw caseNotFound(id)
      return withNextStatuses(actor, row)
    },

    async list(
      actor: Actor,
      query: ListQuery<CaseFilter, (typeof CASE_SORTS)[number]>,
    ): Promise<ListResult<CaseView>> {
      const result = await listCases(db, actor, query)
      return { ...result, rows: result.rows.map(toCaseView) }
    },

    /** The timeline of a case the actor can see, oldest first. */
    async events(actor: Actor, caseId: number, ids?: number[]): Promise<CaseEventView[]> {
      const visible = await findCase(db, actor, caseId)
      if (!visible) throw caseNotFound(caseId)
      return listEvents(db, actor, caseId, ids)
    },

    /**
     * Changes fields of a case the actor can see, if nobody changed it since the
     * version the actor read. Setting an assignee on a new or open case assigns it;
     * removing the assignee of an assigned case puts it back in the queue.
     */
    async update(actor: Actor, id: number, input: UpdateCaseBody): Promise<CaseView> {
      if (!EDITORS.includes(actor.role)) throw forbidden('field workers cannot edit cases')
      const row = await db.transaction().execute(async (trx) => {
        const before = await lockVisible(trx, actor, id)
        checkVersion(before, input.version)
        checkNotMerged(before)
        const { version: _, ...fields } = input
        await checkReferences(trx, fields)
        if (fields.subject !== undefined) {
          fields.subject = fields.subject.trim()
          if (!fields.subject) throw new DomainError('invalid', 'subject_blank', 'the subject is blank')
        }
        if (fields.tags) fields.tags = [...new Set(fields.tags)]
        const latitude = fields.latitude === undefined ? before.latitude : fields.latitude
        const longitude = fields.longitude === undefined ? before.longitude : fields.longitude
        if ((latitude === null) !== (longitude === null)) {
          throw new DomainError('invalid', 'coordinates_pair', 'latitude and longitude go together')
        }
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const [key, to] of Object.entries(fields)) {
          const from = before[key as keyof CaseRow]
          if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to }
        }
        if (Object.keys(changes).length === 0) return before

        let status: CaseStatus = before.status as CaseStatus
        if ('assigneeId' in changes) {
          await checkAssignee(
            trx,
            actor,
            fields.assigneeId ?? null,
            fields.officeId === undefined ? before.officeId : fields.officeId,
          )
          if (fields.assigneeId != null && (status === 'new' || status === 'open')) status = 'assigned'
          if (fields.assigneeId == null && status === 'assigned') status = 'open'
        }
        const after = await trx
          .updateTable('cases')
          .set({ ...fields, status, version: before.version + 1, updatedAt: sql`now()` })
          .where('id', '=', id)
          .returning(CASE_COLUMNS)
          .executeTakeFirstOrThrow()

        const { assigneeId: assignment, ...otherChanges } = changes
        if (Object.keys(otherChanges).length) {
          await insertEvent(trx, {
            caseId: id,
            kind: 'updated',
            actorId: actor.id,
            data: { changes: otherChanges },
          })
        }
        if (assignment) {
          await insertEvent(trx, { caseId: id, kind: 'assigned', actorId: actor.id, data: assignment })
        }
        if (status !== before.status) {
          await insertEvent(trx, {
            caseId: id,
            kind: 'status_changed',
            actorId: actor.id,
            data: { from: before.status, to: status, cause: 'assignment' },
          })
        }
        await audit(trx, actor, 'case.update', before, after)
        // Another priority or category may mean another SLA policy.
        if ('priority' in changes || 'categoryId' in changes) await syncSla(trx, id)
        // Someone has room again, or the case waits in a new queue: the queues assign what waits.
        if (leftLoad(before, after)) await enqueueDispatchAfterRelease(trx, before.assigneeId, after.queueId)
        else if ('queueId' in changes && after.assigneeId === null)
          await enqueueAssignment(trx, id, after.queueId)
        return after
      })
      return withNextStatuses(actor, row)
    },

    /** Moves a case along its state machine; illegal moves name the current and requested status. */
    async changeStatus(actor: Actor, id: number, input: StatusChangeBody): Promise<CaseView> {
      const row = await db.transaction().execute(async (trx) => {
        const before = await lockVisible(trx, actor, id)
        checkVersion(before, input.version)
        checkNotMerged(before)
        const from = before.status as CaseStatus
        const error = transitionError(from, input.status, actor.role)
        if (error) throw error
        if (actor.role === 'field_worker' && before.assigneeId !== actor.id) {
          throw forbidden('field workers only close their own work orders')
        }
        const now = new Date()
        // Taking the case in hand, asking the citizen or answering them is the first response.
        const firstResponse =
          before.firstRespondedAt === null && FIRST_RESPONSE_STATUSES.includes(input.status)
            ? { firstRespondedAt: now }
            : {}
        const after = await trx
          .updateTable('cases')
          .set({
            status: input.status,
            ...statusTimestamps(input.status, now),
            ...firstResponse,
            version: before.version + 1,
            updatedAt: now,
          })
          .where('id', '=', id)
          .returning(CASE_COLUMNS)
          .executeTakeFirstOrThrow()
        const reopened = input.status === 'open' && (from === 'resolved' || from === 'closed')
        await insertEvent(trx, {
          caseId: id,
          kind: reopened ? 'reopened' : 'status_changed',
          actorId: actor.id,
          data: { from, to: input.status, ...(input.comment ? { comment: input.comment } : {}) },
        })
        await audit(trx, actor, 'case.status', before, after)
        await syncSla(trx, id, { now, restart: reopened })
        if (leftLoad(before, after)) await enqueueDispatchAfterRelease(trx, before.assigneeId, null)
        return after
      })
      return withNextStatuses(actor, row)
    },

    /** An internal note on the timeline; `@handle` (the part of a staff email before @) mentions a colleague. */
    async addNote(actor: Actor, id: number, input: NoteBody): Promise<CaseEventView> {
      const text = input.text.trim()
      if (!text) throw new DomainError('invalid', 'note_blank', 'the note is blank')
      const handles = [...text.matchAll(HANDLE)].map((m) => (m[1] ?? '').toLowerCase().replace(/[._-]+$/, ''))
      const eventId = await db.transaction().execute(async (trx) => {
        await lockVisible(trx, actor, id)
        const explicit = input.mentions ?? []
        const mentioned =
          explicit.length || handles.length
            ? await trx
                .selectFrom('staffUsers')
                .select(['id', 'fullName'])
                .where('active', '=', true)
                .where((eb) =>
                  eb.or([
                    ...(explicit.length ? [eb('id', 'in', explicit)] : []),
                    ...(handles.length ? [eb(sql<string>`split_part(email, '@', 1)`, 'in', handles)] : []),
                  ]),
                )
                .orderBy('id')
                .execute()
            : []
        const missing = explicit.filter((m) => !mentioned.some((u) => u.id === m))
        if (missing.length) {
          throw new DomainError('invalid', 'unknown_reference', `staff ${missing.join(', ')} not found`, {
            params: { field: 'mentions', id: missing.join(', ') },
          })
        }
        const eventId = await insertEvent(trx, {
          caseId: id,
          kind: 'note',
          actorId: actor.id,
          data: { text, mentions: mentioned },
        })
        await recordAudit(trx, actor, {
          action: 'case.note',
          entityType: 'case',
          entityId: id,
          after: { text, mentions: mentioned.map((m) => m.id) },
        })
        return eventId
      })
      const [event] = await listEvents(db, actor, id, eventId === null ? [] : [eventId])
      if (!event) throw caseNotFound(id)
      return event
    },

    /** Links this case to another one the actor can see. */
    async addLink(actor: Actor, id: number, input: LinkBody): Promise<CaseLinkView[]> {
      if (!EDITORS.includes(actor.role)) throw forbidden('field workers cannot link cases')
      if (input.targetId === id)
        throw new DomainError('invalid', 'link_to_itself', 'a case cannot be linked to itself')
      await db.transaction().execute(async (trx) => {
        const [first, second] = id < input.targetId ? [id, input.targetId] : [input.targetId, id]
        await lockVisible(trx, actor, first)
        await lockVisible(trx, actor, second)
        const [from, to, kind] =
          input.kind === 'parent'
            ? [input.targetId, id, 'child']
            : input.kind === 'related'
              ? [first, second, 'related']
              : [id, input.targetId, input.kind]
        if (kind === 'child') {
          const cycle = await trx
            .selectFrom('caseLinks')
            .select('id')
            .where('kind', '=', 'child')
            .where('fromCaseId', '=', to)
            .where('toCaseId', '=', from)
            .executeTakeFirst()
          if (cycle)
            throw new DomainError('conflict', 'link_cycle', 'a case cannot be the parent of its parent')
        }
        try {
          await trx
            .insertInto('caseLinks')
            .values({ fromCaseId: from, toCaseId: to, kind, createdBy: actor.id })
            .execute()
        } catch (err) {
          const constraint = (err as { constraint?: string }).constraint
          if (constraint === 'case_links_one_parent') {
            throw new DomainError('conflict', 'link_second_parent', 'this case already has a parent')
          }
          if ((err as { code?: string }).code === '23505') {
            throw new DomainError('conflict', 'link_exists', 'these cases are already linked this way')
          }
          throw err
        }
        // Both cases tell the same story: which case linked to which, and how.
        for (const caseId of [id, input.targetId]) {
          await insertEvent(trx, {
            caseId,
            kind: 'linked',
            actorId: actor.id,
            data: { kind: input.kind, from: id, to: input.targetId },
          })
        }
        await recordAudit(trx, actor, {
          action: 'case.link',
          entityType: 'case',
          entityId: id,
          after: { kind: input.kind, targetId: input.targetId },
        })
      })
      return this.links(actor, id)
    },

    /** The links of a case, each seen from it; cases the actor cannot see are left out. */
    async links(actor: Actor, id: number): Promise<CaseLinkView[]> {
      if (!(await findCase(db, actor, id))) throw caseNotFound(id)
      const rows = await db
        .selectFrom('caseLinks as l')
        .innerJoin('cases', (join) =>
          join.on((eb) =>
            eb.or([
              eb.and([eb('l.fromCaseId', '=', id), eb('cases.id', '=', eb.ref('l.toCaseId'))]),
              eb.and([eb('l.toCaseId', '=', id), eb('cases.id', '=', eb.ref('l.fromCaseId'))]),
            ]),
          ),
        )
        .where((eb) => eb.or([eb('l.fromCaseId', '=', id), eb('l.toCaseId', '=', id)]))
        .where(visibleTo(actor))
        .select([
          'l.id',
          'l.kind',
          'l.fromCaseId',
          'l.createdAt',
          'cases.id as caseId',
          'cases.number',
          'cases.subject',
          'cases.status',
        ])
        .orderBy('l.id')
        .execute()
      return rows.map((r) => {
        const outgoing = r.fromCaseId === id
        const relation =
          r.kind === 'related'
            ? 'related'
            : r.kind === 'duplicate'
              ? outgoing
                ? 'duplicate_of'
                : 'duplicated_by'
              : outgoing
                ? 'child_of'
                : 'parent_of'
        return {
          id: r.id,
          relation,
          caseId: r.caseId,
          number: r.number,
          subject: r.subject,
          status: r.status as CaseStatus,
          createdAt: r.createdAt.toISOString(),
        }
      })
    },

    /** Cases that may be duplicates of this one (same contact, nearby, similar subject), likeliest first. */
    async similar(actor: Actor, id: number): Promise<SimilarCaseView[]> {
      const row = await findCase(db, actor, id)
      if (!row) throw caseNotFound(id)
      return findSimilarCases(db, actor, row)
    },

    async removeLink(actor: Actor, id: number, linkId: number): Promise<void> {
      if (!EDITORS.includes(actor.role)) throw forbidden('field workers cannot unlink cases')
      await db.transaction().execute(async (trx) => {
        await lockVisible(trx, actor, id)
        const removed = await trx
          .deleteFrom('caseLinks')
          .where('id', '=', linkId)
          .where((eb) => eb.or([eb('fromCaseId', '=', id), eb('toCaseId', '=', id)]))
          .returning(['fromCaseId', 'toCaseId', 'kind'])
          .executeTakeFirst()
        if (!removed)
          throw new DomainError('not_found', 'link_not_found', `link ${linkId} not found on case ${id}`)
        for (const caseId of [removed.fromCaseId, removed.toCaseId]) {
          await insertEvent(trx, { caseId, kind: 'unlinked', actorId: actor.id, data: removed })
        }
        await recordAudit(trx, actor, {
          action: 'case.unlink',
          entityType: 'case',
          entityId: id,
          before: removed,
        })
      })
    },

    /**
     * Merges a duplicate into the case that survives: its timeline moves to the
     * target, it is closed and points to the target, and anything that later
     * arrives for it lands in the target (resolveMergeTarget).
     */
    async merge(actor: Actor, duplicateId: number, input: MergeBody): Promise<CaseView> {
      if (!EDITORS.includes(actor.role)) throw forbidden('field workers cannot merge cases')
      if (input.targetId === duplicateId)
        throw new DomainError('invalid', 'link_to_itself', 'a case cannot be merged into itself')
      const target = await db.transaction().execute(async (trx) => {
        // Both rows locked in id order, so two opposite merges cannot deadlock.
        const ids = [duplicateId, input.targetId].sort((a, b) => a - b)
        const locked = new Map<number, CaseRow>()
        for (const caseId of ids) locked.set(caseId, await lockVisible(trx, actor, caseId))
        const duplicate = locked.get(duplicateId) as CaseRow
        const target = locked.get(input.targetId) as CaseRow
        checkVersion(duplicate, input.version)
        checkNotMerged(duplicate)
        checkNotMerged(target)

        const moved = await trx
          .updateTable('caseEvents')
          .set({
            caseId: target.id,
            // Worker idempotency keys stay unique on the target.
            dedupeKey: sql`case when dedupe_key is null then null else ${`merged-${duplicate.id}:`} || dedupe_key end`,
          })
          .where('caseId', '=', duplicate.id)
          .executeTakeFirst()
        await trx
          .updateTable('attachments')
          .set({ caseId: target.id })
          .where('caseId', '=', duplicate.id)
          .execute()
        const now = new Date()
        const closed = await trx
          .updateTable('cases')
          .set({
            mergedIntoId: target.id,
            status: 'closed',
            closedAt: now,
            version: duplicate.version + 1,
            updatedAt: now,
          })
          .where('id', '=', duplicate.id)
          .returning(CASE_COLUMNS)
          .executeTakeFirstOrThrow()
        const grown = await trx
          .updateTable('cases')
          .set({
            tags: sql`array(select distinct unnest(tags || ${duplicate.tags}::text[]))`,
            version: target.version + 1,
            updatedAt: now,
          })
          .where('id', '=', target.id)
          .returning(CASE_COLUMNS)
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('caseLinks')
          .values({ fromCaseId: duplicate.id, toCaseId: target.id, kind: 'duplicate', createdBy: actor.id })
          .onConflict((oc) => oc.doNothing())
          .execute()
        await insertEvent(trx, {
          caseId: duplicate.id,
          kind: 'merged_into',
          actorId: actor.id,
          data: { targetId: target.id, number: target.number },
        })
        await insertEvent(trx, {
          caseId: target.id,
          kind: 'merged_from',
          actorId: actor.id,
          data: {
            caseId: duplicate.id,
            number: duplicate.number,
            eventsMoved: Number(moved.numUpdatedRows),
          },
        })
        await audit(trx, actor, 'case.merge', duplicate, closed)
        // The duplicate's clocks stop; the target's keep running.
        await syncSla(trx, duplicate.id, { now })
        if (leftLoad(duplicate, closed)) await enqueueDispatchAfterRelease(trx, duplicate.assigneeId, null)
        return grown
      })
      return withNextStatuses(actor, target)
    },
  }
}

/** An assignee must be an active staff member; office staff assign only within the case's office. */
async function checkAssignee(
  trx: Executor,
  actor: Actor,
  assigneeId: number | null,
  officeId: number | null,
) {
  if (assigneeId === null) return
  const user = await trx
    .selectFrom('staffUsers')
    .select(['id', 'active'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('staffOffices')
            .select('officeId')
            .whereRef('staffOffices.staffUserId', '=', 'staffUsers.id')
            .where('officeId', '=', officeId ?? -1),
        )
        .as('inOffice'),
    )
    .where('id', '=', assigneeId)
    .executeTakeFirst()
  if (!user?.active) {
    throw new DomainError('invalid', 'unknown_reference', `assignee ${assigneeId} not found`, {
      params: { field: 'assigneeId', id: assigneeId },
    })
  }
  if (actor.role === 'office_staff' && !user.inOffice) {
    throw new DomainError(
      'forbidden',
      'assignee_outside_office',
      'office staff assign within the case office',
    )
  }
}
