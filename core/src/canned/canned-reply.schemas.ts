import Type, { type Static } from 'typebox'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const DateTime = Type.String({ format: 'date-time' })
const CannedLanguage = Type.Union([Type.Literal('it'), Type.Literal('en')])

/**
 * The variables a canned reply may use, written `{{name}}`, and what fills them from
 * the case: its number, subject, the contact's name, the public status page link, the
 * status and category in the reply's language, the staff member writing, the date opened.
 */
export const CANNED_VARIABLES = [
  'numero',
  'oggetto',
  'nome',
  'link_stato',
  'stato',
  'categoria',
  'ufficio',
  'operatore',
  'data_apertura',
] as const
export type CannedVariable = (typeof CANNED_VARIABLES)[number]

export const CannedReplyView = Type.Object({
  id: Id,
  title: Type.String(),
  language: CannedLanguage,
  body: Type.String(),
  /** Offered first on cases of this category (null: on every case). */
  categoryId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  /** The `{{variables}}` the body uses. */
  variables: Type.Array(Type.String()),
  version: Type.Integer(),
  createdBy: Nullable(Type.Integer()),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type CannedReplyView = Static<typeof CannedReplyView>

export const CreateCannedReplyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    language: Type.Optional(CannedLanguage),
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
    categoryId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateCannedReplyBody = Static<typeof CreateCannedReplyBody>

export const UpdateCannedReplyBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    language: Type.Optional(CannedLanguage),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
    categoryId: Type.Optional(Nullable(Id)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type UpdateCannedReplyBody = Static<typeof UpdateCannedReplyBody>

export const CannedReplyFilter = Type.Object(
  {
    id: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 100 })])),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    language: Type.Optional(CannedLanguage),
    active: Type.Optional(Type.Boolean()),
    categoryId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type CannedReplyFilter = Static<typeof CannedReplyFilter>
export const CANNED_REPLY_SORTS = ['title', 'id', 'updatedAt'] as const

export const RenderCannedReplyBody = Type.Object({ caseId: Id }, { additionalProperties: false })
export type RenderCannedReplyBody = Static<typeof RenderCannedReplyBody>

/** A canned reply filled in for one case: the text to put in the reply box. */
export const RenderedCannedReply = Type.Object({
  id: Id,
  caseId: Id,
  text: Type.String(),
  /** Variables the case had no value for (a case without a contact has no name): left blank. */
  missing: Type.Array(Type.String()),
})
export type RenderedCannedReply = Static<typeof RenderedCannedReply>
