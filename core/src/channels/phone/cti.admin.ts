import { createHash, randomBytes } from 'node:crypto'
import { requireRole, unique } from '../../admin/admin.common.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import { toE164 } from '../../contacts/phone.ts'
import type { Database } from '../../db/db.ts'
import { DomainError } from '../../errors.ts'
import type { Actor } from '../../iam/iam.schemas.ts'
import type {
  BlockedNumberView,
  CreateBlockedNumberBody,
  CreateCtiTokenBody,
  CtiTokenCreated,
  CtiTokenView,
} from './call.schemas.ts'
import './call.messages.ts'

/** Tokens are 256 random bits; a fast hash finds them and says nothing about them. */
export const hashCtiToken = (token: string): string => createHash('sha256').update(token).digest('hex')

const ANONYMOUS = /^(anonymous|unknown|private|restricted|unavailable)$/i

/**
 * A number as the PBX spells it, in E.164 when it reads as one: national Italian
 * numbers (0574…, 333…), international ones with + or 00, and — as Zammad's examples
 * send them — international ones without any prefix (390574…). Null for anonymous,
 * extensions and anything else that is not a citizen's number.
 */
export function callNumberToE164(raw: string | undefined): string | null {
  const text = raw?.trim() ?? ''
  if (!text || ANONYMOUS.test(text)) return null
  const direct = toE164(text)
  if (direct) return direct
  const digits = text.replace(/[\s().-]/g, '')
  return /^\d{8,15}$/.test(digits) ? toE164(`+${digits}`) : null
}

/** How a number is kept on the block list: E.164, or "anonymous" for callers without one. */
export function blockListKey(raw: string): string | null {
  const text = raw.trim()
  if (ANONYMOUS.test(text)) return 'anonymous'
  return callNumberToE164(text)
}

interface TokenRow {
  id: number
  name: string
  tokenHint: string
  createdBy: number | null
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
  revokedBy: number | null
}

const TOKEN_COLUMNS = [
  'id',
  'name',
  'tokenHint',
  'createdBy',
  'createdAt',
  'lastUsedAt',
  'revokedAt',
  'revokedBy',
] as const

const iso = (d: Date | null) => (d ? d.toISOString() : null)

const tokenView = (row: TokenRow): CtiTokenView => ({
  id: row.id,
  name: row.name,
  hint: row.tokenHint,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: iso(row.lastUsedAt),
  revokedAt: iso(row.revokedAt),
  revokedBy: row.revokedBy,
})

const blockedView = (row: {
  id: number
  number: string
  note: string | null
  createdBy: number | null
  createdAt: Date
}): BlockedNumberView => ({ ...row, createdAt: row.createdAt.toISOString() })

const ADMINS = ['admin'] as const

export type CtiAdminService = ReturnType<typeof createCtiAdminService>

/**
 * What administrators set up for the telephony: one webhook token per PBX (the secret
 * shown once, kept as a hash, revocable) and the block list of callers the PBX is told
 * to reject. Every change is audited; tokens never enter the audit log.
 */
export function createCtiAdminService(db: Database) {
  return {
    async listTokens(actor: Actor): Promise<CtiTokenView[]> {
      requireRole(actor, ADMINS, 'read CTI tokens')
      const rows = await db.selectFrom('ctiTokens').select(TOKEN_COLUMNS).orderBy('id').execute()
      return rows.map(tokenView)
    },

    async createToken(actor: Actor, input: CreateCtiTokenBody): Promise<CtiTokenCreated> {
      requireRole(actor, ADMINS, 'create CTI tokens')
      const name = input.name.trim()
      if (!name)
        throw new DomainError('invalid', 'admin_field_blank', 'name is blank', { params: { field: 'name' } })
      const token = randomBytes(32).toString('base64url')
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('ctiTokens')
          .values({ name, tokenHash: hashCtiToken(token), tokenHint: token.slice(-4), createdBy: actor.id })
          .returning(TOKEN_COLUMNS)
          .executeTakeFirstOrThrow()
        const view = tokenView(row)
        await recordAudit(trx, actor, {
          action: 'cti_token.create',
          entityType: 'cti_token',
          entityId: row.id,
          after: view,
        })
        return { ...view, token, webhookPath: `/api/v1/cti/${token}` }
      })
    },

    /** Revokes a token at once: the PBX holding it gets 401 from then on. Revoking twice changes nothing. */
    async revokeToken(actor: Actor, id: number): Promise<CtiTokenView> {
      requireRole(actor, ADMINS, 'revoke CTI tokens')
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('ctiTokens')
          .select(TOKEN_COLUMNS)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        if (!before)
          throw new DomainError('not_found', 'cti_token_not_found', `CTI token ${id} not found`, {
            params: { id },
          })
        if (before.revokedAt) return tokenView(before)
        const row = await trx
          .updateTable('ctiTokens')
          .set({ revokedAt: new Date(), revokedBy: actor.id })
          .where('id', '=', id)
          .returning(TOKEN_COLUMNS)
          .executeTakeFirstOrThrow()
        const after = tokenView(row)
        await recordAudit(trx, actor, {
          action: 'cti_token.revoke',
          entityType: 'cti_token',
          entityId: id,
          before: tokenView(before),
          after,
        })
        return after
      })
    },

    async listBlocked(actor: Actor): Promise<BlockedNumberView[]> {
      requireRole(actor, ['admin', 'supervisor'], 'read the block list')
      const rows = await db
        .selectFrom('ctiBlockedNumbers')
        .select(['id', 'number', 'note', 'createdBy', 'createdAt'])
        .orderBy('number')
        .execute()
      return rows.map(blockedView)
    },

    async block(actor: Actor, input: CreateBlockedNumberBody): Promise<BlockedNumberView> {
      requireRole(actor, ADMINS, 'change the block list')
      const number = blockListKey(input.number)
      if (!number)
        throw new DomainError('invalid', 'cti_blocked_number_invalid', `${input.number} is not a number`, {
          params: { number: input.number },
        })
      return db.transaction().execute(async (trx) => {
        const row = await unique(
          () =>
            trx
              .insertInto('ctiBlockedNumbers')
              .values({ number, note: input.note?.trim() || null, createdBy: actor.id })
              .returning(['id', 'number', 'note', 'createdBy', 'createdAt'])
              .executeTakeFirstOrThrow(),
          'cti_blocked_numbers_number_key',
          'cti_blocked_number_taken',
          { number },
        )
        const view = blockedView(row)
        await recordAudit(trx, actor, {
          action: 'cti_blocked_number.create',
          entityType: 'cti_blocked_number',
          entityId: row.id,
          after: view,
        })
        return view
      })
    },

    async unblock(actor: Actor, id: number): Promise<void> {
      requireRole(actor, ADMINS, 'change the block list')
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .deleteFrom('ctiBlockedNumbers')
          .where('id', '=', id)
          .returning(['id', 'number', 'note', 'createdBy', 'createdAt'])
          .executeTakeFirst()
        if (!row)
          throw new DomainError(
            'not_found',
            'cti_blocked_number_not_found',
            `blocked number ${id} not found`,
            {
              params: { id },
            },
          )
        await recordAudit(trx, actor, {
          action: 'cti_blocked_number.delete',
          entityType: 'cti_blocked_number',
          entityId: id,
          before: blockedView(row),
        })
      })
    },
  }
}
