import { sql } from 'kysely'
import type { Database } from '../db/db.ts'

/** What the public status page shows of a case: nothing internal, no staff, no personal data. */
export interface PublicCaseStatus {
  number: string
  subject: string
  category: { it: string; en: string } | null
  status: string
  createdAt: Date
  updatedAt: Date
  resolvedAt: Date | null
  closedAt: Date | null
  /** The public answer given on resolving, while the case is resolved or closed. */
  answer: string | null
  /** Each status the case reached, with its date. */
  history: { status: string; at: Date }[]
  /** The files staff sent the citizen with their replies (and nothing else of the case's files). */
  documents: PublicDocument[]
}

/** A file a staff reply sent the citizen, as the status page offers it. */
export interface PublicDocument {
  id: number
  filename: string
  contentType: string
  size: number
  sha256: string
}

/**
 * The files the status page of these cases offers: those staff sent the citizen with
 * a reply (by email or IO), while they are not removed from the case.
 */
async function replyDocuments(db: Database, caseIds: number[], attachmentId?: number) {
  let q = db
    .selectFrom('replyAttachments as r')
    .innerJoin('attachments as a', 'a.id', 'r.attachmentId')
    .select(['a.id', 'a.filename', 'a.contentType', 'a.sizeBytes', 'a.sha256'])
    .distinct()
    .where('r.caseId', 'in', caseIds)
    .where('a.deletedAt', 'is', null)
    .orderBy('a.id')
  if (attachmentId !== undefined) q = q.where('a.id', '=', attachmentId)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    filename: r.filename,
    contentType: r.contentType,
    size: Number(r.sizeBytes),
    sha256: r.sha256,
  }))
}

/** One file the status page of this token offers, or null (unknown token, or not sent to the citizen). */
export async function findPublicDocument(
  db: Database,
  token: string,
  attachmentId: number,
): Promise<PublicDocument | null> {
  const ids = await publicCaseIds(db, token)
  if (!ids) return null
  return (await replyDocuments(db, ids, attachmentId))[0] ?? null
}

/** The case of a token and the case it was merged into (if any): what its page shows. */
async function publicCaseIds(db: Database, token: string): Promise<number[] | null> {
  const foundId = await caseIdForToken(db, token)
  if (foundId === null) return null
  const chain = await sql<{ id: number }>`
    with recursive chain(id, merged_into_id, depth) as (
      select id, merged_into_id, 0 from cases where id = ${foundId}
      union all
      select c.id, c.merged_into_id, chain.depth + 1 from cases c join chain on c.id = chain.merged_into_id
      where chain.depth < 20
    ) select id from chain where merged_into_id is null limit 1`.execute(db)
  const id = chain.rows[0]?.id ?? foundId
  return id === foundId ? [id] : [id, foundId]
}

const TOKEN = /^[a-f0-9]{32}$/

/** The id of the case behind a status-page token (merges not followed), or null. */
export async function caseIdForToken(db: Database, token: string): Promise<number | null> {
  if (!TOKEN.test(token)) return null
  const found = await db
    .selectFrom('cases')
    .select(['id'])
    .where('publicToken', '=', token)
    .executeTakeFirst()
  return found?.id ?? null
}

/** The case behind a status-page token (following merges to the case that survived), or null. */
export async function findPublicStatus(db: Database, token: string): Promise<PublicCaseStatus | null> {
  const ids = await publicCaseIds(db, token)
  if (!ids) return null
  const id = ids[0] as number
  const kase = await db
    .selectFrom('cases as c')
    .leftJoin('categories as cat', 'cat.id', 'c.categoryId')
    .select([
      'c.id',
      'c.number',
      'c.subject',
      'c.status',
      'c.createdAt',
      'c.updatedAt',
      'c.resolvedAt',
      'c.closedAt',
      'cat.nameIt as categoryIt',
      'cat.nameEn as categoryEn',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst()
  if (!kase) return null
  const events = await db
    .selectFrom('caseEvents')
    .select(['kind', 'data', 'createdAt'])
    .where('caseId', '=', id)
    .where('kind', 'in', ['created', 'status_changed', 'reopened'])
    .orderBy('id')
    .execute()
  const history: { status: string; at: Date }[] = []
  let answer: string | null = null
  for (const e of events) {
    const data = (e.data ?? {}) as { to?: string; comment?: unknown }
    const status = e.kind === 'created' ? 'new' : String(data.to ?? '')
    if (e.kind === 'status_changed' && data.to === 'resolved')
      answer = typeof data.comment === 'string' && data.comment.trim() ? data.comment : null
    if (e.kind === 'reopened') answer = null
    // Internal steps (assigned, waiting for a third party) read as "received"/"being handled": collapse repeats.
    if (status && history.at(-1)?.status !== status) history.push({ status, at: e.createdAt })
  }
  const showAnswer = kase.status === 'resolved' || kase.status === 'closed'
  return {
    number: kase.number,
    subject: kase.subject,
    category: kase.categoryIt && kase.categoryEn ? { it: kase.categoryIt, en: kase.categoryEn } : null,
    status: kase.status,
    createdAt: kase.createdAt,
    updatedAt: kase.updatedAt,
    resolvedAt: kase.resolvedAt,
    closedAt: kase.closedAt,
    answer: showAnswer ? answer : null,
    history,
    documents: await replyDocuments(db, ids),
  }
}
