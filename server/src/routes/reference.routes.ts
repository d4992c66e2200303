import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CATEGORY_SORTS,
  CategoryFilter,
  CategoryView,
  type Deps,
  type ListQuery,
  type ListResult,
  OFFICE_SORTS,
  OfficeView,
  QUEUE_SORTS,
  QueueFilter,
  QueueView,
  ReferenceFilter,
} from '@filo/core'
import Type, { type TObject, type TSchema } from 'typebox'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

/** Lists of offices, categories and queues, for pickers and references in the console (writes: admin.routes.ts). */
export const referenceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { reference } = deps.services
  const list = <F extends ReferenceFilter, S extends string>(
    resource: string,
    view: TSchema,
    filter: TObject,
    sorts: readonly S[],
    defaultSort: S,
    load: (query: ListQuery<F, S>) => Promise<ListResult<unknown>>,
  ) =>
    app.get(
      `/${resource}`,
      {
        schema: {
          tags: ['reference'],
          summary: `List ${resource}`,
          description: `Sort by one of ${sorts.join(', ')}. Filter keys: ${Object.keys(filter.properties).join(', ')}.`,
          querystring: ListQuerystring,
          response: { 200: Type.Array(view), 400: { $ref: 'ErrorBody' } },
        },
      },
      async (req, reply) => {
        const query = parseListQuery<F, S>(req.query, {
          filter,
          sorts,
          defaultSort,
          defaultOrder: 'asc',
          lang: languageOf(req),
        })
        return sendList(reply, resource, query.offset, await load(query))
      },
    )
  list('offices', OfficeView, ReferenceFilter, OFFICE_SORTS, 'name', reference.offices)
  list('queues', QueueView, QueueFilter, QUEUE_SORTS, 'name', reference.queues)
  list('categories', CategoryView, CategoryFilter, CATEGORY_SORTS, 'nameIt', reference.categories)
}
