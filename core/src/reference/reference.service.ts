import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import { categoryColumns, questionsFromDb } from '../admin/category.questions.ts'
import { queueColumns } from '../admin/queue.service.ts'
import type { Database } from '../db/db.ts'
import { asList, COUNT_CAP, type ListQuery, type ListResult } from '../list.ts'
import type {
  CATEGORY_SORTS,
  CategoryFilter,
  CategoryView,
  OFFICE_SORTS,
  OfficeView,
  QUEUE_SORTS,
  QueueFilter,
  QueueView,
  ReferenceFilter,
} from './reference.schemas.ts'

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The common filter as SQL over columns every reference table has (id, active) and its name columns. */
function filterSql(
  filter: ReferenceFilter & { parentId?: number | null; officeId?: number },
  nameColumns: readonly string[],
): Expression<SqlBool> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`]
  if (filter.id !== undefined) parts.push(sql<boolean>`id = any(${asList(filter.id)}::bigint[])`)
  if (filter.active !== undefined) parts.push(sql<boolean>`active = ${filter.active}`)
  if (filter.officeId !== undefined) parts.push(sql<boolean>`office_id = ${filter.officeId}`)
  if (filter.parentId === null) parts.push(sql<boolean>`parent_id is null`)
  else if (filter.parentId !== undefined) parts.push(sql<boolean>`parent_id = ${filter.parentId}`)
  if (filter.q) {
    const pattern = escapeLike(filter.q)
    parts.push(
      sql<boolean>`(${sql.join(
        nameColumns.map((c) => sql`${sql.ref(c)} ilike ${pattern}`),
        sql` or `,
      )})`,
    )
  }
  return sql<boolean>`${sql.join(parts, sql` and `)}`
}

async function paged<R>(rows: Promise<R[]>, count: Promise<{ n: number }>): Promise<ListResult<R>> {
  const [list, { n }] = await Promise.all([rows, count])
  return { rows: list, total: n, exact: n <= COUNT_CAP }
}

export type ReferenceService = ReturnType<typeof createReferenceService>

/** Lists of offices, categories and queues (their administration is in core/src/admin). */
export function createReferenceService(db: Database) {
  return {
    offices(
      query: ListQuery<ReferenceFilter, (typeof OFFICE_SORTS)[number]>,
    ): Promise<ListResult<OfficeView>> {
      const q = db.selectFrom('offices').where(filterSql(query.filter, ['name', 'code']))
      return paged(
        q
          .select(['id', 'code', 'name', 'email', 'phone', 'active', 'version'])
          .orderBy(query.sort, query.order)
          .orderBy('id')
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      )
    },
    queues(query: ListQuery<QueueFilter, (typeof QUEUE_SORTS)[number]>): Promise<ListResult<QueueView>> {
      const q = db.selectFrom('queues').where(filterSql(query.filter, ['name', 'code']))
      return paged(
        q
          .select(queueColumns())
          .orderBy(query.sort, query.order)
          .orderBy('id')
          .offset(query.offset)
          .limit(query.limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      )
    },
    categories(
      query: ListQuery<CategoryFilter, (typeof CATEGORY_SORTS)[number]>,
    ): Promise<ListResult<CategoryView>> {
      const q = db.selectFrom('categories').where(filterSql(query.filter, ['name_it', 'name_en', 'code']))
      return paged(
        q
          .select(categoryColumns())
          .orderBy(query.sort, query.order)
          .orderBy('id')
          .offset(query.offset)
          .limit(query.limit)
          .execute()
          .then((rows) => rows.map((r) => ({ ...r, questions: questionsFromDb(r.questions) }))),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      )
    },
  }
}
