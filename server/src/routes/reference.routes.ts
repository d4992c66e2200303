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
import { PRATO_AREAS } from '@filo/core/routing/prato-areas'
import { PolygonSchema } from '@filo/core/routing/rule.schemas'
import Type, { type TObject, type TSchema } from 'typebox'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

/** A preset area for routing rules: an approximate circoscrizione of Prato, with a point inside it. */
const AreaPresetView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  geometry: PolygonSchema,
  centre: Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
})

/** The average of a convex ring's corners: inside it, and a fair place to drop a test pin. */
const centreOf = (ring: readonly (readonly [number, number])[]) => {
  const corners = ring.slice(0, -1)
  const mean = (i: 0 | 1) => corners.reduce((sum, p) => sum + p[i], 0) / Math.max(corners.length, 1)
  return { latitude: mean(1), longitude: mean(0) }
}

const AREA_PRESETS = PRATO_AREAS.map((area) => ({
  id: area.key,
  name: area.name,
  geometry: area.geometry,
  centre: centreOf(area.geometry.coordinates[0] ?? []),
}))

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

  app.get(
    '/reference/areas',
    {
      schema: {
        tags: ['reference'],
        summary:
          'Preset areas for routing rules: Prato’s circoscrizioni (approximate shapes, not official boundaries)',
        response: { 200: Type.Array(AreaPresetView) },
      },
    },
    async () => AREA_PRESETS,
  )
}
