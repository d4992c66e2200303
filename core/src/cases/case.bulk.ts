import Type, { type Static } from 'typebox'
import { requireRole } from '../admin/admin.common.ts'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database } from '../db/db.ts'
import { DomainError, isDomainError, type MessageParams } from '../errors.ts'
import { defineMessages } from '../i18n.ts'
import type { Actor, Role } from '../iam/iam.schemas.ts'
import type { createCaseService } from './case.service.ts'

defineMessages({
  it: {
    bulk_target_required:
      'Indica a chi assegnare le segnalazioni oppure in quale coda spostarle (uno dei due).',
    bulk_case_twice: 'Una segnalazione è indicata due volte.',
  },
  en: {
    bulk_target_required: 'Say whom to assign the cases to or which queue to move them to (one of the two).',
    bulk_case_twice: 'A case is named twice.',
  },
})

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/** At most this many cases in one bulk action. */
export const BULK_MAX_CASES = 100

/**
 * Reassign several cases in one action: to an agent (`assigneeId`) or to a queue
 * (`queueId`, which also clears the assignee so the queue's assignment takes over).
 * Each case carries the version the supervisor read.
 */
export const BulkReassignBody = Type.Object(
  {
    cases: Type.Array(
      Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: BULK_MAX_CASES,
      },
    ),
    assigneeId: Type.Optional(Id),
    queueId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type BulkReassignBody = Static<typeof BulkReassignBody>

export const BULK_OUTCOMES = [
  'updated',
  'unchanged',
  'conflict',
  'not_found',
  'forbidden',
  'invalid',
] as const
export type BulkOutcome = (typeof BULK_OUTCOMES)[number]

/** What became of one case; `code` and `params` name the refusal (messages are the server's). */
export interface BulkCaseResult {
  id: number
  outcome: BulkOutcome
  version: number | null
  code: string | null
  params: MessageParams
}

export const BulkCaseResultView = Type.Object({
  id: Id,
  outcome: Type.Union([
    Type.Literal('updated'),
    Type.Literal('unchanged'),
    Type.Literal('conflict'),
    Type.Literal('not_found'),
    Type.Literal('forbidden'),
    Type.Literal('invalid'),
  ]),
  /** The case's version after the action (or its current one, on a conflict). */
  version: Type.Union([Type.Integer(), Type.Null()]),
  code: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
})

export const BulkReassignResult = Type.Object({
  results: Type.Array(BulkCaseResultView),
  updated: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
})
export type BulkReassignResult = Static<typeof BulkReassignResult>

const BULK_ROLES: readonly Role[] = ['admin', 'supervisor']

const OUTCOME_OF: Partial<Record<DomainError['kind'], BulkOutcome>> = {
  conflict: 'conflict',
  not_found: 'not_found',
  forbidden: 'forbidden',
  invalid: 'invalid',
}

/**
 * Bulk reassignment for supervisors and admins. Each case is its own transaction
 * through the case service (its version check, the assignee's office check, the
 * timeline, the audit and the queues' dispatch): one stale or refused case does not
 * hold back the others, and the answer says what became of each. The action as a
 * whole is audited too.
 */
export function createBulkCaseService(db: Database, cases: ReturnType<typeof createCaseService>) {
  return {
    async reassign(
      actor: Actor,
      input: BulkReassignBody,
    ): Promise<Omit<BulkReassignResult, 'results'> & { results: BulkCaseResult[] }> {
      requireRole(actor, BULK_ROLES, 'reassign cases in bulk')
      if ((input.assigneeId === undefined) === (input.queueId === undefined))
        throw new DomainError('invalid', 'bulk_target_required', 'give either assigneeId or queueId')
      const ids = input.cases.map((c) => c.id)
      if (new Set(ids).size !== ids.length)
        throw new DomainError('invalid', 'bulk_case_twice', 'a case is named twice')
      const change =
        input.assigneeId !== undefined
          ? { assigneeId: input.assigneeId }
          : { queueId: input.queueId ?? null, assigneeId: null }
      const results: BulkCaseResult[] = []
      for (const item of input.cases) {
        try {
          const view = await cases.update(actor, item.id, { version: item.version, ...change })
          results.push({
            id: item.id,
            outcome: view.version === item.version ? 'unchanged' : 'updated',
            version: view.version,
            code: null,
            params: {},
          })
        } catch (err) {
          if (!isDomainError(err)) throw err
          const outcome = OUTCOME_OF[err.kind] ?? 'invalid'
          const current = (err.details as { current?: { version?: number } } | undefined)?.current
          results.push({
            id: item.id,
            outcome,
            version: typeof current?.version === 'number' ? current.version : null,
            code: err.code,
            params: err.params,
          })
        }
      }
      const updated = results.filter((r) => r.outcome === 'updated').length
      const failed = results.filter((r) => r.outcome !== 'updated' && r.outcome !== 'unchanged').length
      await recordAudit(db, actor, {
        action: 'case.bulk_reassign',
        entityType: 'case',
        entityId: null,
        after: { ...change, results: results.map(({ id, outcome, code }) => ({ id, outcome, code })) },
      })
      return { results, updated, failed }
    },
  }
}
