import Type, { type Static } from 'typebox'

/**
 * The JSON form of a business calendar: what the database stores and an
 * administrator edits. The schema checks the shape; `checkBusinessCalendar`
 * (calendar.ts) adds the rules a schema cannot say (real times and dates,
 * intervals that end after they start and do not overlap, a real time zone).
 */

/** Days of the week as the JSON keys name them, Monday first (ISO 8601 order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** The time zone Filo's calendars use unless told otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Rome'

// Loose on purpose: "25:00" passes here so the semantic check can name it as a bad time.
const Time = Type.String({
  pattern: '^\\d{2}:\\d{2}$',
  description: 'Local wall-clock time HH:MM, from 00:00 to 24:00 (24:00 only as an end)',
  examples: ['08:30'],
})

/** One opening interval of a day, in local wall-clock time; `to` is exclusive. */
export const OpeningInterval = Type.Object({ from: Time, to: Time }, { additionalProperties: false })
export type OpeningInterval = Static<typeof OpeningInterval>

const DayHours = Type.Array(OpeningInterval, {
  maxItems: 12,
  description: 'Opening intervals of the day in any order; none when closed',
})

/** Opening hours of each day of the week; an interval cannot cross midnight (split it in two). */
export const WeeklyHours = Type.Object(
  {
    mon: DayHours,
    tue: DayHours,
    wed: DayHours,
    thu: DayHours,
    fri: DayHours,
    sat: DayHours,
    sun: DayHours,
  },
  { additionalProperties: false },
)
export type WeeklyHours = Static<typeof WeeklyHours>

/** A local closure: every year (`MM-DD`, the patron saint) or once (`YYYY-MM-DD`, a municipal closure). */
export const LocalHoliday = Type.Object(
  {
    date: Type.String({
      pattern: '^(\\d{4}-)?\\d{2}-\\d{2}$',
      description: 'MM-DD to close every year, YYYY-MM-DD to close once',
      examples: ['12-26', '2026-08-14'],
    }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
  },
  { additionalProperties: false },
)
export type LocalHoliday = Static<typeof LocalHoliday>

/** A business calendar as stored: Italy's national holidays always apply on top of these. */
export const BusinessCalendarSettings = Type.Object(
  {
    timeZone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, default: DEFAULT_TIME_ZONE, examples: [DEFAULT_TIME_ZONE] }),
    ),
    weeklyHours: WeeklyHours,
    localHolidays: Type.Optional(Type.Array(LocalHoliday, { maxItems: 366 })),
  },
  { additionalProperties: false },
)
export type BusinessCalendarSettings = Static<typeof BusinessCalendarSettings>

const MORNING = { from: '08:30', to: '13:00' }
const AFTERNOON = { from: '14:30', to: '17:30' }

/**
 * The Comune di Prato's front-office hours: mornings Monday to Friday, afternoons
 * on Tuesday and Thursday, closed at the weekend. Santo Stefano (26 December) is
 * Prato's patron saint and already a national holiday; it is listed anyway so the
 * closure survives a change to the national list and administrators see it.
 */
export const PRATO_CALENDAR_SETTINGS: BusinessCalendarSettings = {
  timeZone: DEFAULT_TIME_ZONE,
  weeklyHours: {
    mon: [MORNING],
    tue: [MORNING, AFTERNOON],
    wed: [MORNING],
    thu: [MORNING, AFTERNOON],
    fri: [MORNING],
    sat: [],
    sun: [],
  },
  localHolidays: [{ date: '12-26', name: 'Santo Stefano, patrono di Prato' }],
}
