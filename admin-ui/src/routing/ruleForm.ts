import type {
  RoutingRuleView,
  RoutingSample,
  RoutingTestResult,
} from '@filo/core/routing/routing.api.schemas'
import type { AssignmentStrategy, RoutingActions, RoutingConditions } from '@filo/core/routing/rule.schemas'

export type RoutingRule = RoutingRuleView
export type { RoutingActions, RoutingConditions, RoutingSample, RoutingTestResult }
export type RoutingArea = NonNullable<RoutingConditions['area']>

// The schemas' modules pull in TypeBox; the console only needs these values, checked against their types.
/** How a matching rule hands the case to an agent. */
export const ASSIGNMENT_STRATEGIES = [
  'manual',
  'round_robin',
  'least_loaded',
  'skill',
] as const satisfies readonly AssignmentStrategy[]
/** ISO weekdays, 1 = Monday … 7 = Sunday, as the time window names them. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const

/** A preset area (GET /reference/areas): an approximate circoscrizione of Prato and a point inside it. */
export interface AreaPreset {
  id: string
  name: string
  geometry: RoutingArea
  centre: { latitude: number; longitude: number }
}

/** The area input: anywhere, one of the presets (by id), or a custom GeoJSON shape. */
export const AREA_NONE = ''
export const AREA_CUSTOM = 'custom'

/**
 * The form's values: the rule as the API shows it, except the area, which is chosen
 * as a preset or typed as GeoJSON text (`areaMode`, `areaGeoJson`).
 */
export interface RuleFormValues {
  id?: number
  version?: number
  name: string
  position: number
  enabled: boolean
  conditions: FormConditions
  actions: FormActions
  areaMode: string
  areaGeoJson: string
}

type Nullable<T> = { [K in keyof T]?: T[K] | null }
type FormConditions = Nullable<Omit<RoutingConditions, 'area' | 'contact' | 'words' | 'timeWindow'>> & {
  words?: Nullable<NonNullable<RoutingConditions['words']>> | null
  contact?: Nullable<NonNullable<RoutingConditions['contact']>> | null
  timeWindow?: Nullable<NonNullable<RoutingConditions['timeWindow']>> | null
}
type FormActions = Nullable<RoutingActions>

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The preset an area is, if it is one exactly. */
export const presetOf = (area: RoutingArea | undefined, presets: readonly AreaPreset[]) =>
  area ? presets.find((p) => sameJson(p.geometry, area)) : undefined

/** A stored rule as the form edits it. */
export function toFormValues(rule: RoutingRule, presets: readonly AreaPreset[]): RuleFormValues {
  const { area, ...conditions } = rule.conditions
  const preset = presetOf(area, presets)
  return {
    id: rule.id,
    version: rule.version,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    conditions,
    actions: rule.actions,
    areaMode: preset ? preset.id : area ? AREA_CUSTOM : AREA_NONE,
    areaGeoJson: area && !preset ? JSON.stringify(area, null, 2) : '',
  }
}

/** A new rule's starting values: enabled, after the rules there are, no conditions. */
export const newRuleValues = (position = 100): Partial<RuleFormValues> => ({
  position,
  enabled: true,
  conditions: {},
  actions: {},
  areaMode: AREA_NONE,
  areaGeoJson: '',
})

const strings = (list: readonly (string | null | undefined)[] | null | undefined): string[] | undefined => {
  const kept = (list ?? []).map((s) => (s ?? '').trim()).filter((s) => s !== '')
  return kept.length ? [...new Set(kept)] : undefined
}

/** Drops the keys whose value is undefined, null, '' or an empty list; undefined when nothing is left. */
const compact = <T extends object>(value: T): Partial<T> | undefined => {
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
  )
  return entries.length ? (Object.fromEntries(entries) as Partial<T>) : undefined
}

/** The area the form describes; undefined for "anywhere" or unreadable GeoJSON (validation says why). */
export function areaOf(
  values: Pick<RuleFormValues, 'areaMode' | 'areaGeoJson'>,
  presets: readonly AreaPreset[],
) {
  if (values.areaMode === AREA_NONE || !values.areaMode) return undefined
  if (values.areaMode === AREA_CUSTOM) {
    try {
      return JSON.parse(values.areaGeoJson) as RoutingArea
    } catch {
      return undefined
    }
  }
  return presets.find((p) => p.id === values.areaMode)?.geometry
}

/**
 * The form's values as the API takes them: empty inputs left out (the API refuses
 * empty lists and sections), words and tags trimmed, days in order.
 */
export function fromFormValues(values: RuleFormValues, presets: readonly AreaPreset[]) {
  const c = values.conditions ?? {}
  const a = values.actions ?? {}
  const words = compact({
    any: strings(c.words?.any),
    all: strings(c.words?.all),
    none: strings(c.words?.none),
  })
  const contact = compact({
    hasFiscalCode: c.contact?.hasFiscalCode,
    isOrganisation: c.contact?.isOrganisation,
    language: c.contact?.language,
  })
  const timeWindow = compact({
    days: c.timeWindow?.days ? [...c.timeWindow.days].sort((x, y) => x - y) : undefined,
    from: c.timeWindow?.from,
    to: c.timeWindow?.to,
  })
  const conditions =
    compact({
      channel: c.channel,
      categoryIds: c.categoryIds,
      words,
      contact,
      area: areaOf(values, presets),
      timeWindow,
    }) ?? {}
  const actions =
    compact({
      queueId: a.queueId,
      officeId: a.officeId,
      categoryId: a.categoryId,
      priority: a.priority,
      slaPolicyId: a.slaPolicyId,
      tags: strings(a.tags),
      assignment: a.assignment,
    }) ?? {}
  return {
    name: (values.name ?? '').trim(),
    position: values.position,
    enabled: values.enabled,
    conditions: conditions as RoutingConditions,
    actions: actions as RoutingActions,
  }
}

type Check = string | { message: string; args: Record<string, string> } | undefined

const isPosition = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n))

/** The custom area's GeoJSON, checked as the API will: a Polygon or MultiPolygon of closed rings in range. */
export function validateGeoJson(text: string, values: { areaMode?: string }): Check {
  if (values.areaMode !== AREA_CUSTOM) return undefined
  if (!text?.trim()) return 'ra.validation.required'
  let area: unknown
  try {
    area = JSON.parse(text)
  } catch (err) {
    return { message: 'routing.area.invalidJson', args: { error: err instanceof Error ? err.message : '' } }
  }
  if (typeof area !== 'object' || area === null || !('type' in area) || !('coordinates' in area))
    return 'routing.area.invalidType'
  const { type, coordinates } = area
  if ((type !== 'Polygon' && type !== 'MultiPolygon') || !Array.isArray(coordinates) || !coordinates.length)
    return 'routing.area.invalidType'
  const polygons: unknown[] = type === 'Polygon' ? [coordinates] : coordinates
  for (const rings of polygons) {
    if (!Array.isArray(rings) || !rings.length) return 'routing.area.invalidRing'
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition))
        return 'routing.area.invalidRing'
      const positions = ring as [number, number][]
      if (positions.some(([lon, lat]) => Math.abs(lon) > 180 || Math.abs(lat) > 90))
        return 'routing.area.outOfRange'
      const first = positions[0]
      const last = positions[positions.length - 1]
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return 'routing.area.invalidRing'
    }
  }
  return undefined
}

/** The value an input's onChange reports: react-admin passes the DOM event for selects, the value for others. */
export function changedValue(event: unknown): unknown {
  const target = typeof event === 'object' && event !== null && 'target' in event ? event.target : undefined
  return typeof target === 'object' && target !== null && 'value' in target ? target.value : event
}

/** The fields of the form a problem can be shown on; a word's or a tag's position goes to that entry. */
const FIELDS = [
  'name',
  'position',
  'enabled',
  'conditions.channel',
  'conditions.categoryIds',
  'conditions.words.any',
  'conditions.words.all',
  'conditions.words.none',
  'conditions.contact.hasFiscalCode',
  'conditions.contact.isOrganisation',
  'conditions.contact.language',
  'conditions.timeWindow.days',
  'conditions.timeWindow.from',
  'conditions.timeWindow.to',
  'actions.queueId',
  'actions.officeId',
  'actions.categoryId',
  'actions.priority',
  'actions.slaPolicyId',
  'actions.tags',
  'actions.assignment',
]
const LISTS = ['conditions.words.any', 'conditions.words.all', 'conditions.words.none', 'actions.tags']

/** The form field a JSON pointer into the rule (or into the request body) names, if the form has one. */
export function fieldOfPath(pointer: string): string | undefined {
  const parts = pointer
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (parts[0] === 'body') parts.shift()
  if (parts[0] === 'conditions' && parts[1] === 'area') return 'areaGeoJson'
  const path = parts.join('.')
  if (FIELDS.includes(path)) return path
  const list = LISTS.find((l) => path.startsWith(`${l}.`))
  if (list) {
    const index = parts[list.split('.').length]
    return index !== undefined && /^\d+$/.test(index) ? `${list}.${index}` : list
  }
  const timeWindow = parts[0] === 'conditions' && parts[1] === 'timeWindow'
  return timeWindow ? 'conditions.timeWindow.from' : undefined
}

interface Problem {
  path?: unknown
  message?: unknown
  code?: unknown
  params?: unknown
}

const setIn = (target: Record<string, unknown>, path: string, message: string) => {
  const keys = path.split('.')
  let node = target
  keys.slice(0, -1).forEach((key) => {
    const next = node[key]
    node[key] = typeof next === 'object' && next !== null ? next : {}
    node = node[key] as Record<string, unknown>
  })
  const last = keys[keys.length - 1] as string
  // The first message on a field is the one shown.
  if (node[last] === undefined) node[last] = message
}

/**
 * The API's refusal of a rule as react-admin's submission errors: each problem in
 * `error.details` on the field it names, and the server's own message as the form's
 * notification (`root.serverError`), which also carries problems no field can show.
 * Undefined when the body is not a validation error.
 */
export function ruleSubmissionErrors(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const error = body.error as { code?: unknown; message?: unknown; details?: unknown; params?: unknown }
  if (typeof error?.message !== 'string') return undefined
  const errors: Record<string, unknown> = {}
  const unplaced: string[] = []
  const problems: Problem[] = Array.isArray(error.details) ? error.details : []
  for (const problem of problems) {
    const message = typeof problem.message === 'string' ? problem.message : undefined
    const field = typeof problem.path === 'string' ? fieldOfPath(problem.path) : undefined
    if (field && message) setIn(errors, field, message)
    else if (message) unplaced.push(message)
  }
  // References the API could not find name their field in the code, not in details.
  if (error.code === 'routing_unknown_queue') setIn(errors, 'actions.queueId', error.message)
  if (error.code === 'unknown_reference' && typeof error.details === 'undefined') {
    const match = /actions\.(officeId|categoryId)/.exec(error.message)
    if (match) setIn(errors, `actions.${match[1]}`, error.message)
  }
  if (Object.keys(errors).length === 0) return undefined
  const notice = [error.message, ...unplaced.filter((m) => m !== error.message)].join(' ')
  return { ...errors, root: { serverError: notice } }
}
