import type { Language } from '@filo/core'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import localize from 'ajv-i18n'

/**
 * One Ajv for everything the API validates (routes and the JSON inside query
 * parameters), so every validation message can be given in the reader's language.
 * Unknown properties are refused, not silently dropped.
 */
export const ajvOptions = {
  removeAdditional: false,
  useDefaults: true,
  coerceTypes: 'array',
  allErrors: true,
} as const

export const ajv = addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: false }))

const cache = new WeakMap<object, ValidateFunction>()
export function compile(schema: object): ValidateFunction {
  const cached = cache.get(schema)
  if (cached) return cached
  const fn = ajv.compile(schema)
  cache.set(schema, fn)
  return fn
}

export interface FieldProblem {
  path: string
  message: string
}

/** Ajv errors as `{ path, message }` in `lang`; `root` prefixes paths (body, querystring, filter…). */
export function describeErrors(errors: ErrorObject[], lang: Language, root: string): FieldProblem[] {
  const copy = errors.map((e) => ({ ...e }))
  localize[lang]?.(copy)
  const problems = copy.map((e) => {
    let path = `${root}${e.instancePath}`
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`
    if (e.keyword === 'additionalProperties')
      path += `/${(e.params as { additionalProperty: string }).additionalProperty}`
    let message = e.message ?? e.keyword
    if (e.keyword === 'enum')
      message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
    return { path, message }
  })
  // anyOf/oneOf report every branch; keep one message per path, the first being the most specific.
  const byPath = new Map<string, FieldProblem>()
  for (const p of problems) if (!byPath.has(p.path)) byPath.set(p.path, p)
  return [...byPath.values()]
}

export const summarise = (problems: FieldProblem[]): string =>
  problems
    .slice(0, 5)
    .map((p) => `${p.path.replace(/^\//, '')} ${p.message}`)
    .join('; ')
