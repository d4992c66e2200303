import Type, { type Static } from 'typebox'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2026-11-01'] })
const Count = Type.Integer({ minimum: 0 })

export const STATS_BUCKETS = ['day', 'week', 'month'] as const
export const StatsBucket = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])
export type StatsBucket = (typeof STATS_BUCKETS)[number]

/** The longest range one question may cover: a year (and a day, for leap years). */
export const STATS_MAX_DAYS = 366

/**
 * A date range in days of Europe/Rome, both ends included; by default the last twelve
 * weeks up to today. Periods are days, ISO weeks (starting Monday) or months.
 */
export const StatsRangeQuery = Type.Object(
  {
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    bucket: Type.Optional(StatsBucket),
  },
  { additionalProperties: false },
)
export type StatsRangeQuery = Static<typeof StatsRangeQuery>

export const VOLUME_DIMENSIONS = ['channel', 'category', 'office'] as const
export type VolumeDimension = (typeof VOLUME_DIMENSIONS)[number]
const VolumeDimension = Type.Union([
  Type.Literal('channel'),
  Type.Literal('category'),
  Type.Literal('office'),
])
export const VolumeQuery = Type.Object(
  {
    ...StatsRangeQuery.properties,
    by: Type.Optional(VolumeDimension),
  },
  { additionalProperties: false },
)
export type VolumeQuery = Static<typeof VolumeQuery>

const Range = {
  from: Day,
  to: Day,
  bucket: StatsBucket,
}

/** Cases opened per period and per channel, category or office. */
export const VolumeStats = Type.Object({
  ...Range,
  by: VolumeDimension,
  /** Every group with its total, largest first; key "none" is cases without a category or office. */
  groups: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), total: Count })),
  /** One row per period and group with cases (periods without any are left out). */
  points: Type.Array(Type.Object({ period: Day, key: Type.String(), count: Count })),
  total: Count,
})
export type VolumeStats = Static<typeof VolumeStats>

const Compliance = Type.Object({
  /** Deadlines met: done (first response given, case resolved) by the deadline. */
  met: Count,
  /** Deadlines missed: done late, or not done and already past. */
  breached: Count,
  /** Not done yet and not yet due: in neither share. */
  pending: Count,
})

/**
 * SLA compliance of the deadlines that fell due in the range, per period of the
 * deadline and per office: resolution against resolution_due_at, first response
 * against first_response_due_at.
 */
export const SlaStats = Type.Object({
  ...Range,
  byPeriod: Type.Array(Type.Object({ period: Day, resolution: Compliance, firstResponse: Compliance })),
  byOffice: Type.Array(
    Type.Object({
      officeId: Type.Union([Type.Integer(), Type.Null()]),
      office: Type.String(),
      resolution: Compliance,
      firstResponse: Compliance,
    }),
  ),
  total: Type.Object({ resolution: Compliance, firstResponse: Compliance }),
})
export type SlaStats = Static<typeof SlaStats>

export const BACKLOG_BUCKETS = ['lt1d', 'd1to3', 'd3to7', 'd7to14', 'd14to30', 'gt30d'] as const

/** Open cases now (not resolved, closed or merged) by how long ago they were opened. */
export const BacklogStats = Type.Object({
  at: Type.String({ format: 'date-time' }),
  buckets: Type.Array(
    Type.Object({
      bucket: Type.Union([
        Type.Literal('lt1d'),
        Type.Literal('d1to3'),
        Type.Literal('d3to7'),
        Type.Literal('d7to14'),
        Type.Literal('d14to30'),
        Type.Literal('gt30d'),
      ]),
      count: Count,
      /** Of which still unassigned. */
      unassigned: Count,
    }),
  ),
  total: Count,
})
export type BacklogStats = Static<typeof BacklogStats>

/**
 * Minutes after opening within which the call centre's resolution counts as first-contact.
 * sql/0019's case_first_contact() says 30 too: change both (a new migration) or neither.
 */
export const FIRST_CONTACT_MINUTES = 30

/**
 * First-contact resolution. Eligible: cases opened in the range by a call-centre
 * operator (a staff user whose role is operator). Resolved at first contact: the same
 * operator moved it to resolved within FIRST_CONTACT_MINUTES of opening it, no other
 * person (no office, no colleague) had done anything on it before, and it was never reopened.
 */
export const FirstContactStats = Type.Object({
  ...Range,
  windowMinutes: Type.Integer(),
  byPeriod: Type.Array(Type.Object({ period: Day, eligible: Count, resolved: Count })),
  total: Type.Object({ eligible: Count, resolved: Count }),
})
export type FirstContactStats = Static<typeof FirstContactStats>
