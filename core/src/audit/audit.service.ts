import { countRows } from '../db/count.ts'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { ListQuery, ListResult } from '../list.ts'
import type { AUDIT_SORTS, AuditEntryView, AuditFilter } from './audit.schemas.ts'

export type AuditService = ReturnType<typeof createAuditService>

/** Reading the audit log: administrators only. */
export function createAuditService(db: Database) {
  return {
    async list(
      actor: Actor,
      query: ListQuery<AuditFilter, (typeof AUDIT_SORTS)[number]>,
    ): Promise<ListResult<AuditEntryView>> {
      if (actor.role !== 'admin') throw new DomainError('forbidden', 'forbidden', 'audit log is for admins')
      const f = query.filter
      let q = db.selectFrom('auditLog as a')
      if (f.actorId !== undefined) q = q.where('a.actorId', '=', f.actorId)
      if (f.action !== undefined) q = q.where('a.action', '=', f.action)
      if (f.entityType !== undefined) q = q.where('a.entityType', '=', f.entityType)
      if (f.entityId !== undefined) q = q.where('a.entityId', '=', f.entityId)
      if (f.from !== undefined) q = q.where('a.at', '>=', new Date(f.from))
      if (f.to !== undefined) q = q.where('a.at', '<', new Date(f.to))
      const [rows, count] = await Promise.all([
        q
          .leftJoin('staffUsers as u', 'u.id', 'a.actorId')
          .select([
            'a.id',
            'a.at',
            'a.actorId',
            'u.fullName as actorName',
            'a.action',
            'a.entityType',
            'a.entityId',
            'a.before',
            'a.after',
            'a.ip',
            'a.requestId',
          ])
          .orderBy('a.id', query.order)
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        countRows(db, q),
      ])
      return { rows: rows.map((r) => ({ ...r, at: r.at.toISOString() })), ...count }
    },
  }
}
