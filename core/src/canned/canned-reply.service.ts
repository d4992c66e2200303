import { sql } from 'kysely'
import { requireRole, unique } from '../admin/admin.common.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import { findCase, statusPageUrl } from '../cases/case.repository.ts'
import { displayNameOf } from '../contacts/contact.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { type Language, translate } from '../i18n.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import {
  type CANNED_REPLY_SORTS,
  CANNED_VARIABLES,
  type CannedReplyFilter,
  type CannedReplyView,
  type CannedVariable,
  type CreateCannedReplyBody,
  type RenderCannedReplyBody,
  type RenderedCannedReply,
  type UpdateCannedReplyBody,
} from './canned-reply.schemas.ts'
import './canned-reply.messages.ts'

/** Everyone who writes to citizens reads them; supervisors and admins write them. */
const READERS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']
const WRITERS: readonly Role[] = ['admin', 'supervisor']

const COLUMNS = [
  'id',
  'title',
  'language',
  'body',
  'categoryId',
  'active',
  'version',
  'createdBy',
  'createdAt',
  'updatedAt',
] as const

interface Row {
  id: number
  title: string
  language: string
  body: string
  categoryId: number | null
  active: boolean
  version: number
  createdBy: number | null
  createdAt: Date
  updatedAt: Date
}

const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g

/** The variables a text uses, in order of first use. */
export const variablesOf = (text: string): string[] => [
  ...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] as string)),
]

/** Fills `{{variable}}` from `values`; unknown or empty ones become blank. */
export const fillVariables = (text: string, values: Partial<Record<CannedVariable, string>>): string =>
  text.replace(VARIABLE, (_, name: string) => values[name as CannedVariable] ?? '')

const toView = (row: Row): CannedReplyView => ({
  id: row.id,
  title: row.title,
  language: row.language === 'en' ? 'en' : 'it',
  body: row.body,
  categoryId: row.categoryId,
  active: row.active,
  variables: variablesOf(row.body),
  version: row.version,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
})

const notFound = (id: number) =>
  new DomainError('not_found', 'canned_reply_not_found', `canned reply ${id} not found`, { params: { id } })

function checkText(field: 'title' | 'body', value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = field === 'title' ? value.trim() : value
  if (!text.trim())
    throw new DomainError('invalid', 'canned_reply_blank', `${field} is blank`, { params: { field } })
  if (field === 'body') {
    const unknown = variablesOf(text).find((v) => !(CANNED_VARIABLES as readonly string[]).includes(v))
    if (unknown)
      throw new DomainError('invalid', 'canned_reply_unknown_variable', `unknown variable ${unknown}`, {
        params: { name: unknown, allowed: CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ') },
      })
  }
  return text
}

async function checkCategory(trx: Executor, categoryId: number | null | undefined): Promise<void> {
  if (categoryId == null) return
  const found = await trx
    .selectFrom('categories')
    .select('id')
    .where('id', '=', categoryId)
    .executeTakeFirst()
  if (!found)
    throw new DomainError('invalid', 'unknown_reference', `category ${categoryId} not found`, {
      params: { field: 'categoryId', id: categoryId },
    })
}

const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const titleTaken = <T>(run: () => Promise<T>, title: string) =>
  unique(run, 'canned_replies_title_language_key', 'canned_reply_title_taken', { title })

export type CannedReplyService = ReturnType<typeof createCannedReplyService>

/**
 * Canned replies: texts with `{{variables}}` that staff insert in the reply box,
 * filled from the case they answer. Supervisors and admins write them (audited,
 * version-checked); everyone who replies to citizens reads and fills them.
 */
export function createCannedReplyService(db: Database, opts: { publicUrl: string }) {
  async function load(trx: Executor, id: number, lock = false): Promise<Row> {
    let q = trx.selectFrom('cannedReplies').select(COLUMNS).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound(id)
    return row
  }

  return {
    async list(
      actor: Actor,
      query: ListQuery<CannedReplyFilter, (typeof CANNED_REPLY_SORTS)[number]>,
    ): Promise<ListResult<CannedReplyView>> {
      requireRole(actor, READERS, 'read canned replies')
      let q = db.selectFrom('cannedReplies')
      const f = query.filter
      if (f.id !== undefined) q = q.where('id', 'in', [f.id].flat())
      if (f.active !== undefined) q = q.where('active', '=', f.active)
      if (f.language !== undefined) q = q.where('language', '=', f.language)
      if (f.categoryId !== undefined)
        q = q.where((eb) => eb.or([eb('categoryId', '=', f.categoryId ?? 0), eb('categoryId', 'is', null)]))
      if (f.q) {
        const like = likeText(f.q)
        q = q.where((eb) => eb.or([eb('title', 'ilike', like), eb('body', 'ilike', like)]))
      }
      const [rows, count] = await Promise.all([
        q
          .select(COLUMNS)
          .orderBy(query.sort, query.order)
          .orderBy('id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows: rows.map(toView), total: Number(count.n), exact: true }
    },

    async get(actor: Actor, id: number): Promise<CannedReplyView> {
      requireRole(actor, READERS, 'read canned replies')
      return toView(await load(db, id))
    },

    async create(actor: Actor, input: CreateCannedReplyBody): Promise<CannedReplyView> {
      requireRole(actor, WRITERS, 'write canned replies')
      const title = checkText('title', input.title) as string
      const body = checkText('body', input.body) as string
      return db.transaction().execute(async (trx) => {
        await checkCategory(trx, input.categoryId)
        const row = await titleTaken(
          () =>
            trx
              .insertInto('cannedReplies')
              .values({
                title,
                body,
                language: input.language ?? 'it',
                categoryId: input.categoryId ?? null,
                active: input.active ?? true,
                createdBy: actor.id,
              })
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          title,
        )
        const view = toView(row)
        await recordAudit(trx, actor, {
          action: 'canned_reply.create',
          entityType: 'canned_reply',
          entityId: row.id,
          after: view,
        })
        return view
      })
    },

    async update(actor: Actor, id: number, input: UpdateCannedReplyBody): Promise<CannedReplyView> {
      requireRole(actor, WRITERS, 'write canned replies')
      const title = checkText('title', input.title)
      const body = checkText('body', input.body)
      return db.transaction().execute(async (trx) => {
        const before = await load(trx, id, true)
        if (input.version === undefined)
          throw new DomainError(
            'invalid',
            'admin_version_required',
            'send the version you read (body.version or If-Match)',
          )
        if (input.version !== before.version)
          throw new DomainError(
            'conflict',
            'canned_reply_version_conflict',
            `canned reply ${id} is at version ${before.version}, not ${input.version}`,
            { params: { version: before.version }, details: { current: toView(before) } },
          )
        await checkCategory(trx, input.categoryId)
        const { version: _, ...fields } = input
        const row = await titleTaken(
          () =>
            trx
              .updateTable('cannedReplies')
              .set({
                ...fields,
                ...(title !== undefined ? { title } : {}),
                ...(body !== undefined ? { body } : {}),
                version: before.version + 1,
                updatedAt: sql`now()`,
              })
              .where('id', '=', id)
              .returning(COLUMNS)
              .executeTakeFirstOrThrow(),
          title ?? before.title,
        )
        const after = toView(row)
        await recordAudit(trx, actor, {
          action: 'canned_reply.update',
          entityType: 'canned_reply',
          entityId: id,
          before: toView(before),
          after,
        })
        return after
      })
    },

    async remove(actor: Actor, id: number): Promise<void> {
      requireRole(actor, WRITERS, 'delete canned replies')
      await db.transaction().execute(async (trx) => {
        const before = await load(trx, id, true)
        await trx.deleteFrom('cannedReplies').where('id', '=', id).execute()
        await recordAudit(trx, actor, {
          action: 'canned_reply.delete',
          entityType: 'canned_reply',
          entityId: id,
          before: toView(before),
        })
      })
    },

    /**
     * The reply filled in for a case the actor may see (404 otherwise, like any case
     * they may not see), in the reply's own language.
     */
    async render(actor: Actor, id: number, input: RenderCannedReplyBody): Promise<RenderedCannedReply> {
      requireRole(actor, READERS, 'use canned replies')
      const reply = await load(db, id)
      if (!reply.active)
        throw new DomainError('invalid', 'canned_reply_inactive', `canned reply ${id} is inactive`, {
          params: { title: reply.title },
        })
      const found = await findCase(db, actor, input.caseId)
      if (!found)
        throw new DomainError('not_found', 'case_not_found', `case ${input.caseId} not found`, {
          params: { id: input.caseId },
        })
      const lang: Language = reply.language === 'en' ? 'en' : 'it'
      const extra = await db
        .selectFrom('cases')
        .leftJoin('contacts', 'contacts.id', 'cases.contactId')
        .leftJoin('categories', 'categories.id', 'cases.categoryId')
        .leftJoin('offices', 'offices.id', 'cases.officeId')
        .select([
          'cases.publicToken',
          'contacts.kind',
          'contacts.firstName',
          'contacts.lastName',
          'contacts.organisationName',
          'categories.nameIt',
          'categories.nameEn',
          'offices.name as officeName',
        ])
        .where('cases.id', '=', found.id)
        .executeTakeFirstOrThrow()
      const staff = await db
        .selectFrom('staffUsers')
        .select('fullName')
        .where('id', '=', actor.id)
        .executeTakeFirst()
      const values: Record<CannedVariable, string> = {
        numero: found.number,
        oggetto: found.subject,
        nome: extra.kind
          ? displayNameOf({
              kind: extra.kind,
              firstName: extra.firstName,
              lastName: extra.lastName,
              organisationName: extra.organisationName,
            })
          : '',
        link_stato: statusPageUrl(opts.publicUrl, extra.publicToken),
        stato: translate(
          lang,
          `citizen_status.${found.status}`,
          {},
          translate(lang, `status.${found.status}`),
        ),
        categoria: (lang === 'en' ? extra.nameEn : extra.nameIt) ?? '',
        ufficio: extra.officeName ?? '',
        operatore: staff?.fullName ?? '',
        data_apertura: new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
          dateStyle: 'long',
          timeZone: 'Europe/Rome',
        }).format(found.createdAt),
      }
      const used = variablesOf(reply.body)
      return {
        id: reply.id,
        caseId: found.id,
        text: fillVariables(reply.body, values),
        missing: used.filter((v) => !values[v as CannedVariable]),
      }
    },
  }
}
