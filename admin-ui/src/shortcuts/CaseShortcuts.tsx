import { useRecordContext, useRedirect } from 'react-admin'
import type { Case } from '../types.ts'
import { useShortcuts } from './useShortcuts.ts'

/** Focuses a field of the case page and brings it into view; false when the page has none. */
const focusField = (id: string): boolean => {
  const field = document.getElementById(id)
  field?.focus()
  field?.scrollIntoView({ block: 'center' })
  return field !== null
}

/** On the case page: e edits it, r answers the citizen, n writes a note, a assigns it to me, l goes back to the list. */
export const CaseShortcuts = () => {
  const record = useRecordContext<Case>()
  const redirect = useRedirect()
  useShortcuts({
    e: () => {
      if (!record || record.mergedIntoId) return false
      redirect('edit', 'cases', record.id)
      return true
    },
    r: () => focusField('reply-text'),
    n: () => focusField('case-note-text'),
    a: () => {
      // The triage panel's button: shown only when the case is not already mine.
      const assign = document.getElementById('case-assign-to-me')
      if (!(assign instanceof HTMLButtonElement) || assign.disabled) return false
      assign.click()
      return true
    },
    l: () => {
      redirect('list', 'cases')
      return true
    },
  })
  return null
}
