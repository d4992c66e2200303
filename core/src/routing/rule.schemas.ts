import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { ChannelSchema, PrioritySchema } from '../cases/case.schemas.ts'
import { DomainError, type MessageParams } from '../errors.ts'
import { LANGUAGES } from '../i18n.ts'
import { phraseKeys } from './text-match.ts'
import './rule.messages.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/** GeoJSON position, [longitude, latitude]; altitude is not accepted. */
export const PositionSchema = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
])
// A closed ring needs three corners plus the first repeated; closure itself is checked in routingRuleProblems.
const Ring = Type.Array(PositionSchema, { minItems: 4, maxItems: 10_000 })
const PolygonRings = Type.Array(Ring, { minItems: 1, maxItems: 100 })

/** GeoJSON Polygon: the outer ring, then any holes. */
export const PolygonSchema = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: PolygonRings },
  { additionalProperties: false },
)
/** GeoJSON MultiPolygon: polygons, each with its holes. */
export const MultiPolygonSchema = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(PolygonRings, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
)
export const AreaSchema = Type.Union([PolygonSchema, MultiPolygonSchema])

const WordList = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { minItems: 1, maxItems: 100 })

/**
 * Words looked for in the subject and the body. An entry of several words is a
 * phrase: its words must follow one another. Matching forgives case, accents and
 * plurals (see text-match.ts).
 */
export const WordsCondition = Type.Object(
  {
    /** At least one of these occurs. */
    any: Type.Optional(WordList),
    /** Every one of these occurs. */
    all: Type.Optional(WordList),
    /** None of these occurs. */
    none: Type.Optional(WordList),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const ContactCondition = Type.Object(
  {
    hasFiscalCode: Type.Optional(Type.Boolean()),
    isOrganisation: Type.Optional(Type.Boolean()),
    language: Type.Optional(Type.Enum(LANGUAGES)),
  },
  { additionalProperties: false, minProperties: 1 },
)

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', examples: ['08:30'] })

/**
 * When, in Europe/Rome local time, a message may be received. `from` is
 * inclusive and `to` exclusive; without `from` the window starts at 00:00,
 * without `to` it runs to midnight. A window with `from` after `to` crosses
 * midnight, and `days` (ISO, 1 = Monday … 7 = Sunday) names the day it starts
 * on: Friday 22:00–06:00 covers Saturday 05:00 too.
 */
export const TimeWindow = Type.Object(
  {
    days: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    ),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
  },
  { additionalProperties: false, minProperties: 1 },
)

/** What a message must satisfy; every condition given must hold, and a rule with none matches every message. */
export const RoutingConditions = Type.Object(
  {
    channel: Type.Optional(Type.Array(ChannelSchema, { minItems: 1, uniqueItems: true })),
    categoryIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true })),
    words: Type.Optional(WordsCondition),
    contact: Type.Optional(ContactCondition),
    area: Type.Optional(AreaSchema),
    timeWindow: Type.Optional(TimeWindow),
  },
  { additionalProperties: false },
)

export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'least_loaded', 'skill'] as const
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number]

/** What a matching rule does to the new case; at least one action. */
export const RoutingActions = Type.Object(
  {
    queueId: Type.Optional(Id),
    officeId: Type.Optional(Id),
    categoryId: Type.Optional(Id),
    priority: Type.Optional(PrioritySchema),
    slaPolicyId: Type.Optional(Id),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,\\s][^,]*$' }), { maxItems: 20 }),
    ),
    assignment: Type.Optional(Type.Enum(ASSIGNMENT_STRATEGIES)),
  },
  { additionalProperties: false, minProperties: 1 },
)

/** A routing rule as an admin edits it and the database stores it (as JSON). */
export const RoutingRule = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    /** Lower runs first; rules of equal order run by id. */
    order: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    enabled: Type.Boolean(),
    conditions: RoutingConditions,
    actions: RoutingActions,
  },
  { additionalProperties: false },
)

export type WordsCondition = Static<typeof WordsCondition>
export type ContactCondition = Static<typeof ContactCondition>
export type TimeWindow = Static<typeof TimeWindow>
export type RoutingConditions = Static<typeof RoutingConditions>
export type RoutingActions = Static<typeof RoutingActions>
export type RoutingRule = Static<typeof RoutingRule>

/** One thing wrong with a rule: where (a JSON pointer into the rule) and a message code with its parameters. */
export interface RuleProblem {
  path: string
  code: string
  params: MessageParams
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Everything wrong with a rule, in terms an admin can act on; empty when it is
 * valid. Shape errors come first; the checks JSON Schema cannot express (closed
 * rings, a window of zero length, words without letters, a word both required
 * and excluded) run once the shape is right.
 */
export function routingRuleProblems(input: unknown): RuleProblem[] {
  const shape = shapeProblems(input)
  const problems = shape.length > 0 || !Value.Check(RoutingRule, input) ? shape : meaningProblems(input)
  // The path goes into the parameters too, so every message can name the field.
  return problems.map((p) => ({ ...p, params: { ...p.params, path: p.path } }))
}

/** The rule, typed, or a DomainError (kind `invalid`) naming its first problem and listing all in `details`. */
export function parseRoutingRule(input: unknown): RoutingRule {
  const problems = routingRuleProblems(input)
  const first = problems[0]
  if (first) {
    throw new DomainError('invalid', first.code, `routing rule ${first.path}: ${first.code}`, {
      params: first.params,
      details: problems,
    })
  }
  return input as RoutingRule
}

function shapeProblems(input: unknown): RuleProblem[] {
  // The area is checked against Polygon or MultiPolygon alone, chosen by its `type`:
  // against the union, one mistake would be reported once per alternative.
  const conditions = isRecord(input) && isRecord(input.conditions) ? input.conditions : undefined
  if (!conditions || !('area' in conditions)) return schemaErrors(RoutingRule, input, '')
  const { area, ...otherConditions } = conditions
  const problems = schemaErrors(RoutingRule, { ...(input as object), conditions: otherConditions }, '')
  const type = isRecord(area) ? area.type : undefined
  if (type === 'Polygon') problems.push(...schemaErrors(PolygonSchema, area, '/conditions/area'))
  else if (type === 'MultiPolygon')
    problems.push(...schemaErrors(MultiPolygonSchema, area, '/conditions/area'))
  else
    problems.push({
      path: '/conditions/area',
      code: 'routing_area_type',
      params: { type: typeof type === 'string' ? type : '—' },
    })
  return problems
}

function schemaErrors(schema: TSchema, value: unknown, prefix: string): RuleProblem[] {
  const errors = Value.Errors(schema, value)
  const unknownFieldParents = new Set(
    errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath),
  )
  const problems: RuleProblem[] = []
  for (const e of errors) {
    const path = prefix + e.instancePath
    // TypeBox reports an unknown field twice: as the parent's additionalProperties and as "schema is false".
    if (e.keyword === 'boolean' && unknownFieldParents.has(e.instancePath.replace(/\/[^/]*$/, ''))) continue
    problems.push(describeSchemaError(path, e.keyword, e.params, e.message))
  }
  return problems
}

function describeSchemaError(path: string, keyword: string, params: unknown, detail: string): RuleProblem {
  const p = isRecord(params) ? params : {}
  if (keyword === 'additionalProperties') {
    const fields = Array.isArray(p.additionalProperties) ? p.additionalProperties.join(', ') : ''
    return { path, code: 'routing_rule_unknown_field', params: { field: fields } }
  }
  if (keyword === 'minProperties') return { path, code: 'routing_section_empty', params: {} }
  if (keyword === 'minItems' && /\/words\/(any|all|none)$/.test(path))
    return { path, code: 'routing_words_list_empty', params: {} }
  // Only rings ask for four items; an empty polygon or polygon list falls through to the generic message.
  if (keyword === 'minItems' && path.includes('/area/coordinates/') && p.limit === 4)
    return { path, code: 'routing_ring_too_short', params: {} }
  if ((keyword === 'minimum' || keyword === 'maximum') && /\/area\/coordinates(\/\d+)+$/.test(path))
    return { path, code: 'routing_position_out_of_range', params: {} }
  if (keyword === 'pattern' && /\/timeWindow\/(from|to)$/.test(path))
    return { path, code: 'routing_time_invalid', params: {} }
  return { path, code: 'routing_rule_invalid', params: { detail } }
}

function meaningProblems(rule: RoutingRule): RuleProblem[] {
  const problems: RuleProblem[] = []
  const { area, timeWindow, words } = rule.conditions
  if (area) {
    const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates
    const base = '/conditions/area/coordinates'
    polygons.forEach((rings, i) => {
      rings.forEach((ring, j) => {
        const first = ring[0]
        const last = ring[ring.length - 1]
        if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
          const path = area.type === 'Polygon' ? `${base}/${j}` : `${base}/${i}/${j}`
          problems.push({ path, code: 'routing_ring_not_closed', params: {} })
        }
      })
    })
  }
  if (timeWindow?.from !== undefined && timeWindow.from === timeWindow.to) {
    problems.push({
      path: '/conditions/timeWindow',
      code: 'routing_time_window_empty',
      params: { from: timeWindow.from },
    })
  }
  if (words) {
    const keyOf = (w: string) => phraseKeys(w).join(' ')
    for (const list of ['any', 'all', 'none'] as const) {
      words[list]?.forEach((word, i) => {
        if (keyOf(word) === '')
          problems.push({
            path: `/conditions/words/${list}/${i}`,
            code: 'routing_word_no_letters',
            params: { word },
          })
      })
    }
    const excluded = new Set((words.none ?? []).map(keyOf))
    for (const word of [...(words.any ?? []), ...(words.all ?? [])]) {
      if (keyOf(word) !== '' && excluded.has(keyOf(word)))
        problems.push({ path: '/conditions/words', code: 'routing_words_contradictory', params: { word } })
    }
  }
  return problems
}
