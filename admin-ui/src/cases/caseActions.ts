import type { CaseStatus } from '../types.ts'

/**
 * The words on a status button: the same target status reads differently
 * depending on where the case is (taking a new case on, reopening a closed one,
 * putting an assigned one back in the queue).
 */
export const transitionLabel = (from: CaseStatus, to: CaseStatus): string => {
  switch (to) {
    case 'open':
      if (from === 'new') return 'case.transition.open'
      if (from === 'resolved' || from === 'closed') return 'case.transition.reopen'
      return 'case.transition.release'
    case 'in_progress':
      return from === 'waiting_citizen' || from === 'waiting_third_party'
        ? 'case.transition.resume'
        : 'case.transition.in_progress'
    default:
      return `case.transition.${to}`
  }
}

/** Moves that need words for the citizen: resolving a case is answering it. */
export const needsComment = (to: CaseStatus): boolean => to === 'resolved'
