import type { Channel } from '../cases/case.values.ts'
import type { MessageParams } from '../errors.ts'
import { type Language, translate } from '../i18n.ts'
import { type LatLon, pointInArea } from './geo.ts'
import type { RoutingActions, RoutingConditions, RoutingRule } from './rule.schemas.ts'
import { findPhrase, indexText, type TextIndex } from './text-match.ts'
import { placeInWindow, romeTime, windowBounds } from './time-window.ts'
import './rule.messages.ts'

/** What routing needs to know of an incoming message; the ingest pipeline builds it. */
export interface RoutableMessage {
  channel: Channel
  categoryId?: number | null
  subject: string
  text: string
  contact?: {
    fiscalCode?: string | null
    isOrganisation?: boolean | null
    language?: Language | null
  } | null
  location?: LatLon | null
  receivedAt: Date
}

export interface RouteOptions {
  /** Applied when no enabled rule matches. */
  defaultActions: RoutingActions
}

/** One fact behind a routing decision: a message code (see rule.messages.ts) and its parameters. */
export interface RoutingReason {
  code: string
  params: MessageParams
}

/** A rule looked at before the one applied, and the first reason it did not apply. */
export interface RuleRejection {
  ruleId: number
  ruleName: string
  reason: RoutingReason
}

export interface RoutingDecision {
  /** The rule applied; null when none matched and the default actions were used. */
  rule: RoutingRule | null
  actions: RoutingActions
  /** Why the applied rule matched (one reason per condition), or that the default was used. */
  explanation: RoutingReason[]
  /** The rules tried before it, in the order tried, each with why it did not apply. */
  rejected: RuleRejection[]
}

type Outcome = { holds: true; reasons: RoutingReason[] } | { holds: false; reason: RoutingReason }

const reason = (code: string, params: MessageParams = {}): RoutingReason => ({ code, params })
const holds = (...reasons: RoutingReason[]): Outcome => ({ holds: true, reasons })
const fails = (code: string, params: MessageParams = {}): Outcome => ({
  holds: false,
  reason: reason(code, params),
})

/** The message with its text indexed once for all rules. */
interface Subject {
  message: RoutableMessage
  words: () => TextIndex
}

/**
 * Routes a message: the first enabled rule, by `order` then `id`, whose
 * conditions all hold decides the actions; when none does, `defaultActions`.
 * Pure: the rules are taken as already validated (parseRoutingRule), and the
 * only clock read is the message's own `receivedAt`.
 */
export function routeMessage(
  rules: readonly RoutingRule[],
  message: RoutableMessage,
  opts: RouteOptions,
): RoutingDecision {
  let index: TextIndex | undefined
  const subject: Subject = {
    message,
    words: () => {
      index ??= indexText(message.subject, message.text)
      return index
    },
  }
  const rejected: RuleRejection[] = []
  for (const rule of [...rules].sort((a, b) => a.order - b.order || a.id - b.id)) {
    const outcome = rule.enabled ? evaluate(rule, subject) : fails('rule_disabled')
    if (outcome.holds) {
      return {
        rule,
        actions: rule.actions,
        explanation: [reason('rule_matched', { rule: rule.name, ruleId: rule.id }), ...outcome.reasons],
        rejected,
      }
    }
    rejected.push({ ruleId: rule.id, ruleName: rule.name, reason: outcome.reason })
  }
  return { rule: null, actions: opts.defaultActions, explanation: [reason('default_applied')], rejected }
}

/** The decision as sentences in one language, rejected rules first: what the case timeline shows. */
export function describeRouting(decision: RoutingDecision, lang: Language): string[] {
  return [
    ...decision.rejected.map((r) =>
      translate(lang, 'rule_rejected', {
        rule: r.ruleName,
        reason: translate(lang, r.reason.code, r.reason.params),
      }),
    ),
    ...decision.explanation.map((r) => translate(lang, r.code, r.params)),
  ]
}

// Cheap checks first; the text is indexed only if a rule gets as far as its words.
const CHECKS: readonly ((c: RoutingConditions, s: Subject, rule: RoutingRule) => Outcome | null)[] = [
  (c, s) => (c.channel ? checkChannel(c.channel, s.message.channel) : null),
  (c, s) => (c.categoryIds ? checkCategory(c.categoryIds, s.message.categoryId) : null),
  (c, s) => (c.contact ? checkContact(c.contact, s.message.contact) : null),
  (c, s) => (c.timeWindow ? checkTime(c.timeWindow, s.message.receivedAt) : null),
  (c, s, rule) => (c.area ? checkArea(c.area, s.message.location, rule.name) : null),
  (c, s) => (c.words ? checkWords(c.words, s.words()) : null),
]

function evaluate(rule: RoutingRule, subject: Subject): Outcome {
  const reasons: RoutingReason[] = []
  for (const check of CHECKS) {
    const outcome = check(rule.conditions, subject, rule)
    if (!outcome) continue
    if (!outcome.holds) return outcome
    reasons.push(...outcome.reasons)
  }
  return holds(...(reasons.length > 0 ? reasons : [reason('rule_unconditional')]))
}

function checkChannel(expected: readonly Channel[], channel: Channel): Outcome {
  const params = { channel, expected: expected.join(', ') }
  return expected.includes(channel)
    ? holds(reason('channel_matched', params))
    : fails('channel_not_matched', params)
}

function checkCategory(expected: readonly number[], categoryId: number | null | undefined): Outcome {
  const list = expected.join(', ')
  if (categoryId == null) return fails('category_missing', { expected: list })
  return expected.includes(categoryId)
    ? holds(reason('category_matched', { categoryId }))
    : fails('category_not_matched', { categoryId, expected: list })
}

function checkContact(
  expected: NonNullable<RoutingConditions['contact']>,
  contact: RoutableMessage['contact'],
): Outcome {
  const reasons: RoutingReason[] = []
  if (expected.hasFiscalCode !== undefined) {
    // A message without a contact (an anonymous report) has no codice fiscale either.
    const has = Boolean(contact?.fiscalCode?.trim())
    const fact = has ? 'contact_has_fiscal_code' : 'contact_no_fiscal_code'
    if (has !== expected.hasFiscalCode) return fails(fact)
    reasons.push(reason(fact))
  }
  if (expected.isOrganisation !== undefined) {
    if (!contact) return fails('contact_missing')
    if (contact.isOrganisation == null) return fails('contact_kind_unknown')
    const fact = contact.isOrganisation ? 'contact_is_organisation' : 'contact_is_person'
    if (contact.isOrganisation !== expected.isOrganisation) return fails(fact)
    reasons.push(reason(fact))
  }
  if (expected.language !== undefined) {
    if (!contact) return fails('contact_missing')
    if (!contact.language) return fails('contact_language_unknown')
    if (contact.language !== expected.language)
      return fails('contact_language_not_matched', {
        language: contact.language,
        expected: expected.language,
      })
    reasons.push(reason('contact_language_matched', { language: contact.language }))
  }
  return holds(...reasons)
}

function checkTime(window: NonNullable<RoutingConditions['timeWindow']>, receivedAt: Date): Outcome {
  const local = romeTime(receivedAt)
  if (!local) return fails('received_at_invalid')
  // "@" makes translate() name the weekday in the reader's language.
  const params = { day: `@routing_weekday_${local.day}`, time: local.hhmm, ...windowBounds(window) }
  const place = placeInWindow(window, local)
  if (place === 'inside') return holds(reason('in_time_window', params))
  return fails(place === 'wrong_day' ? 'outside_time_window_day' : 'outside_time_window', params)
}

function checkArea(
  area: NonNullable<RoutingConditions['area']>,
  location: LatLon | null | undefined,
  ruleName: string,
): Outcome {
  if (!location) return fails('location_missing')
  return pointInArea(location, area)
    ? holds(reason('inside_area', { area: ruleName }))
    : fails('outside_area', { area: ruleName })
}

function checkWords(words: NonNullable<RoutingConditions['words']>, index: TextIndex): Outcome {
  const reasons: RoutingReason[] = []
  if (words.any) {
    const found = words.any.flatMap((w) => findPhrase(index, w))
    if (found.length === 0) return fails('words_any_missing', { words: words.any.join(', ') })
    reasons.push(reason('words_matched', { words: unique(found).join(', ') }))
  }
  if (words.all) {
    const missing = words.all.filter((w) => findPhrase(index, w).length === 0)
    if (missing.length > 0) return fails('words_all_missing', { words: missing.join(', ') })
    reasons.push(
      reason('words_all_matched', {
        words: unique(words.all.flatMap((w) => findPhrase(index, w))).join(', '),
      }),
    )
  }
  if (words.none) {
    const found = words.none.flatMap((w) => findPhrase(index, w))
    if (found.length > 0) return fails('words_none_found', { words: unique(found).join(', ') })
    reasons.push(reason('words_none_absent', { words: words.none.join(', ') }))
  }
  return holds(...reasons)
}

// The same word written twice in a message ("Buca" and "buca") is named once, as first written.
function unique(forms: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const form of forms) if (!seen.has(form.toLowerCase())) seen.set(form.toLowerCase(), form)
  return [...seen.values()]
}
