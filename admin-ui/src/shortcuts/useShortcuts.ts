import { useEffect, useRef } from 'react'

/** Where typing is writing, not a command: shortcuts stay quiet there. */
const isTyping = (target: EventTarget | null): boolean => {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type)
}

/** A dialog, popover or pop-up menu is open (MUI modals; a closed one kept in the page is hidden): its keys win. */
const overlayOpen = (): boolean => document.querySelector('.MuiModal-root:not(.MuiModal-hidden)') !== null

/**
 * Single-key shortcuts (`j`, `e`, `?`…) while mounted: ignored while the person types
 * in a field, holds Ctrl, Alt or Meta, or has a dialog open. A handler that answers
 * false declines the key, which then does what it would have done.
 */
export function useShortcuts(keys: Record<string, () => boolean | undefined>, enabled = true): void {
  const ref = useRef(keys)
  ref.current = keys
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return
      if (isTyping(e.target) || overlayOpen()) return
      const run = ref.current[e.key]
      // A handler answering false leaves the key to the page (Enter on a button).
      if (run && run() !== false) e.preventDefault()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [enabled])
}

/** The shortcuts the help dialog lists, by where they work; the words are i18n keys. */
export const SHORTCUTS: readonly { section: string; keys: readonly { key: string; action: string }[] }[] = [
  {
    section: 'shortcuts.section.everywhere',
    keys: [{ key: '?', action: 'shortcuts.action.help' }],
  },
  {
    section: 'shortcuts.section.list',
    keys: [
      { key: 'j', action: 'shortcuts.action.next' },
      { key: 'k', action: 'shortcuts.action.previous' },
      { key: 'Enter', action: 'shortcuts.action.open' },
      { key: '/', action: 'shortcuts.action.search' },
    ],
  },
  {
    section: 'shortcuts.section.case',
    keys: [
      { key: 'e', action: 'shortcuts.action.edit' },
      { key: 'r', action: 'shortcuts.action.reply' },
      { key: 'n', action: 'shortcuts.action.note' },
      { key: 'a', action: 'shortcuts.action.assignToMe' },
      { key: 'l', action: 'shortcuts.action.backToList' },
    ],
  },
]
