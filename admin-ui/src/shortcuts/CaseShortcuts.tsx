import { useRecordContext, useRedirect } from 'react-admin'
import type { Case } from '../types.ts'
import { useShortcuts } from './useShortcuts.ts'

/** On the case page: e edits it, n writes a note, l goes back to the list. */
export const CaseShortcuts = () => {
  const record = useRecordContext<Case>()
  const redirect = useRedirect()
  useShortcuts({
    e: () => {
      if (!record || record.mergedIntoId) return false
      redirect('edit', 'cases', record.id)
      return true
    },
    n: () => {
      const note = document.getElementById('case-note-text')
      note?.focus()
      note?.scrollIntoView({ block: 'center' })
      return note !== null
    },
    l: () => {
      redirect('list', 'cases')
      return true
    },
  })
  return null
}
