import type { Insertable } from 'kysely'
import { visibleTo } from '../cases/case.repository.ts'
import type { Executor } from '../db/db.ts'
import type { Attachments } from '../db/schema.gen.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { AttachmentView } from './attachment.schemas.ts'

export type NewAttachment = Omit<Insertable<Attachments>, 'id' | 'createdAt' | 'deletedAt' | 'deletedBy'>

/** Live attachments on cases the actor can see, with the uploader's name. */
function visibleAttachments(db: Executor, actor: Actor) {
  return db
    .selectFrom('attachments as a')
    .innerJoin('cases', 'cases.id', 'a.caseId')
    .leftJoin('staffUsers as u', 'u.id', 'a.uploadedBy')
    .select([
      'a.id',
      'a.caseId',
      'a.filename',
      'a.contentType',
      'a.declaredContentType',
      'a.sizeBytes',
      'a.sha256',
      'a.uploadedBy',
      'u.fullName as uploadedByName',
      'a.createdAt',
    ])
    .where('a.deletedAt', 'is', null)
    .where(visibleTo(actor))
}

type ViewRow = Omit<AttachmentView, 'createdAt'> & { createdAt: Date }
const toView = (row: ViewRow): AttachmentView => ({ ...row, createdAt: row.createdAt.toISOString() })

export async function insertAttachment(trx: Executor, values: NewAttachment): Promise<number> {
  const row = await trx.insertInto('attachments').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** A case's live attachments, oldest first (or just those with `ids`). */
export async function listAttachments(
  db: Executor,
  actor: Actor,
  caseId: number,
  ids?: number[],
): Promise<AttachmentView[]> {
  let q = visibleAttachments(db, actor).where('a.caseId', '=', caseId).orderBy('a.id')
  if (ids) q = q.where('a.id', 'in', ids)
  return (await q.execute()).map(toView)
}

/** One live attachment, only when the actor can see its case. */
export async function findAttachment(
  db: Executor,
  actor: Actor,
  id: number,
): Promise<AttachmentView | undefined> {
  const row = await visibleAttachments(db, actor).where('a.id', '=', id).executeTakeFirst()
  return row && toView(row)
}

/** Marks an attachment removed; false when it already was (or does not exist). */
export async function markDeleted(trx: Executor, id: number, actorId: number): Promise<boolean> {
  const result = await trx
    .updateTable('attachments')
    .set({ deletedAt: new Date(), deletedBy: actorId })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
