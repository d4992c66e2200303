import Type, { type Static } from 'typebox'
import { CategoryQuestion } from '../admin/category.questions.ts'
import { ASSIGNMENT_STRATEGIES } from '../routing/rule.schemas.ts'

const Id = Type.Integer({ minimum: 1 })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const OfficeView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer({ description: 'Send it back (body.version or If-Match) when changing the office' }),
})
export const CategoryView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  nameIt: Type.String(),
  nameEn: Type.String(),
  officeId: Nullable(
    Type.Integer({ description: 'The office cases of this category are routed to by default' }),
  ),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
  questions: Type.Array(CategoryQuestion, { description: 'Extra questions the web form and Open311 ask' }),
  requiredSkills: Type.Array(Type.String(), {
    description: 'Skills an agent needs for cases of this category (and of its subcategories)',
  }),
  version: Type.Integer(),
})
export const QueueView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  officeId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  assignmentStrategy: Type.Enum(ASSIGNMENT_STRATEGIES, {
    description: 'How waiting cases reach an agent: manual, round_robin, least_loaded or skill',
  }),
  releaseOnOffline: Type.Boolean({
    description: 'An agent going offline gives back the cases of this queue they have not started',
  }),
  memberIds: Type.Array(Type.Integer(), { description: 'The staff users this queue assigns cases to' }),
  version: Type.Integer(),
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

/** Categories also filter by parent (null: the roots) and by default office, for the tree editor. */
export const CategoryFilter = Type.Object(
  {
    ...ReferenceFilter.properties,
    parentId: Type.Optional(Nullable(Id)),
    officeId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type CategoryFilter = Static<typeof CategoryFilter>

/** Queues also filter by office. */
export const QueueFilter = Type.Object(
  { ...ReferenceFilter.properties, officeId: Type.Optional(Id) },
  { additionalProperties: false },
)
export type QueueFilter = Static<typeof QueueFilter>

export const OFFICE_SORTS = ['id', 'code', 'name'] as const
export const QUEUE_SORTS = ['id', 'code', 'name'] as const
export const CATEGORY_SORTS = ['id', 'code', 'nameIt', 'nameEn', 'sortOrder'] as const
