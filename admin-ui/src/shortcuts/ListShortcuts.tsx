import { useEffect, useState } from 'react'
import { useListContext } from 'react-admin'
import { useShortcuts } from './useShortcuts.ts'

const rows = (): HTMLTableRowElement[] => [
  ...document.querySelectorAll<HTMLTableRowElement>('#main-content table tbody tr'),
]

/**
 * j / k move through the list's rows (the current one is focused and marked),
 * Enter opens it, / goes to the search box. Inside a react-admin List.
 */
export const ListShortcuts = () => {
  const { data } = useListContext()
  const [index, setIndex] = useState(-1)
  const [shown, setShown] = useState(data)
  // A new page of records: start again from the top.
  if (shown !== data) {
    setShown(data)
    setIndex(-1)
  }

  useEffect(() => {
    const all = rows()
    for (const [i, row] of all.entries()) {
      if (i === index) {
        row.setAttribute('aria-selected', 'true')
        row.tabIndex = -1
        row.style.outline = '2px solid currentColor'
        row.style.outlineOffset = '-2px'
        row.focus({ preventScroll: false })
      } else if (row.hasAttribute('aria-selected')) {
        row.removeAttribute('aria-selected')
        row.style.outline = ''
      }
    }
  }, [index])

  const move = (by: number) => {
    const count = rows().length
    if (count === 0) return true
    setIndex((i) => Math.min(count - 1, Math.max(0, i + by)))
    return true
  }

  const openRow = () => {
    const row = rows()[index]
    if (!row || document.activeElement !== row) return false
    row.click()
    return true
  }
  const search = () => {
    const input = document.querySelector<HTMLInputElement>('#main-content input[name="q"]')
    input?.focus()
    return input !== null
  }
  useShortcuts({ j: () => move(1), k: () => move(-1), Enter: openRow, '/': search })
  return null
}
