import { DomainError, type Language, type ListQuery, type ListResult } from '@filo/core'
import type { FastifyReply } from 'fastify'
import Type, { type Static } from 'typebox'
import { compile, describeErrors, summarise } from './validation.ts'

/** react-admin's simple-rest dialect: `sort`, `range` and `filter` are JSON in the query string. */
export const ListQuerystring = Type.Object(
  {
    sort: Type.Optional(Type.String({ maxLength: 200, description: 'JSON ["field","ASC"|"DESC"]' })),
    range: Type.Optional(Type.String({ maxLength: 100, description: 'JSON [start, end], inclusive' })),
    filter: Type.Optional(Type.String({ maxLength: 4000, description: 'JSON object of filters' })),
    cursor: Type.Optional(
      Type.String({
        maxLength: 500,
        description:
          'Keyset pagination: the X-Next-Cursor of the previous page (same sort); range then only sets the page size',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ListQuerystring = Static<typeof ListQuerystring>

export const MAX_PAGE = 500

function json(param: string, raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    throw new DomainError('invalid', 'invalid_json_param', `${param} is not JSON`, { params: { param } })
  }
}

/** Parses and validates a list request; every mistake becomes a clear 400. */
export function parseListQuery<F, S extends string>(
  qs: ListQuerystring,
  opts: {
    filter: object
    sorts: readonly S[]
    defaultSort: S
    defaultOrder?: 'asc' | 'desc'
    lang: Language
  },
): ListQuery<F, S> {
  let sort = opts.defaultSort
  let order = opts.defaultOrder ?? 'desc'
  if (qs.sort) {
    const parsed = json('sort', qs.sort)
    const [field, dir = 'ASC'] = Array.isArray(parsed) ? parsed : []
    if (typeof field !== 'string' || !(opts.sorts as readonly string[]).includes(field)) {
      throw new DomainError('invalid', 'invalid_sort', `cannot sort by ${String(field)}`, {
        params: { field: String(field), allowed: opts.sorts.join(', ') },
      })
    }
    if (dir !== 'ASC' && dir !== 'DESC') {
      throw new DomainError('invalid', 'invalid_sort', `bad sort order ${String(dir)}`, {
        params: { field: `${field} ${String(dir)}`, allowed: opts.sorts.join(', ') },
      })
    }
    sort = field as S
    order = dir === 'ASC' ? 'asc' : 'desc'
  }
  let offset = 0
  let limit = 25
  if (qs.range) {
    const parsed = json('range', qs.range)
    const ok =
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((n) => Number.isInteger(n) && n >= 0) &&
      parsed[0] <= parsed[1] &&
      parsed[1] - parsed[0] < MAX_PAGE
    if (!ok) throw new DomainError('invalid', 'invalid_range', 'bad range', { params: { max: MAX_PAGE } })
    offset = parsed[0]
    limit = parsed[1] - parsed[0] + 1
  }
  const filter = qs.filter ? json('filter', qs.filter) : {}
  const validate = compile(opts.filter)
  if (!validate(filter)) {
    const problems = describeErrors(validate.errors ?? [], opts.lang, '/filter')
    throw new DomainError('invalid', 'invalid_filter', 'bad filter', {
      params: { detail: summarise(problems) },
      details: problems,
    })
  }
  return { filter: filter as F, sort, order, offset, limit, ...(qs.cursor ? { after: qs.cursor } : {}) }
}

/** Sends a page with its Content-Range; X-Total-Exact says whether the total was capped, X-Next-Cursor where the next page starts. */
export function sendList<T>(reply: FastifyReply, resource: string, offset: number, result: ListResult<T>) {
  const range = result.rows.length > 0 ? `${offset}-${offset + result.rows.length - 1}` : '*'
  reply.header('content-range', `${resource} ${range}/${result.total}`)
  reply.header('x-total-exact', String(result.exact))
  if (result.nextCursor) reply.header('x-next-cursor', result.nextCursor)
  return result.rows
}
