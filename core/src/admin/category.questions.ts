import { sql } from 'kysely'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'

/** Kinds of answer a category's extra question takes; the names are Open311's `datatype`s. */
export const QUESTION_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const
export type QuestionDatatype = (typeof QUESTION_DATATYPES)[number]
/** Datatypes whose answer is picked from `values`. */
export const LIST_DATATYPES: readonly QuestionDatatype[] = ['singlevaluelist', 'multivaluelist']

const Label = Type.String({ minLength: 1, maxLength: 200 })

/** One choice of a list question. */
export const CategoryQuestionValue = Type.Object(
  {
    key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,60}$', examples: ['grande'] }),
    nameIt: Label,
    nameEn: Label,
  },
  { additionalProperties: false },
)

/** An extra question the web form (and Open311's service definition) asks for a category. */
export const CategoryQuestion = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', examples: ['dimensione'] }),
    labelIt: Label,
    labelEn: Label,
    datatype: Type.Enum(QUESTION_DATATYPES),
    required: Type.Boolean(),
    order: Type.Integer({ minimum: 0, maximum: 1000 }),
    values: Type.Optional(
      Type.Array(CategoryQuestionValue, {
        maxItems: 100,
        description: 'The choices, required for singlevaluelist and multivaluelist only',
      }),
    ),
  },
  { additionalProperties: false },
)
export type CategoryQuestion = Static<typeof CategoryQuestion>

/** A category's extra questions: codes unique, values only (and always) for list datatypes. */
export const CategoryQuestions = Type.Array(CategoryQuestion, { maxItems: 30 })

// categories.questions holds snake_case keys, like every other name in the database.
const StoredQuestion = Type.Object({
  code: Type.String(),
  label_it: Type.String(),
  label_en: Type.String(),
  datatype: Type.Enum(QUESTION_DATATYPES),
  required: Type.Boolean(),
  order: Type.Integer(),
  values: Type.Optional(
    Type.Array(Type.Object({ key: Type.String(), name_it: Type.String(), name_en: Type.String() })),
  ),
})
const StoredQuestions = Type.Array(StoredQuestion)
type StoredQuestion = Static<typeof StoredQuestion>

/** The column's JSON, ordered by `order` then `code` so every reader sees the same sequence. */
export function questionsToDb(questions: readonly CategoryQuestion[]): string {
  const stored: StoredQuestion[] = [...questions]
    .sort((a, b) => a.order - b.order || a.code.localeCompare(b.code))
    .map((q) => ({
      code: q.code,
      label_it: q.labelIt,
      label_en: q.labelEn,
      datatype: q.datatype,
      required: q.required,
      order: q.order,
      ...(q.values
        ? { values: q.values.map((v) => ({ key: v.key, name_it: v.nameIt, name_en: v.nameEn })) }
        : {}),
    }))
  return JSON.stringify(stored)
}

/**
 * Selects categories.questions as text: Kysely's CamelCasePlugin would otherwise
 * rename the keys inside the JSON too, and the stored shape is read here, explicitly.
 */
export const questionsColumn = () => sql<string>`questions::text`.as('questions')

/** Every column a category is read with: its fields, its version and its questions (as text, see above). */
export const categoryColumns = () =>
  [
    'id',
    'parentId',
    'code',
    'nameIt',
    'nameEn',
    'officeId',
    'active',
    'sortOrder',
    'requiredSkills',
    'version',
    questionsColumn(),
  ] as const

/**
 * The questions read from the column (as selected by questionsColumn). A shape Filo
 * did not write (a hand-made SQL insert) fails loudly here rather than reaching the
 * web form half-formed.
 */
export function questionsFromDb(text: string): CategoryQuestion[] {
  const json: unknown = JSON.parse(text)
  if (!Value.Check(StoredQuestions, json))
    throw new Error('categories.questions does not hold valid questions')
  return json.map((q) => ({
    code: q.code,
    labelIt: q.label_it,
    labelEn: q.label_en,
    datatype: q.datatype,
    required: q.required,
    order: q.order,
    ...(q.values
      ? { values: q.values.map((v) => ({ key: v.key, nameIt: v.name_it, nameEn: v.name_en })) }
      : {}),
  }))
}

/** The first rule a set of questions breaks, as a message code with its parameters; null when they are sound. */
export function questionProblem(
  questions: readonly CategoryQuestion[],
): { code: string; params: Record<string, string> } | null {
  // The route validates the shape already; core checks again for callers that are not the API.
  if (!Value.Check(CategoryQuestions, questions)) return { code: 'category_question_invalid', params: {} }
  const codes = new Set<string>()
  for (const q of questions) {
    if (codes.has(q.code)) return { code: 'category_question_code_twice', params: { code: q.code } }
    codes.add(q.code)
    const isList = LIST_DATATYPES.includes(q.datatype)
    if (isList && !q.values?.length)
      return { code: 'category_question_values_required', params: { code: q.code } }
    if (!isList && q.values !== undefined) {
      return { code: 'category_question_values_unexpected', params: { code: q.code, datatype: q.datatype } }
    }
    const keys = new Set<string>()
    for (const v of q.values ?? []) {
      if (keys.has(v.key))
        return { code: 'category_question_value_twice', params: { code: q.code, key: v.key } }
      keys.add(v.key)
    }
  }
  return null
}
