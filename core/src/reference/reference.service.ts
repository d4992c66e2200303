import Type, { type Static } from 'typebox'
import type { Database } from '../db/db.ts'
import { asList, COUNT_CAP, type ListQuery, type ListResult } from '../list.ts'

const Id = Type.Integer({ minimum: 1 })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const OfficeView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
})
export const CategoryView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  nameIt: Type.String(),
  nameEn: Type.String(),
  officeId: Nullable(Type.Integer()),
  active: Type.Boolean(),
})
export const QueueView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  officeId: Nullable(Type.Integer()),
  active: Type.Boolean(),
})
/** The filter every reference list accepts: react-admin's getMany sends `id`. */
export const ReferenceFilter = Type.Object(
  {
    id: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })])),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ReferenceFilter = Static<typeof ReferenceFilter>
export const REFERENCE_SORTS = ['id', 'code', 'name'] as const
type RefSort = (typeof REFERENCE_SORTS)[number]

export type ReferenceService = ReturnType<typeof createReferenceService>

/** Read-only lists of offices, categories and queues (their administration comes with the admin screens). */
export function createReferenceService(db: Database) {
  async function page<T>(
    table: 'offices' | 'categories' | 'queues',
    columns: readonly string[],
    nameColumn: 'name' | 'nameIt',
    query: ListQuery<ReferenceFilter, RefSort>,
  ): Promise<ListResult<T>> {
    let q = db.selectFrom(table)
    if (query.filter.id !== undefined) q = q.where('id', 'in', asList(query.filter.id))
    if (query.filter.active !== undefined) q = q.where('active', '=', query.filter.active)
    if (query.filter.q)
      q = q.where(nameColumn, 'ilike', `%${query.filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    const sort = query.sort === 'name' ? nameColumn : query.sort
    const [rows, count] = await Promise.all([
      q
        .select(columns as never)
        .orderBy(sort, query.order)
        .orderBy('id')
        .offset(query.offset)
        .limit(query.limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: rows as T[], total: count.n, exact: count.n <= COUNT_CAP }
  }
  return {
    offices: (query: ListQuery<ReferenceFilter, RefSort>) =>
      page<Static<typeof OfficeView>>('offices', ['id', 'code', 'name', 'active'], 'name', query),
    categories: (query: ListQuery<ReferenceFilter, RefSort>) =>
      page<Static<typeof CategoryView>>(
        'categories',
        ['id', 'parentId', 'code', 'nameIt', 'nameEn', 'officeId', 'active'],
        'nameIt',
        query,
      ),
    queues: (query: ListQuery<ReferenceFilter, RefSort>) =>
      page<Static<typeof QueueView>>('queues', ['id', 'code', 'name', 'officeId', 'active'], 'name', query),
  }
}
