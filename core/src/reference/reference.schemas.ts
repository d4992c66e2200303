import Type, { type Static } from 'typebox'

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
export type OfficeView = Static<typeof OfficeView>
export type CategoryView = Static<typeof CategoryView>
export type QueueView = Static<typeof QueueView>

/** The filter every reference list accepts: react-admin's getMany sends `id`, pickers send `q`. */
export const ReferenceFilter = Type.Object(
  {
    id: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })])),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ReferenceFilter = Static<typeof ReferenceFilter>

export const OFFICE_SORTS = ['id', 'code', 'name'] as const
export const QUEUE_SORTS = ['id', 'code', 'name'] as const
export const CATEGORY_SORTS = ['id', 'code', 'nameIt', 'nameEn', 'sortOrder'] as const
