import type { MessageParams } from '../errors.ts'
import { type Language, translate } from '../i18n.ts'
import type { AssignmentStrategy } from '../routing/rule.schemas.ts'
import type { PresenceState } from './assignment.schemas.ts'
import './assignment.messages.ts'

/** A member of the queue, as the chooser weighs them. */
export interface AssignmentCandidate {
  userId: number
  /** For explanations only. */
  name: string
  active: boolean
  presence: PresenceState
  /** Cases they carry now (LOAD_STATUSES), from every queue. */
  load: number
  capacity: number
  skills: readonly string[]
  /** Their last assignment from this queue; null when never. */
  lastAssignedAt: Date | null
}

/** One step of the reasoning, as a message code and its parameters (assignment.messages.ts). */
export interface AssignmentReason {
  code: string
  params: MessageParams
}

export type NoAssigneeReason = 'manual' | 'no_members' | 'none_eligible' | 'none_skilled'

export type AssignmentDecision =
  | { userId: number; strategy: AssignmentStrategy; explanation: AssignmentReason[] }
  | { userId: null; strategy: AssignmentStrategy; reason: NoAssigneeReason; explanation: AssignmentReason[] }

const time = (d: Date | null) => (d ? d.getTime() : Number.NEGATIVE_INFINITY)

/** Never assigned first, then the longest wait since the last assignment, then the lowest id. */
const byLastAssigned = (a: AssignmentCandidate, b: AssignmentCandidate) =>
  time(a.lastAssignedAt) - time(b.lastAssignedAt) || a.userId - b.userId

/** The lowest share of capacity in use (compared without division), then byLastAssigned. */
const byLoadRatio = (a: AssignmentCandidate, b: AssignmentCandidate) =>
  a.load * b.capacity - b.load * a.capacity || byLastAssigned(a, b)

/** Why a member cannot take a case now, or null when they can. */
function exclusion(c: AssignmentCandidate): AssignmentReason | null {
  const who = { user: c.name }
  if (!c.active) return { code: 'assign_excluded_inactive', params: who }
  if (c.presence !== 'available')
    return { code: 'assign_excluded_presence', params: { ...who, state: `@presence.${c.presence}` } }
  if (c.load >= c.capacity)
    return { code: 'assign_excluded_full', params: { ...who, load: c.load, capacity: c.capacity } }
  return null
}

/**
 * Chooses the agent of a queue who gets a case, or nobody, and says why.
 * Only active members who are available and under their capacity are eligible.
 * - round_robin: the eligible member whose last assignment from this queue is oldest;
 * - least_loaded: the lowest share of capacity in use, then round robin's order;
 * - skill: only members with every required skill, then least_loaded;
 * - manual: nobody, ever (a person assigns).
 * Pure: the caller supplies the members with their presence, load and history.
 */
export function chooseAssignee(
  candidates: readonly AssignmentCandidate[],
  strategy: AssignmentStrategy,
  requiredSkills: readonly string[] = [],
): AssignmentDecision {
  if (strategy === 'manual')
    return { userId: null, strategy, reason: 'manual', explanation: [{ code: 'assign_manual', params: {} }] }
  if (candidates.length === 0)
    return {
      userId: null,
      strategy,
      reason: 'no_members',
      explanation: [{ code: 'assign_no_members', params: {} }],
    }

  const explanation: AssignmentReason[] = []
  let eligible: AssignmentCandidate[] = []
  for (const c of [...candidates].sort((a, b) => a.userId - b.userId)) {
    const excluded = exclusion(c)
    if (excluded) explanation.push(excluded)
    else eligible.push(c)
  }
  if (eligible.length === 0) {
    explanation.push({ code: 'assign_none_eligible', params: {} })
    return { userId: null, strategy, reason: 'none_eligible', explanation }
  }

  const skills = [...new Set(requiredSkills)]
  if (strategy === 'skill' && skills.length > 0) {
    const skilled: AssignmentCandidate[] = []
    for (const c of eligible) {
      const missing = skills.filter((s) => !c.skills.includes(s))
      if (missing.length === 0) skilled.push(c)
      else
        explanation.push({
          code: 'assign_excluded_skills',
          params: { user: c.name, missing: missing.join(', ') },
        })
    }
    eligible = skilled
    if (eligible.length === 0) {
      explanation.push({ code: 'assign_none_skilled', params: { skills: skills.join(', ') } })
      return { userId: null, strategy, reason: 'none_skilled', explanation }
    }
  }

  const [chosen] = eligible.sort(strategy === 'round_robin' ? byLastAssigned : byLoadRatio)
  if (!chosen) throw new Error('unreachable: eligible is not empty')
  const params = { user: chosen.name, load: chosen.load, capacity: chosen.capacity }
  if (strategy === 'round_robin')
    explanation.push({
      code: chosen.lastAssignedAt ? 'assign_chosen_round_robin' : 'assign_chosen_round_robin_first',
      params: { ...params, last: chosen.lastAssignedAt?.toISOString() ?? '' },
    })
  else if (strategy === 'skill')
    explanation.push({
      code: skills.length ? 'assign_chosen_skill' : 'assign_chosen_skill_none_required',
      params: { ...params, skills: skills.join(', ') },
    })
  else explanation.push({ code: 'assign_chosen_least_loaded', params })
  return { userId: chosen.userId, strategy, explanation }
}

/** The reasoning in words, one sentence per step. */
export function describeAssignment(decision: Pick<AssignmentDecision, 'explanation'>, lang: Language) {
  return decision.explanation.map((r) => translate(lang, r.code, r.params))
}
