import type { Role } from '../iam/iam.schemas.ts'
import type { CaseStatus } from './case.values.ts'

/**
 * The case state machine: which status may follow which, and who may move a case
 * along each edge. Office staff act only on cases of their offices and field
 * workers only on their own work orders — that scoping happens in the SQL that
 * finds the case; this table says what they may do once they can see it.
 *
 *   new → open → assigned → in_progress ⇄ waiting_citizen / waiting_third_party → resolved → closed
 *   resolved / closed → open (reopened)
 */
const EVERYONE_WHO_WORKS: readonly Role[] = ['admin', 'supervisor', 'operator', 'office_staff']
const OFFICE: readonly Role[] = ['admin', 'supervisor', 'office_staff']
const OFFICE_AND_FIELD: readonly Role[] = ['admin', 'supervisor', 'office_staff', 'field_worker']
const SUPERVISION: readonly Role[] = ['admin', 'supervisor']

export const TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseStatus, readonly Role[]>>>> = {
  new: {
    open: EVERYONE_WHO_WORKS,
    assigned: EVERYONE_WHO_WORKS,
    // Answered at first contact by the call centre, or spam / out of scope.
    resolved: EVERYONE_WHO_WORKS,
    closed: SUPERVISION,
  },
  open: {
    assigned: EVERYONE_WHO_WORKS,
    in_progress: OFFICE,
    resolved: EVERYONE_WHO_WORKS,
    closed: SUPERVISION,
  },
  assigned: {
    open: OFFICE, // released back to the queue
    in_progress: OFFICE_AND_FIELD,
    resolved: OFFICE_AND_FIELD,
  },
  in_progress: {
    waiting_citizen: OFFICE,
    waiting_third_party: OFFICE,
    resolved: OFFICE_AND_FIELD,
    open: OFFICE,
  },
  waiting_citizen: { in_progress: OFFICE, resolved: OFFICE },
  waiting_third_party: { in_progress: OFFICE, resolved: OFFICE },
  resolved: {
    closed: OFFICE,
    // The citizen calls back: the call centre may reopen a resolved case.
    open: EVERYONE_WHO_WORKS,
  },
  closed: { open: SUPERVISION },
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'illegal' | 'role' }

/** Whether `role` may move a case from `from` to `to`. */
export function checkTransition(from: CaseStatus, to: CaseStatus, role: Role): TransitionCheck {
  const roles = TRANSITIONS[from][to]
  if (!roles) return { ok: false, reason: 'illegal' }
  return roles.includes(role) ? { ok: true } : { ok: false, reason: 'role' }
}

/** The statuses a case in `from` can go to, for a role (what the console offers). */
export const nextStatuses = (from: CaseStatus, role: Role): CaseStatus[] =>
  (Object.entries(TRANSITIONS[from]) as [CaseStatus, readonly Role[]][])
    .filter(([, roles]) => roles.includes(role))
    .map(([to]) => to)

/** The timestamp columns a transition sets or clears, so resolved_at / closed_at always tell the truth. */
export function statusTimestamps(
  to: CaseStatus,
  now: Date,
): { resolvedAt?: Date | null; closedAt?: Date | null } {
  switch (to) {
    case 'resolved':
      return { resolvedAt: now, closedAt: null }
    case 'closed':
      return { closedAt: now }
    case 'open':
      return { resolvedAt: null, closedAt: null }
    default:
      return {}
  }
}
