/** A page of a list, as services take it: validated sort field, order and row window. */
export interface ListQuery<F, S extends string> {
  filter: F
  sort: S
  order: 'asc' | 'desc'
  offset: number
  limit: number
}

/** Counts stop here: beyond it the total is reported as a lower bound (`exact: false`). */
export const COUNT_CAP = 10_000

export interface ListResult<T> {
  rows: T[]
  total: number
  /** False when the count stopped at COUNT_CAP. */
  exact: boolean
}

/** Normalises a filter value that may be one item or a list into a list. */
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])
