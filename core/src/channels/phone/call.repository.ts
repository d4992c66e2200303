import { type Selectable, sql } from 'kysely'
import { displayNameOf } from '../../contacts/contact.repository.ts'
import type { Executor } from '../../db/db.ts'
import type { Calls } from '../../db/schema.gen.ts'
import type { Actor, Role } from '../../iam/iam.schemas.ts'
import type { CallOutcome, CallTransfer, CallView, Recognition } from './call.schemas.ts'

export const CALL_COLUMNS = [
  'id',
  'tokenId',
  'externalId',
  'direction',
  'state',
  'outcome',
  'fromNumber',
  'toNumber',
  'fromE164',
  'toE164',
  'remoteE164',
  'queueName',
  'queueId',
  'users',
  'answeringNumber',
  'operatorId',
  'cause',
  'blocked',
  'recognition',
  'contactId',
  'candidateContactIds',
  'caseId',
  'callback',
  'transfers',
  'startedAt',
  'answeredAt',
  'endedAt',
  'waitingSeconds',
  'talkingSeconds',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Calls)[]

export type CallRow = Pick<Selectable<Calls>, (typeof CALL_COLUMNS)[number]>

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toCallView(row: CallRow): CallView {
  return {
    id: row.id,
    externalId: row.externalId,
    tokenId: row.tokenId,
    direction: row.direction as CallView['direction'],
    state: row.state as CallView['state'],
    outcome: row.outcome as CallOutcome | null,
    from: row.fromNumber,
    to: row.toNumber,
    fromE164: row.fromE164,
    toE164: row.toE164,
    remoteNumber: row.remoteE164,
    queueName: row.queueName,
    queueId: row.queueId,
    users: row.users,
    answeringNumber: row.answeringNumber,
    operatorId: row.operatorId,
    cause: row.cause,
    blocked: row.blocked,
    recognition: row.recognition as Recognition,
    contactId: row.contactId,
    candidateContactIds: row.candidateContactIds.map(Number),
    caseId: row.caseId,
    callback: row.callback,
    transfers: (Array.isArray(row.transfers) ? row.transfers : []) as CallTransfer[],
    startedAt: row.startedAt.toISOString(),
    answeredAt: iso(row.answeredAt),
    endedAt: iso(row.endedAt),
    waitingSeconds: row.waitingSeconds,
    talkingSeconds: row.talkingSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** Roles that see the whole call log: the call centre and who runs it. */
export const CALL_CENTRE: readonly Role[] = ['admin', 'supervisor', 'operator']

/** The calls an actor may see: the call centre every call, anyone else the calls they answered or placed. */
export function callsVisibleTo(actor: Actor) {
  return CALL_CENTRE.includes(actor.role) ? sql<boolean>`true` : sql<boolean>`calls.operator_id = ${actor.id}`
}

export async function findCallFor(
  db: Executor,
  actor: Actor,
  id: number,
  lock = false,
): Promise<CallRow | undefined> {
  let q = db.selectFrom('calls').select(CALL_COLUMNS).where('id', '=', id).where(callsVisibleTo(actor))
  if (lock) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** The staff member as an actor (role, offices, language): who a screen-pop is built for. */
export async function actorOfUser(db: Executor, userId: number): Promise<Actor | null> {
  const row = await db
    .selectFrom('staffUsers as u')
    .select([
      'u.id',
      'u.role',
      'u.language',
      sql<
        number[]
      >`coalesce((select array_agg(so.office_id) from staff_offices so where so.staff_user_id = u.id), '{}')`.as(
        'officeIds',
      ),
    ])
    .where('u.id', '=', userId)
    .where('u.active', '=', true)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    role: row.role as Role,
    officeIds: row.officeIds.map(Number),
    language: row.language === 'en' ? 'en' : 'it',
  }
}

/** Active staff of the call centre: who hears a call that rings on no known queue. */
export async function callCentreStaff(db: Executor): Promise<number[]> {
  const rows = await db
    .selectFrom('staffUsers')
    .select('id')
    .where('role', 'in', CALL_CENTRE)
    .where('active', '=', true)
    .execute()
  return rows.map((r) => r.id)
}

/** The name a person reads for the caller: the contact's name when known, else the number. */
export async function callerName(db: Executor, row: CallRow): Promise<string> {
  const number = row.remoteE164 ?? (row.direction === 'in' ? row.fromNumber : row.toNumber) ?? ''
  if (row.contactId === null) return number || 'anonimo'
  const contact = await db
    .selectFrom('contacts')
    .select(['kind', 'firstName', 'lastName', 'organisationName'])
    .where('id', '=', row.contactId)
    .executeTakeFirst()
  return contact ? displayNameOf(contact) : number
}
