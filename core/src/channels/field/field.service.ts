import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { recordAudit } from '../../audit/audit.repository.ts'
import { CASE_COLUMNS, toCaseView } from '../../cases/case.repository.ts'
import type { CaseView } from '../../cases/case.schemas.ts'
import type { CaseService } from '../../cases/case.service.ts'
import type { Database } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Language } from '../../i18n.ts'
import type { Actor, Role } from '../../iam/iam.schemas.ts'
import { decoyPasswordHash, verifyPassword } from '../../iam/password.ts'
import type { PublicReportService } from '../web/public-report.ts'
import type {
  FieldReportBody,
  FieldReportCreated,
  FieldTokenBody,
  FieldTokenCreated,
  WorkOrderUpdateBody,
} from './field.schemas.ts'
import './field.messages.ts'

export interface FieldOptions {
  /** How long an app token lives. */
  tokenTtlDays: number
  loginMaxFailures: number
  loginWindowMinutes: number
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')
const TOUCH_EVERY_MS = 5 * 60_000
/** Work orders still to do (and those done but not yet closed by the office, for a while). */
const WORK_ORDER_STATUSES = ['assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party', 'open']

export type FieldService = ReturnType<typeof createFieldService>

/**
 * The field workers' app: bearer tokens for phones (one per sign-in, kept as SHA-256,
 * expiring, revocable), reports from the street through ingest in the worker's name,
 * and their work orders (cases assigned to them) to start, annotate and close.
 */
export function createFieldService(
  db: Database,
  deps: { reports: PublicReportService; cases: CaseService },
  opts: FieldOptions,
) {
  return {
    /** Signs a field worker in from the app, with the staff login's throttling of failures. */
    async createToken(input: FieldTokenBody, meta: { ip?: string } = {}): Promise<FieldTokenCreated> {
      const email = input.email.trim().toLowerCase()
      const { failures } = await db
        .selectFrom('loginFailures')
        .select((eb) => eb.fn.countAll<number>().as('failures'))
        .where('email', '=', email)
        .where('failedAt', '>', sql<Date>`now() - make_interval(mins => ${opts.loginWindowMinutes})`)
        .executeTakeFirstOrThrow()
      if (failures >= opts.loginMaxFailures)
        throw new DomainError('rate_limited', 'too_many_attempts', `too many failed logins for ${email}`, {
          params: { minutes: opts.loginWindowMinutes },
        })
      const user = await db
        .selectFrom('staffUsers')
        .select(['id', 'email', 'fullName', 'role', 'active', 'passwordHash'])
        .where('email', '=', email)
        .executeTakeFirst()
      const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password)
      if (!user || !ok) {
        await db
          .insertInto('loginFailures')
          .values({ email, ip: meta.ip ?? null })
          .execute()
        throw new DomainError('unauthenticated', 'invalid_credentials', 'wrong email or password')
      }
      if (!user.active) throw new DomainError('forbidden', 'account_disabled', 'account disabled')
      if (user.role !== 'field_worker')
        throw new DomainError('forbidden', 'field_role_required', `${user.role} is not a field worker`)
      await db.deleteFrom('loginFailures').where('email', '=', email).execute()
      const token = randomBytes(32).toString('base64url')
      const expiresAt = new Date(Date.now() + opts.tokenTtlDays * 86_400_000)
      const row = await db
        .insertInto('fieldTokens')
        .values({
          tokenHash: hashToken(token),
          staffUserId: user.id,
          deviceName: input.deviceName?.trim() || null,
          expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(
        db,
        {
          id: user.id,
          role: 'field_worker',
          officeIds: [],
          language: 'it',
          ...(meta.ip ? { ip: meta.ip } : {}),
        },
        {
          action: 'field_token.create',
          entityType: 'field_token',
          entityId: row.id,
          after: {
            id: row.id,
            staffUserId: user.id,
            deviceName: input.deviceName ?? null,
            expiresAt: expiresAt.toISOString(),
          },
        },
      )
      return {
        id: row.id,
        token,
        expiresAt: expiresAt.toISOString(),
        user: { id: user.id, email: user.email, fullName: user.fullName },
      }
    },

    /** The field worker behind a bearer token, or null (unknown, expired, revoked, user disabled or no longer a field worker). */
    async authenticate(token: string): Promise<{ actor: Actor; tokenId: number } | null> {
      if (!token || token.length > 100) return null
      const row = await db
        .selectFrom('fieldTokens as t')
        .innerJoin('staffUsers as u', 'u.id', 't.staffUserId')
        .select(['t.id as tokenId', 't.lastUsedAt', 'u.id', 'u.role', 'u.language'])
        .where('t.tokenHash', '=', hashToken(token))
        .where('t.revokedAt', 'is', null)
        .where('t.expiresAt', '>', sql<Date>`now()`)
        .where('u.active', '=', true)
        .where('u.role', '=', 'field_worker')
        .executeTakeFirst()
      if (!row) return null
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS)
        await db
          .updateTable('fieldTokens')
          .set({ lastUsedAt: sql`now()` })
          .where('id', '=', row.tokenId)
          .execute()
      return {
        tokenId: row.tokenId,
        actor: {
          id: row.id,
          role: row.role as Role,
          officeIds: [],
          language: row.language === 'en' ? 'en' : 'it',
        },
      }
    },

    /** Signs the app out: the token stops working at once. */
    async revokeToken(actor: Actor, tokenId: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('fieldTokens')
          .set({ revokedAt: sql`now()` })
          .where('id', '=', tokenId)
          .where('staffUserId', '=', actor.id)
          .where('revokedAt', 'is', null)
          .returning(['id'])
          .executeTakeFirst()
        if (row)
          await recordAudit(trx, actor, {
            action: 'field_token.revoke',
            entityType: 'field_token',
            entityId: tokenId,
          })
      })
    },

    /** A problem found in the street: a case on the field channel, in the worker's name, through ingest. */
    async report(actor: Actor, input: FieldReportBody, lang: Language): Promise<FieldReportCreated> {
      if (actor.role !== 'field_worker')
        throw new DomainError('forbidden', 'field_role_required', 'not a field worker')
      const result = await deps.reports.submit(
        {
          channel: 'field',
          externalId: `field:${actor.id}:${input.clientReportId}`,
          categoryId: input.categoryId,
          description: input.description,
          address: input.address,
          latitude: input.latitude,
          longitude: input.longitude,
          answers: input.answers ?? {},
          sender: {},
          actor,
        },
        { lang, requireContact: false, requireLocation: true },
      )
      return { caseId: result.caseId, number: result.number, created: !result.duplicate }
    },

    /** My work orders: cases assigned to me that are not resolved or closed, most urgent first. */
    async workOrders(actor: Actor): Promise<CaseView[]> {
      const rows = await db
        .selectFrom('cases')
        .select(CASE_COLUMNS.map((c) => `cases.${c}` as const))
        .where('cases.assigneeId', '=', actor.id)
        .where('cases.status', 'in', WORK_ORDER_STATUSES)
        .orderBy('cases.priorityRank', 'desc')
        .orderBy('cases.resolutionDueAt', 'asc')
        .orderBy('cases.id')
        .limit(500)
        .execute()
      return rows.map(toCaseView)
    },

    /** Starts or closes a work order, with a note: the case service checks the move and the worker's sight of the case. */
    async updateWorkOrder(actor: Actor, caseId: number, input: WorkOrderUpdateBody): Promise<CaseView> {
      if (input.status) {
        return deps.cases.changeStatus(actor, caseId, {
          status: input.status,
          ...(input.note ? { comment: input.note } : {}),
          version: input.version,
        })
      }
      if (input.note) await deps.cases.addNote(actor, caseId, { text: input.note })
      return deps.cases.get(actor, caseId)
    },
  }
}
