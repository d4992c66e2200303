import { recordAudit } from '../../audit/audit.repository.ts'
import { CASE_COLUMNS, toCaseView, visibleTo } from '../../cases/case.repository.ts'
import { displayNameOf, toContactViews } from '../../contacts/contact.repository.ts'
import type { Executor } from '../../db/db.ts'
import type { Actor } from '../../iam/iam.schemas.ts'
import { type CallRow, toCallView } from './call.repository.ts'
import type { InteractionView, NewCaseFromCall, ScreenPop } from './call.schemas.ts'

const OPEN_CASES = 10
const INTERACTIONS = 8
const CANDIDATES = 5

/** The prefilled "new case from this call". */
export async function newCaseFromCall(db: Executor, call: CallRow): Promise<NewCaseFromCall> {
  let who = call.remoteE164 ?? (call.direction === 'in' ? call.fromNumber : call.toNumber)
  if (call.contactId !== null) {
    const contact = await db
      .selectFrom('contacts')
      .select(['kind', 'firstName', 'lastName', 'organisationName'])
      .where('id', '=', call.contactId)
      .executeTakeFirst()
    if (contact) who = displayNameOf(contact) || who
  }
  return {
    channel: 'phone',
    callId: call.id,
    contactId: call.contactId,
    subject: `${call.direction === 'in' ? 'Chiamata da' : 'Chiamata a'} ${who || 'numero anonimo'}`,
    description: '',
  }
}

/**
 * What pops up on the answering operator's screen: the caller's contact card (or the
 * candidates when the number matched several), their open cases and last interactions
 * as `viewer` may see them, and the prefilled new case. Showing the card is a read of
 * personal data, so it is audited as one (contact.read) for the viewer.
 */
export async function buildScreenPop(db: Executor, call: CallRow, viewer: Actor): Promise<ScreenPop> {
  const contactIds = call.contactId !== null ? [call.contactId] : call.candidateContactIds.map(Number)
  const shown = contactIds.slice(0, CANDIDATES)
  const contactRows = shown.length
    ? await db.selectFrom('contacts').selectAll().where('id', 'in', shown).orderBy('id').execute()
    : []
  const views = await toContactViews(db, contactRows)
  const contact = call.contactId !== null ? (views.find((v) => v.id === call.contactId) ?? null) : null
  const candidates = call.contactId !== null ? [] : views

  const openCases = contactIds.length
    ? await db
        .selectFrom('cases')
        .select(CASE_COLUMNS.map((c) => `cases.${c}` as const))
        .where('cases.contactId', 'in', contactIds)
        .where('cases.status', 'not in', ['resolved', 'closed'])
        .where('cases.mergedIntoId', 'is', null)
        .where(visibleTo(viewer))
        .orderBy('cases.updatedAt', 'desc')
        .limit(OPEN_CASES)
        .execute()
    : []

  const interactions: InteractionView[] = []
  const calls = await db
    .selectFrom('calls')
    .leftJoin('cases', 'cases.id', 'calls.caseId')
    .select([
      'calls.startedAt',
      'calls.direction',
      'calls.outcome',
      'calls.state',
      'calls.caseId',
      'cases.number as caseNumber',
    ])
    .where('calls.id', '<>', call.id)
    .where((eb) =>
      eb.or([
        ...(contactIds.length ? [eb('calls.contactId', 'in', contactIds)] : []),
        ...(call.remoteE164 ? [eb('calls.remoteE164', '=', call.remoteE164)] : []),
      ]),
    )
    .orderBy('calls.startedAt', 'desc')
    .limit(INTERACTIONS)
    .execute()
  for (const c of calls) {
    interactions.push({
      kind: 'call',
      at: c.startedAt.toISOString(),
      channel: 'phone',
      direction: c.direction,
      caseId: c.caseId,
      caseNumber: c.caseNumber,
      summary: c.outcome ?? c.state,
    })
  }
  if (contactIds.length) {
    const messages = await db
      .selectFrom('caseMessages as m')
      .innerJoin('cases', 'cases.id', 'm.caseId')
      .select([
        'm.receivedAt',
        'm.channel',
        'm.direction',
        'm.subject',
        'm.bodyText',
        'cases.id',
        'cases.number',
      ])
      .where('cases.contactId', 'in', contactIds)
      .where(visibleTo(viewer))
      .orderBy('m.receivedAt', 'desc')
      .limit(INTERACTIONS)
      .execute()
    for (const m of messages) {
      interactions.push({
        kind: 'message',
        at: m.receivedAt.toISOString(),
        channel: m.channel,
        direction: m.direction,
        caseId: m.id,
        caseNumber: m.number,
        summary: (m.subject ?? m.bodyText.split('\n')[0] ?? '').slice(0, 200),
      })
    }
  }
  interactions.sort((a, b) => b.at.localeCompare(a.at))

  for (const id of shown) {
    await recordAudit(db, viewer, { action: 'contact.read', entityType: 'contact', entityId: id })
  }
  return {
    call: toCallView(call),
    recognition: call.recognition as ScreenPop['recognition'],
    contact,
    candidates,
    openCases: openCases.map(toCaseView),
    lastInteractions: interactions.slice(0, INTERACTIONS),
    newCase: await newCaseFromCall(db, call),
  }
}
