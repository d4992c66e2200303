import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CategoryView,
  type Deps,
  type ListResult,
  OfficeView,
  QueueView,
  REFERENCE_SORTS,
  ReferenceFilter,
  type ReferenceService,
} from '@filo/core'
import Type, { type TSchema } from 'typebox'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

/** Read-only lists of offices, categories and queues, for pickers and references in the console. */
export const referenceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const lists: [string, keyof ReferenceService, TSchema][] = [
    ['offices', 'offices', OfficeView],
    ['categories', 'categories', CategoryView],
    ['queues', 'queues', QueueView],
  ]
  for (const [resource, method, view] of lists) {
    app.get(
      `/${resource}`,
      {
        schema: {
          tags: ['reference'],
          summary: `List ${resource}`,
          querystring: ListQuerystring,
          response: { 200: Type.Array(view), 400: { $ref: 'ErrorBody' } },
        },
      },
      async (req, reply) => {
        const query = parseListQuery<ReferenceFilter, (typeof REFERENCE_SORTS)[number]>(req.query, {
          filter: ReferenceFilter,
          sorts: REFERENCE_SORTS,
          defaultSort: 'name',
          defaultOrder: 'asc',
          lang: languageOf(req),
        })
        const result: ListResult<unknown> = await deps.services.reference[method](query)
        return sendList(reply, resource, query.offset, result)
      },
    )
  }
}
