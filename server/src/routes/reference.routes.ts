import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CATEGORY_SORTS,
  CategoryView,
  type Deps,
  type ListQuery,
  type ListResult,
  OFFICE_SORTS,
  OfficeView,
  QUEUE_SORTS,
  QueueView,
  ReferenceFilter,
} from '@filo/core'
import Type, { type TSchema } from 'typebox'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

/** Read-only lists of offices, categories and queues, for pickers and references in the console. */
export const referenceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { reference } = deps.services
  const list = <S extends string>(
    resource: string,
    view: TSchema,
    sorts: readonly S[],
    defaultSort: S,
    load: (query: ListQuery<ReferenceFilter, S>) => Promise<ListResult<unknown>>,
  ) =>
    app.get(
      `/${resource}`,
      {
        schema: {
          tags: ['reference'],
          summary: `List ${resource}`,
          description: `Sort by one of ${sorts.join(', ')}. Filter keys: id, q, active.`,
          querystring: ListQuerystring,
          response: { 200: Type.Array(view), 400: { $ref: 'ErrorBody' } },
        },
      },
      async (req, reply) => {
        const query = parseListQuery<ReferenceFilter, S>(req.query, {
          filter: ReferenceFilter,
          sorts,
          defaultSort,
          defaultOrder: 'asc',
          lang: languageOf(req),
        })
        return sendList(reply, resource, query.offset, await load(query))
      },
    )
  list('offices', OfficeView, OFFICE_SORTS, 'name', reference.offices)
  list('queues', QueueView, QUEUE_SORTS, 'name', reference.queues)
  list('categories', CategoryView, CATEGORY_SORTS, 'nameIt', reference.categories)
}
