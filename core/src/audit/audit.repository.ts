import type { Executor } from '../db/db.ts'
import type { Actor } from '../iam/iam.schemas.ts'

export interface AuditEntry {
  /** `<entity>.<verb>`: case.create, case.update, contact.read, user.update… */
  action: string
  entityType: string
  entityId: number | null
  before?: unknown
  after?: unknown
}

/**
 * Appends to the audit log in the caller's transaction: the entry exists exactly
 * when the change it describes does. `actor` null means the system.
 */
export async function recordAudit(db: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actorId: actor?.id ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: actor?.ip ?? null,
      requestId: actor?.requestId ?? null,
    })
    .execute()
}
