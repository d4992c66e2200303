import Type, { type Static } from 'typebox'
import { ROLES } from '../iam/iam.schemas.ts'
import { ASSIGNMENT_STRATEGIES } from '../routing/rule.schemas.ts'
import { CategoryQuestion, CategoryQuestions } from './category.questions.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max })
const Timestamp = Type.String({ format: 'date-time' })
const Version = Type.Optional(
  Type.Integer({ minimum: 1, description: 'The version you read; or send it as If-Match' }),
)
const Language = Type.Enum(['it', 'en'])
const Skill = Type.String({ pattern: '^[a-z0-9_.-]{1,40}$', examples: ['potature'] })
/** Skills an agent needs for a category's cases: the skill strategy assigns them only to agents with all of them. */
const RequiredSkills = Type.Array(Skill, { maxItems: 20, uniqueItems: true })
/** The same rule as the database's check constraints, so a bad code is a 400 naming the field. */
const OfficeCode = Type.String({ pattern: '^[a-z0-9_-]{2,40}$', examples: ['lavori-pubblici'] })
const CategoryCode = Type.String({ pattern: '^[a-z0-9_.-]{2,80}$', examples: ['strade.buche'] })

/** An initial or new password: long rather than clever (NIST SP 800-63B). */
export const PASSWORD_MIN_LENGTH = 12
const Password = (description: string) =>
  Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 200, description })

// ---- staff users ----------------------------------------------------------

/**
 * A staff user. Everyone signed in may list colleagues (the console needs names);
 * only administrators get the optional fields. Password hashes are never shown.
 */
export const UserView = Type.Object({
  id: Type.Integer(),
  fullName: Type.String(),
  role: Type.Enum(ROLES),
  officeIds: Type.Array(Type.Integer()),
  active: Type.Boolean(),
  email: Type.Optional(Type.String({ description: 'Administrators only' })),
  language: Type.Optional(Language),
  skills: Type.Optional(Type.Array(Type.String(), { description: 'Administrators only' })),
  capacity: Type.Optional(
    Type.Integer({ description: 'Administrators only: open cases routing may give them' }),
  ),
  extension: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'Administrators only: the phone extension the PBX names when they answer a call',
    }),
  ),
  version: Type.Optional(Type.Integer({ description: 'Administrators only' })),
  createdAt: Type.Optional(Timestamp),
  updatedAt: Type.Optional(Timestamp),
})
export type UserView = Static<typeof UserView>

/** Filters of the users list: getMany (`id`), pickers (`q`), and by role, office or status. */
export const UserFilter = Type.Object(
  {
    id: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })])),
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Words of the name (and, for admins, the email)' }),
    ),
    role: Type.Optional(Type.Union([Type.Enum(ROLES), Type.Array(Type.Enum(ROLES), { maxItems: 5 })])),
    officeId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type UserFilter = Static<typeof UserFilter>
/** Fields the users list sorts by (email: administrators only). */
export const USER_SORTS = ['id', 'fullName', 'email', 'role', 'createdAt'] as const

const userFields = {
  email: Type.String({ format: 'email', maxLength: 254 }),
  fullName: Text(200),
  role: Type.Enum(ROLES),
  language: Language,
  officeIds: Type.Array(Id, { maxItems: 50, description: 'office_staff need at least one' }),
  skills: Type.Array(Skill, { maxItems: 50 }),
  capacity: Type.Integer({ minimum: 0, maximum: 1000 }),
  active: Type.Boolean(),
  extension: Type.Union([Type.String({ pattern: '^[0-9A-Za-z*#+._@-]{1,60}$' }), Type.Null()], {
    description: "The PBX extension (or direct number) they answer on: the CTI webhook's answeringNumber",
  }),
}

/** A new staff account, with its initial password (hashed with argon2id, never stored or logged in clear). */
export const CreateUserBody = Type.Object(
  {
    email: userFields.email,
    fullName: userFields.fullName,
    role: userFields.role,
    language: Type.Optional(userFields.language),
    officeIds: Type.Optional(userFields.officeIds),
    skills: Type.Optional(userFields.skills),
    capacity: Type.Optional(userFields.capacity),
    active: Type.Optional(userFields.active),
    extension: Type.Optional(userFields.extension),
    password: Password(`The initial password, at least ${PASSWORD_MIN_LENGTH} characters`),
  },
  { additionalProperties: false },
)
export type CreateUserBody = Static<typeof CreateUserBody>

/** The fields of a staff account to change; `password` sets a new one. */
export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(userFields.email),
    fullName: Type.Optional(userFields.fullName),
    role: Type.Optional(userFields.role),
    language: Type.Optional(userFields.language),
    officeIds: Type.Optional(userFields.officeIds),
    skills: Type.Optional(userFields.skills),
    capacity: Type.Optional(userFields.capacity),
    active: Type.Optional(
      Type.Boolean({ description: 'false logs the user out at once (their sessions are deleted)' }),
    ),
    extension: Type.Optional(userFields.extension),
    password: Type.Optional(Password("A new password; the user's sessions end (unless it is your own)")),
    version: Version,
  },
  { additionalProperties: false },
)
export type UpdateUserBody = Static<typeof UpdateUserBody>

// ---- offices --------------------------------------------------------------

/** A new office of the Comune. */
export const CreateOfficeBody = Type.Object(
  {
    code: OfficeCode,
    name: Text(200),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    phone: Type.Optional(
      Nullable(Type.String({ pattern: '^\\+?[0-9 ./-]{3,30}$', examples: ['+39 0574 1836'] })),
    ),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateOfficeBody = Static<typeof CreateOfficeBody>

/** The fields of an office to change; `active: false` retires it. */
export const UpdateOfficeBody = Type.Object(
  {
    code: Type.Optional(CreateOfficeBody.properties.code),
    name: Type.Optional(CreateOfficeBody.properties.name),
    email: CreateOfficeBody.properties.email,
    phone: CreateOfficeBody.properties.phone,
    active: Type.Optional(Type.Boolean({ description: 'Offices are deactivated, never deleted' })),
    version: Version,
  },
  { additionalProperties: false },
)
export type UpdateOfficeBody = Static<typeof UpdateOfficeBody>

// ---- categories -----------------------------------------------------------

/** How deep the category tree goes: area › topic › detail. */
export const CATEGORY_MAX_DEPTH = 3

/** A new category; `officeId` is the office its cases are routed to by default. */
export const CreateCategoryBody = Type.Object(
  {
    code: CategoryCode,
    nameIt: Text(200),
    nameEn: Text(200),
    parentId: Type.Optional(Nullable(Id)),
    officeId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
    sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
    requiredSkills: Type.Optional(RequiredSkills),
    questions: Type.Optional(CategoryQuestions),
  },
  { additionalProperties: false },
)
export type CreateCategoryBody = Static<typeof CreateCategoryBody>

/** The fields of a category to change; a new `parentId` moves it with its subtree. */
export const UpdateCategoryBody = Type.Object(
  {
    code: Type.Optional(CategoryCode),
    nameIt: Type.Optional(Text(200)),
    nameEn: Type.Optional(Text(200)),
    parentId: CreateCategoryBody.properties.parentId,
    officeId: CreateCategoryBody.properties.officeId,
    active: Type.Optional(Type.Boolean()),
    sortOrder: CreateCategoryBody.properties.sortOrder,
    requiredSkills: Type.Optional(RequiredSkills),
    questions: Type.Optional(CategoryQuestions),
    version: Version,
  },
  { additionalProperties: false },
)
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>

const nodeFields = {
  id: Type.Integer(),
  code: Type.String(),
  nameIt: Type.String(),
  nameEn: Type.String(),
  officeId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
  requiredSkills: Type.Array(Type.String()),
  questions: Type.Array(CategoryQuestion),
}
// Spelled out level by level (the depth is capped at 3), so OpenAPI shows the whole shape.
const Leaf = Type.Object({ ...nodeFields, children: Type.Array(Type.Object({}), { maxItems: 0 }) })
const Middle = Type.Object({ ...nodeFields, children: Type.Array(Leaf) })
/** A root of the category tree with its descendants, siblings ordered by sortOrder then Italian name. */
export const CategoryTreeNode = Type.Object({ ...nodeFields, children: Type.Array(Middle) })
/** A node of the category tree as the service builds it (CategoryTreeNode is its schema). */
export interface CategoryTreeNodeData {
  id: number
  code: string
  nameIt: string
  nameEn: string
  officeId: number | null
  active: boolean
  sortOrder: number
  requiredSkills: string[]
  questions: CategoryQuestion[]
  children: CategoryTreeNodeData[]
}

/** Query of GET /categories/tree. */
export const CategoryTreeQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ description: 'Include inactive categories (default: active only)' })) },
  { additionalProperties: false },
)

// ---- queues ---------------------------------------------------------------

const queueFields = {
  assignmentStrategy: Type.Enum(ASSIGNMENT_STRATEGIES, {
    description:
      'manual (people assign), round_robin, least_loaded or skill (the category’s required skills)',
  }),
  releaseOnOffline: Type.Boolean({
    description: 'An agent going offline gives back the cases of this queue they have not started',
  }),
  memberIds: Type.Array(Id, {
    maxItems: 500,
    uniqueItems: true,
    description: 'The staff users the queue assigns to (replaces the whole list)',
  }),
}

/** A new work queue, optionally of one office. */
export const CreateQueueBody = Type.Object(
  {
    code: OfficeCode,
    name: Text(200),
    assignmentStrategy: Type.Optional(queueFields.assignmentStrategy),
    releaseOnOffline: Type.Optional(queueFields.releaseOnOffline),
    memberIds: Type.Optional(queueFields.memberIds),
    officeId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateQueueBody = Static<typeof CreateQueueBody>

/** The fields of a queue to change. */
export const UpdateQueueBody = Type.Object(
  {
    code: Type.Optional(OfficeCode),
    name: Type.Optional(Text(200)),
    officeId: CreateQueueBody.properties.officeId,
    active: Type.Optional(Type.Boolean()),
    assignmentStrategy: Type.Optional(queueFields.assignmentStrategy),
    releaseOnOffline: Type.Optional(queueFields.releaseOnOffline),
    memberIds: Type.Optional(queueFields.memberIds),
    version: Version,
  },
  { additionalProperties: false },
)
export type UpdateQueueBody = Static<typeof UpdateQueueBody>
