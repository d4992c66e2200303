/** A page of a list, as services take it: validated sort field, order and row window. */
export interface ListQuery<F, S extends string> {
  filter: F
  sort: S
  order: 'asc' | 'desc'
  offset: number
  limit: number
  /** Keyset pagination: continue after this cursor (from a previous page's `nextCursor`) instead of an offset. */
  after?: string
}

/** Lists count exactly up to here; beyond, the total is the planner's estimate (`exact: false`). */
export const COUNT_CAP = 1_000

export interface ListResult<T> {
  rows: T[]
  total: number
  /** False when the total is an estimate (more than COUNT_CAP rows matched). */
  exact: boolean
  /** Where the next page starts (keyset), when there may be one. */
  nextCursor?: string
}

/** A keyset cursor: the sort it belongs to and the last row's sort value and id. */
export interface Cursor {
  sort: string
  order: 'asc' | 'desc'
  value: string | number
  id: number
}

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.id])).toString('base64url')

/** The cursor, or null when it is malformed or belongs to another sort. */
export function decodeCursor(raw: string, sort: string, order: 'asc' | 'desc'): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== 4) return null
    const [s, o, value, id] = parsed
    if (s !== sort || o !== order || !Number.isInteger(id)) return null
    if (typeof value !== 'string' && typeof value !== 'number') return null
    return { sort, order, value, id }
  } catch {
    return null
  }
}

/** Normalises a filter value that may be one item or a list into a list. */
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])
