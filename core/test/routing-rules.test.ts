import { describe, expect, it } from 'vitest'
import { DomainError } from '../src/errors.ts'
import { translate } from '../src/i18n.ts'
import type { MultiPolygonGeometry, PolygonGeometry, Position } from '../src/routing/geo.ts'
import { pointInArea } from '../src/routing/geo.ts'
import { PRATO_AREAS, pratoAreasAt } from '../src/routing/prato-areas.ts'
import {
  describeRouting,
  type RoutableMessage,
  type RoutingDecision,
  routeMessage,
} from '../src/routing/rule.engine.ts'
import { parseRoutingRule, type RoutingRule, routingRuleProblems } from '../src/routing/rule.schemas.ts'
import { findPhrase, indexText, phraseKeys } from '../src/routing/text-match.ts'

const DEFAULT = { queueId: 1 }

let nextId = 1
function rule(partial: Partial<RoutingRule> = {}): RoutingRule {
  const id = partial.id ?? nextId++
  return {
    id,
    name: `Regola ${id}`,
    order: 10,
    enabled: true,
    conditions: {},
    actions: { queueId: 100 + id },
    ...partial,
  }
}

function message(partial: Partial<RoutableMessage> = {}): RoutableMessage {
  return {
    channel: 'web',
    subject: 'Segnalazione',
    text: '',
    receivedAt: new Date('2026-05-13T10:00:00Z'), // Wednesday, 12:00 in Prato
    ...partial,
  }
}

const route = (rules: RoutingRule[], msg: RoutableMessage = message()) =>
  routeMessage(rules, msg, { defaultActions: DEFAULT })

/** The single rule's verdict: its reasons when it matched, its rejection when it did not. */
function verdict(conditions: RoutingRule['conditions'], msg: RoutableMessage) {
  const decision = route([rule({ conditions })], msg)
  return decision.rule
    ? { matched: true, reasons: decision.explanation.slice(1) }
    : { matched: false, reasons: decision.rejected.map((r) => r.reason) }
}

const codes = (d: RoutingDecision) => d.explanation.map((r) => r.code)

describe('rule order and the default', () => {
  it('applies the first matching rule by order, whatever the order of the list', () => {
    const late = rule({ name: 'Tardi', order: 20 })
    const early = rule({ name: 'Presto', order: 5 })
    const decision = route([late, early])
    expect(decision.rule?.name).toBe('Presto')
    expect(decision.actions).toEqual(early.actions)
    expect(decision.rejected).toEqual([])
    expect(decision.explanation[0]).toEqual({
      code: 'rule_matched',
      params: { rule: 'Presto', ruleId: early.id },
    })
  })

  it('breaks ties in order by id, so the outcome never depends on how rules were loaded', () => {
    const a = rule({ id: 501, order: 1 })
    const b = rule({ id: 500, order: 1 })
    expect(route([a, b]).rule?.id).toBe(500)
  })

  it('skips disabled rules and says so', () => {
    const off = rule({ name: 'Spenta', order: 1, enabled: false })
    const on = rule({ name: 'Accesa', order: 2 })
    const decision = route([off, on])
    expect(decision.rule?.name).toBe('Accesa')
    expect(decision.rejected).toEqual([
      { ruleId: off.id, ruleName: 'Spenta', reason: { code: 'rule_disabled', params: {} } },
    ])
  })

  it('falls back to the default actions when nothing matches, listing every rule tried', () => {
    const a = rule({ order: 1, conditions: { channel: ['pec'] } })
    const b = rule({ order: 2, conditions: { categoryIds: [7] } })
    const decision = route([a, b], message({ channel: 'email', categoryId: 3 }))
    expect(decision.rule).toBeNull()
    expect(decision.actions).toEqual(DEFAULT)
    expect(codes(decision)).toEqual(['default_applied'])
    expect(decision.rejected.map((r) => r.reason.code)).toEqual([
      'channel_not_matched',
      'category_not_matched',
    ])
  })

  it('with no rules at all uses the default', () => {
    expect(route([]).actions).toEqual(DEFAULT)
  })

  it('reports only the first failing condition of a rejected rule', () => {
    const r = rule({ conditions: { channel: ['pec'], categoryIds: [7], words: { any: ['buca'] } } })
    const decision = route([r], message({ channel: 'email' }))
    expect(decision.rejected).toHaveLength(1)
    expect(decision.rejected[0]?.reason).toEqual({
      code: 'channel_not_matched',
      params: { channel: 'email', expected: 'pec' },
    })
  })

  it('a rule without conditions matches everything and says so', () => {
    expect(codes(route([rule()]))).toEqual(['rule_matched', 'rule_unconditional'])
  })

  it('explains in Italian and in English, rejected rules first', () => {
    const decision = route(
      [
        rule({ name: 'PEC', order: 1, conditions: { channel: ['pec'] } }),
        rule({ name: 'Buche', order: 2, conditions: { words: { any: ['buca'] } } }),
      ],
      message({ channel: 'email', subject: 'Buche in via Roma' }),
    )
    expect(describeRouting(decision, 'it')).toEqual([
      'Regola «PEC» non applicata: canale email non previsto (la regola vuole: pec).',
      'Applicata la regola «Buche».',
      'Trovate le parole: Buche.',
    ])
    expect(describeRouting(decision, 'en')).toEqual([
      'Rule "PEC" not applied: channel email not expected (the rule wants: pec).',
      'Rule "Buche" applied.',
      'Words found: Buche.',
    ])
  })
})

describe('conditions', () => {
  it('channel', () => {
    expect(verdict({ channel: ['email', 'pec'] }, message({ channel: 'pec' }))).toEqual({
      matched: true,
      reasons: [{ code: 'channel_matched', params: { channel: 'pec', expected: 'email, pec' } }],
    })
    expect(verdict({ channel: ['email'] }, message({ channel: 'phone' })).reasons[0]?.code).toBe(
      'channel_not_matched',
    )
  })

  it('category, including a message without one', () => {
    expect(verdict({ categoryIds: [3, 4] }, message({ categoryId: 4 }))).toEqual({
      matched: true,
      reasons: [{ code: 'category_matched', params: { categoryId: 4 } }],
    })
    expect(verdict({ categoryIds: [3] }, message({ categoryId: 9 })).reasons[0]).toEqual({
      code: 'category_not_matched',
      params: { categoryId: 9, expected: '3' },
    })
    expect(verdict({ categoryIds: [3] }, message({ categoryId: null })).reasons[0]?.code).toBe(
      'category_missing',
    )
  })

  it('contact: codice fiscale, organisation, language', () => {
    const firm = { fiscalCode: '01234567890', isOrganisation: true, language: 'it' as const }
    expect(
      verdict({ contact: { hasFiscalCode: true, isOrganisation: true } }, message({ contact: firm })),
    ).toEqual({
      matched: true,
      reasons: [
        { code: 'contact_has_fiscal_code', params: {} },
        { code: 'contact_is_organisation', params: {} },
      ],
    })
    expect(verdict({ contact: { isOrganisation: false } }, message({ contact: firm })).reasons[0]?.code).toBe(
      'contact_is_organisation',
    )
    expect(verdict({ contact: { language: 'en' } }, message({ contact: firm })).reasons[0]).toEqual({
      code: 'contact_language_not_matched',
      params: { language: 'it', expected: 'en' },
    })
    expect(verdict({ contact: { language: 'en' } }, message({ contact: { language: 'en' } })).matched).toBe(
      true,
    )
    expect(verdict({ contact: { language: 'en' } }, message({ contact: {} })).reasons[0]?.code).toBe(
      'contact_language_unknown',
    )
  })

  it('contact: an anonymous message has no codice fiscale but no known kind either', () => {
    const anonymous = message({ contact: null })
    expect(verdict({ contact: { hasFiscalCode: false } }, anonymous)).toEqual({
      matched: true,
      reasons: [{ code: 'contact_no_fiscal_code', params: {} }],
    })
    expect(verdict({ contact: { hasFiscalCode: true } }, anonymous).reasons[0]?.code).toBe(
      'contact_no_fiscal_code',
    )
    expect(verdict({ contact: { isOrganisation: false } }, anonymous).reasons[0]?.code).toBe(
      'contact_missing',
    )
    expect(
      verdict({ contact: { hasFiscalCode: true } }, message({ contact: { fiscalCode: '  ' } })).matched,
    ).toBe(false)
  })

  it('area, and a message without a location', () => {
    const centro = PRATO_AREAS.find((a) => a.key === 'prato_centro')?.geometry
    if (!centro) throw new Error('no centro')
    const conditions = { area: centro }
    const decision = route(
      [rule({ name: 'Centro storico', conditions })],
      message({ location: { lat: 43.8808, lon: 11.0966 } }),
    )
    expect(decision.explanation[1]).toEqual({ code: 'inside_area', params: { area: 'Centro storico' } })
    const outside = route(
      [rule({ name: 'Centro storico', conditions })],
      message({ location: { lat: 43.846, lon: 11.075 } }),
    )
    expect(outside.rejected[0]?.reason).toEqual({ code: 'outside_area', params: { area: 'Centro storico' } })
    expect(verdict(conditions, message()).reasons[0]?.code).toBe('location_missing')
  })

  it('all conditions together, each giving its reason', () => {
    const decision = route(
      [
        rule({
          conditions: {
            channel: ['web'],
            categoryIds: [12],
            contact: { hasFiscalCode: true },
            timeWindow: { from: '08:00', to: '18:00' },
            area: PRATO_AREAS[0]?.geometry,
            words: { any: ['lampione'], none: ['auto'] },
          },
        }),
      ],
      message({
        categoryId: 12,
        contact: { fiscalCode: 'RSSMRA85T10A562S' },
        location: { lat: 43.8808, lon: 11.0966 },
        text: 'Due lampioni spenti in piazza',
      }),
    )
    expect(codes(decision)).toEqual([
      'rule_matched',
      'channel_matched',
      'category_matched',
      'contact_has_fiscal_code',
      'in_time_window',
      'inside_area',
      'words_matched',
      'words_none_absent',
    ])
  })
})

describe('words', () => {
  const words = (w: NonNullable<RoutingRule['conditions']['words']>, subject: string, text = '') =>
    verdict({ words: w }, message({ subject, text }))

  it('ignores case and accents both ways', () => {
    expect(words({ any: ['città'] }, 'La CITTA è sporca').matched).toBe(true)
    expect(words({ any: ['citta'] }, 'In città').matched).toBe(true)
    // Decomposed accents (as some mail clients send them) fold the same way.
    expect(words({ any: ['perché'] }, 'perche\u0301 no').matched).toBe(true)
  })

  it('matches singular and plural, with the che/chi/ghe/ghi spelling', () => {
    expect(words({ any: ['buca'] }, 'Buche in via Roma')).toEqual({
      matched: true,
      reasons: [{ code: 'words_matched', params: { words: 'Buche' } }],
    })
    expect(words({ any: ['lampione'] }, 'lampioni spenti').matched).toBe(true)
    expect(words({ any: ['parco'] }, 'nei parchi pubblici').matched).toBe(true)
    expect(words({ any: ['parcheggio'] }, 'i parcheggi sono pieni').matched).toBe(true)
    expect(words({ any: ['farmacia'] }, 'le farmacie di turno').matched).toBe(true)
    expect(words({ any: ['luogo'] }, 'in alcuni luoghi').matched).toBe(true)
  })

  it('matches whole words only: "bucato" is not "buca", "buca" is not inside "rebucato"', () => {
    expect(words({ any: ['buca'] }, 'Il bucato steso').matched).toBe(false)
    expect(words({ any: ['bucato'] }, 'una buca').matched).toBe(false)
    expect(words({ any: ['strada'] }, 'segnaletica stradale').matched).toBe(false)
  })

  it('lists every form found, subject and body, once each', () => {
    expect(words({ any: ['buca'] }, 'Buca in via Roma', 'ci sono buche e una buca grande')).toEqual({
      matched: true,
      reasons: [{ code: 'words_matched', params: { words: 'Buca, buche' } }],
    })
  })

  it('all: every word must occur, and the missing ones are named', () => {
    expect(words({ all: ['albero', 'caduto'] }, 'Albero caduto sulla strada').matched).toBe(true)
    expect(words({ all: ['albero', 'caduto', 'strada'] }, 'Alberi pericolanti').reasons[0]).toEqual({
      code: 'words_all_missing',
      params: { words: 'caduto, strada' },
    })
  })

  it('none: an excluded word rejects the rule, in any form', () => {
    expect(
      words({ any: ['buca'], none: ['bicicletta'] }, 'Buca sulla pista', 'pericolosa per le biciclette'),
    ).toEqual({ matched: false, reasons: [{ code: 'words_none_found', params: { words: 'biciclette' } }] })
    expect(words({ none: ['bicicletta'] }, 'Buca in strada')).toEqual({
      matched: true,
      reasons: [{ code: 'words_none_absent', params: { words: 'bicicletta' } }],
    })
  })

  it('any: says which words were looked for when none occurs', () => {
    expect(words({ any: ['buca', 'tombino'] }, 'Rumore notturno').reasons[0]).toEqual({
      code: 'words_any_missing',
      params: { words: 'buca, tombino' },
    })
  })

  it('matches a phrase as consecutive words, never across subject and body', () => {
    expect(words({ any: ['perdita acqua'] }, 'Perdite acqua in via Pistoiese').matched).toBe(true)
    expect(words({ any: ['perdita acqua'] }, 'Perdita di acqua').matched).toBe(false)
    expect(words({ any: ['perdita acqua'] }, 'Grossa perdita', 'acqua ovunque').matched).toBe(false)
    // Elisions split into two words, so the article is part of the phrase.
    expect(words({ any: ["dell'acqua"] }, 'Perdita dell’acqua').matched).toBe(true)
  })

  it('documented limits: final-vowel twins merge, derived forms and short words do not', () => {
    const index = indexText('una casa')
    expect(findPhrase(index, 'caso')).toEqual(['casa'])
    expect(findPhrase(indexText('le vie del centro'), 'via')).toEqual([])
    expect(findPhrase(indexText('gli uomini'), 'uomo')).toEqual([])
    expect(findPhrase(indexText('perde acqua'), 'perdita')).toEqual([])
    expect(phraseKeys('Città')).toEqual(phraseKeys('citta'))
  })
})

describe('areas', () => {
  const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ]

  it('a polygon with a hole: inside the ring, not inside the hole', () => {
    const donut: PolygonGeometry = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)],
    }
    expect(pointInArea({ lon: 2, lat: 2 }, donut)).toBe(true)
    expect(pointInArea({ lon: 5, lat: 5 }, donut)).toBe(false)
    expect(pointInArea({ lon: 11, lat: 5 }, donut)).toBe(false)
  })

  it('a MultiPolygon: inside any of its polygons, holes respected', () => {
    const two: MultiPolygonGeometry = {
      type: 'MultiPolygon',
      coordinates: [[square(0, 0, 2, 2)], [square(10, 10, 20, 20), square(14, 14, 16, 16)]],
    }
    expect(pointInArea({ lon: 1, lat: 1 }, two)).toBe(true)
    expect(pointInArea({ lon: 12, lat: 12 }, two)).toBe(true)
    expect(pointInArea({ lon: 15, lat: 15 }, two)).toBe(false)
    expect(pointInArea({ lon: 5, lat: 5 }, two)).toBe(false)
  })

  it('a concave polygon, whatever the winding of its ring', () => {
    const l: Position[] = [
      [0, 0],
      [4, 0],
      [4, 1],
      [1, 1],
      [1, 4],
      [0, 4],
      [0, 0],
    ]
    for (const ring of [l, [...l].reverse()]) {
      const area: PolygonGeometry = { type: 'Polygon', coordinates: [ring] }
      expect(pointInArea({ lon: 0.5, lat: 3 }, area)).toBe(true)
      expect(pointInArea({ lon: 3, lat: 3 }, area)).toBe(false)
    }
  })

  it.each([
    ['Piazza del Comune', 43.8808, 11.0966, 'prato_centro'],
    ['Castello dell’Imperatore', 43.8795, 11.0985, 'prato_centro'],
    ['Figline (north)', 43.906, 11.11, 'prato_nord'],
    ['2.5 km east of the centre', 43.8808, 11.128, 'prato_est'],
    ['Iolo (south)', 43.846, 11.075, 'prato_sud'],
    ['Galciana (west)', 43.87, 11.061, 'prato_ovest'],
  ])('the demo circoscrizioni put %s in exactly one area, the expected one', (_, lat, lon, key) => {
    expect(pratoAreasAt({ lat, lon }).map((a) => a.key)).toEqual([key])
  })

  it('the demo circoscrizioni are valid rule areas', () => {
    for (const area of PRATO_AREAS) {
      const candidate = { ...rule(), conditions: { area: area.geometry } }
      expect(routingRuleProblems(candidate)).toEqual([])
    }
  })
})

describe('time windows (Europe/Rome)', () => {
  const at = (iso: string) => message({ receivedAt: new Date(iso) })
  const inWindow = (timeWindow: NonNullable<RoutingRule['conditions']['timeWindow']>, iso: string) =>
    verdict({ timeWindow }, at(iso))

  it('office hours on weekdays, with the local time and weekday in the explanation', () => {
    const office = { days: [1, 2, 3, 4, 5], from: '08:30', to: '13:00' }
    expect(inWindow(office, '2026-05-13T07:00:00Z')).toEqual({
      matched: true,
      reasons: [
        {
          code: 'in_time_window',
          params: { day: '@routing_weekday_3', time: '09:00', from: '08:30', to: '13:00' },
        },
      ],
    })
    expect(inWindow(office, '2026-05-13T11:00:00Z').reasons[0]?.code).toBe('outside_time_window')
    expect(inWindow(office, '2026-05-16T07:00:00Z').reasons[0]?.code).toBe('outside_time_window_day')
    // `to` is exclusive.
    expect(inWindow(office, '2026-05-13T10:59:00Z').matched).toBe(true)
    expect(inWindow(office, '2026-05-13T11:00:00Z').matched).toBe(false)
  })

  it('a window crossing midnight belongs to the day it starts on', () => {
    const fridayNight = { days: [5], from: '22:00', to: '06:00' }
    expect(inWindow(fridayNight, '2026-05-15T21:30:00Z').matched).toBe(true) // Fri 23:30
    expect(inWindow(fridayNight, '2026-05-16T03:00:00Z').matched).toBe(true) // Sat 05:00
    expect(inWindow(fridayNight, '2026-05-16T04:00:00Z').matched).toBe(false) // Sat 06:00
    expect(inWindow(fridayNight, '2026-05-15T03:00:00Z').reasons[0]?.code).toBe('outside_time_window_day') // Fri 05:00
    expect(inWindow(fridayNight, '2026-05-15T12:00:00Z').reasons[0]?.code).toBe('outside_time_window')
    // Sunday night's early hours fall on Monday: the week wraps.
    expect(inWindow({ days: [7], from: '20:00', to: '02:00' }, '2026-05-17T22:30:00Z').matched).toBe(true)
  })

  it('only from or only to: the window runs to midnight or from midnight', () => {
    expect(inWindow({ from: '18:00' }, '2026-05-13T21:59:00Z').matched).toBe(true) // 23:59
    expect(inWindow({ to: '07:00' }, '2026-05-13T04:59:00Z').matched).toBe(true) // 06:59
    expect(inWindow({ to: '07:00' }, '2026-05-13T05:00:00Z').matched).toBe(false) // 07:00
    expect(inWindow({ days: [6, 7] }, '2026-05-16T12:00:00Z').matched).toBe(true)
  })

  it('follows the change to summer time (29 March 2026): the same UTC hour is an hour later locally', () => {
    const morning = { from: '08:00', to: '09:00' }
    expect(inWindow(morning, '2026-03-28T07:30:00Z').matched).toBe(true) // Sat 08:30 CET
    expect(inWindow(morning, '2026-03-29T07:30:00Z').matched).toBe(false) // Sun 09:30 CEST
    expect(inWindow(morning, '2026-03-29T06:30:00Z').matched).toBe(true) // Sun 08:30 CEST
    // 01:59 CET is followed by 03:00 CEST: a night window still sees both sides.
    expect(inWindow({ from: '01:00', to: '04:00' }, '2026-03-29T00:59:00Z').reasons[0]?.params.time).toBe(
      '01:59',
    )
    expect(inWindow({ from: '01:00', to: '04:00' }, '2026-03-29T01:00:00Z').reasons[0]?.params.time).toBe(
      '03:00',
    )
  })

  it('follows the change back (25 October 2026): 02:30 happens twice and both are in the window', () => {
    const twoish = { from: '02:00', to: '03:00' }
    expect(inWindow(twoish, '2026-10-25T00:30:00Z').matched).toBe(true) // 02:30 CEST
    expect(inWindow(twoish, '2026-10-25T01:30:00Z').matched).toBe(true) // 02:30 CET
    expect(inWindow(twoish, '2026-10-25T02:30:00Z').matched).toBe(false) // 03:30 CET
  })

  it('an invalid receivedAt fails the window rather than throwing', () => {
    expect(inWindow({ from: '08:00' }, 'not a date').reasons[0]?.code).toBe('received_at_invalid')
  })
})

describe('rule validation', () => {
  const valid = (): Record<string, unknown> => ({
    id: 1,
    name: 'Buche in centro',
    order: 10,
    enabled: true,
    conditions: { words: { any: ['buca'] }, timeWindow: { from: '08:00', to: '18:00' } },
    actions: { queueId: 3, priority: 'high', assignment: 'round_robin', tags: ['strade'] },
  })
  const withConditions = (conditions: Record<string, unknown>) => ({ ...valid(), conditions })
  const problemCodes = (input: unknown) => routingRuleProblems(input).map((p) => [p.path, p.code])

  it('accepts a complete rule and returns it typed', () => {
    expect(routingRuleProblems(valid())).toEqual([])
    expect(parseRoutingRule(valid()).name).toBe('Buche in centro')
  })

  it('an empty word list, or a word without letters', () => {
    expect(problemCodes(withConditions({ words: { any: [] } }))).toEqual([
      ['/conditions/words/any', 'routing_words_list_empty'],
    ])
    expect(problemCodes(withConditions({ words: {} }))).toEqual([
      ['/conditions/words', 'routing_section_empty'],
    ])
    expect(problemCodes(withConditions({ words: { any: ['buca', '!!!'] } }))).toEqual([
      ['/conditions/words/any/1', 'routing_word_no_letters'],
    ])
  })

  it('a word both required and excluded, even in another form', () => {
    expect(problemCodes(withConditions({ words: { any: ['buche'], none: ['buca'] } }))).toEqual([
      ['/conditions/words', 'routing_words_contradictory'],
    ])
  })

  it('a ring that is not closed, or too short', () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [11, 43],
          [11.1, 43],
          [11.1, 43.1],
          [11, 43.1],
        ],
      ],
    }
    expect(problemCodes(withConditions({ area: open }))).toEqual([
      ['/conditions/area/coordinates/0', 'routing_ring_not_closed'],
    ])
    const triangle = {
      type: 'Polygon',
      coordinates: [
        [
          [11, 43],
          [11.1, 43],
          [11, 43],
        ],
      ],
    }
    expect(problemCodes(withConditions({ area: triangle }))).toEqual([
      ['/conditions/area/coordinates/0', 'routing_ring_too_short'],
    ])
    const multi = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      ],
    }
    expect(problemCodes(withConditions({ area: multi }))).toEqual([
      ['/conditions/area/coordinates/1/0', 'routing_ring_not_closed'],
    ])
  })

  it('an area of another GeoJSON type, or with latitude and longitude out of range', () => {
    expect(problemCodes(withConditions({ area: { type: 'Point', coordinates: [11, 43] } }))).toEqual([
      ['/conditions/area', 'routing_area_type'],
    ])
    const swapped = {
      type: 'Polygon',
      coordinates: [
        [
          [43, 11],
          [43, 200],
          [44, 11],
          [43, 11],
        ],
      ],
    }
    expect(problemCodes(withConditions({ area: swapped }))).toEqual([
      ['/conditions/area/coordinates/0/1/1', 'routing_position_out_of_range'],
    ])
  })

  it('a time window from == to, or a malformed time', () => {
    expect(problemCodes(withConditions({ timeWindow: { from: '08:00', to: '08:00' } }))).toEqual([
      ['/conditions/timeWindow', 'routing_time_window_empty'],
    ])
    expect(problemCodes(withConditions({ timeWindow: { from: '8:00' } }))).toEqual([
      ['/conditions/timeWindow/from', 'routing_time_invalid'],
    ])
    expect(problemCodes(withConditions({ timeWindow: { to: '24:00' } }))).toEqual([
      ['/conditions/timeWindow/to', 'routing_time_invalid'],
    ])
  })

  it('unknown fields, no actions, a bad channel', () => {
    expect(problemCodes({ ...valid(), colour: 'red' })).toEqual([['', 'routing_rule_unknown_field']])
    expect(problemCodes({ ...valid(), actions: {} })).toEqual([['/actions', 'routing_section_empty']])
    expect(problemCodes(withConditions({ channel: ['fax'] }))[0]).toEqual([
      '/conditions/channel/0',
      'routing_rule_invalid',
    ])
  })

  it('problems read well in both languages', () => {
    const [problem] = routingRuleProblems(withConditions({ timeWindow: { from: '08:00', to: '08:00' } }))
    if (!problem) throw new Error('expected a problem')
    expect(translate('it', problem.code, problem.params)).toBe(
      'La fascia oraria inizia e finisce alle 08:00: indica orari diversi (per tutto il giorno togli «from» e «to»).',
    )
    const [ring] = routingRuleProblems(
      withConditions({
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
      }),
    )
    if (!ring) throw new Error('expected a problem')
    expect(translate('en', ring.code, ring.params)).toBe(
      'Ring /conditions/area/coordinates/0 is not closed: its last position must repeat the first.',
    )
  })

  it('parseRoutingRule throws an invalid DomainError carrying every problem', () => {
    let error: unknown
    try {
      parseRoutingRule({ ...valid(), conditions: { words: { all: [] }, timeWindow: { from: '99:00' } } })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DomainError)
    const domain = error as DomainError
    expect(domain.kind).toBe('invalid')
    expect(domain.code).toBe('routing_words_list_empty')
    expect(domain.details).toHaveLength(2)
  })
})
