import { DateTime, IANAZone } from 'luxon'
import Value from 'typebox/value'
import { DomainError, type MessageParams } from '../errors.ts'
import './calendar.messages.ts'
import {
  BusinessCalendarSettings,
  DEFAULT_TIME_ZONE,
  type LocalHoliday,
  PRATO_CALENDAR_SETTINGS,
  WEEKDAYS,
  type Weekday,
} from './calendar.schemas.ts'
import { type Holiday, isoDate, italianNationalHolidays } from './holidays.ts'

/**
 * Business-time arithmetic on a municipal calendar: opening hours per weekday in
 * a time zone, closed on Italy's national holidays and on local closures. Every
 * instant goes in and out as a JS Date (an absolute instant); opening hours are
 * local wall-clock times, so a deadline is right on both sides of a DST change.
 *
 * Business time is real elapsed time inside opening intervals: an interval that
 * spans a DST change (a 24-hour desk) counts the 23 or 25 hours that really pass.
 * A wall time that does not exist (inside the spring-forward gap) is pushed
 * forward by the gap, and an ambiguous one (the repeated autumn hour) reads as
 * standard time, as luxon does; municipal offices are closed at 2 a.m. anyway.
 *
 * The functions walk opening intervals day by day, never minute by minute, so a
 * 400-hour deadline costs about a hundred days of work.
 */

/** Minutes since local midnight, half-open: `[start, end)`. */
interface MinuteRange {
  readonly start: number
  readonly end: number
}

/** A validated calendar, ready for arithmetic. Build it with `parseBusinessCalendar`. */
export interface BusinessCalendar {
  /** The normalised JSON form (defaults filled in), for storing back. */
  readonly settings: Required<BusinessCalendarSettings>
  readonly timeZone: string
  /** Opening intervals of each weekday, sorted. */
  readonly weeklyHours: Readonly<Record<Weekday, readonly MinuteRange[]>>
  /** Closures every year, by `MM-DD`, with their names. */
  readonly recurringClosures: ReadonlyMap<string, string>
  /** Closures on one date, by `YYYY-MM-DD`, with their names. */
  readonly oneOffClosures: ReadonlyMap<string, string>
}

/** One thing wrong with a calendar: where (a JSON pointer), and a message code with its parameters. */
export interface CalendarProblem {
  readonly path: string
  readonly code: string
  readonly params: MessageParams
}

const MINUTES_PER_DAY = 24 * 60
const MS_PER_MINUTE = 60_000

/** Minutes since midnight of `HH:MM`, or null when it is not a time of day (24:00 is, as an end). */
function minuteOfDay(time: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time)
  if (!match) return null
  const hours = Number(match[1])
  const minutes = Number(match[2])
  if (hours === 24 && minutes === 0) return MINUTES_PER_DAY
  if (hours > 23 || minutes > 59) return null
  return hours * 60 + minutes
}

/** Whether `MM-DD` (in a leap year, so 02-29 passes) or `YYYY-MM-DD` is a real date. */
function isRealDate(date: string): boolean {
  const parts = date.split('-').map(Number)
  const [year, month, day] = parts.length === 3 ? parts : [2024, ...parts]
  if (year === undefined || month === undefined || day === undefined) return false
  const t = new Date(Date.UTC(year, month - 1, day))
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day
}

/** Problems with the opening hours of one day; the ranges of a sound day come back sorted. */
function checkDay(
  day: Weekday,
  intervals: readonly { from: string; to: string }[],
): { problems: CalendarProblem[]; ranges: MinuteRange[] } {
  const problems: CalendarProblem[] = []
  const ranges: (MinuteRange & { index: number })[] = []
  const dayName = `@sla_weekday_${day}`
  intervals.forEach((interval, index) => {
    const path = `/weeklyHours/${day}/${index}`
    const start = minuteOfDay(interval.from)
    const end = minuteOfDay(interval.to)
    // 24:00 opens nothing: as a start it would belong to the next day.
    if (start === null || start === MINUTES_PER_DAY)
      problems.push({
        path: `${path}/from`,
        code: 'sla_calendar_time_invalid',
        params: { value: interval.from, day: dayName },
      })
    if (end === null)
      problems.push({
        path: `${path}/to`,
        code: 'sla_calendar_time_invalid',
        params: { value: interval.to, day: dayName },
      })
    if (start === null || end === null || start === MINUTES_PER_DAY) return
    if (end <= start) {
      problems.push({
        path,
        code: 'sla_calendar_interval_inverted',
        params: { from: interval.from, to: interval.to, day: dayName },
      })
      return
    }
    ranges.push({ start, end, index })
  })
  ranges.sort((a, b) => a.start - b.start)
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1]
    const current = ranges[i]
    if (!previous || !current || current.start >= previous.end) continue
    const label = (r: { index: number }) => {
      const interval = intervals[r.index]
      return interval ? `${interval.from}–${interval.to}` : ''
    }
    problems.push({
      path: `/weeklyHours/${day}/${current.index}`,
      code: 'sla_calendar_interval_overlap',
      params: { first: label(previous), second: label(current), day: dayName },
    })
  }
  return { problems, ranges: ranges.map(({ start, end }) => ({ start, end })) }
}

type Checked = { ok: true; calendar: BusinessCalendar } | { ok: false; problems: CalendarProblem[] }

function check(json: unknown): Checked {
  if (!Value.Check(BusinessCalendarSettings, json)) {
    const problems = Value.Errors(BusinessCalendarSettings, json)
      // The "schema is false" entry repeats an additionalProperties error with a worse message.
      .filter((e) => e.keyword !== 'boolean')
      .map((e) => ({
        path: e.instancePath || '/',
        code: 'sla_calendar_shape',
        params: { path: e.instancePath || '/', detail: e.message },
      }))
    return { ok: false, problems }
  }
  const problems: CalendarProblem[] = []
  const timeZone = json.timeZone ?? DEFAULT_TIME_ZONE
  if (!IANAZone.isValidZone(timeZone))
    problems.push({ path: '/timeZone', code: 'sla_calendar_time_zone_invalid', params: { timeZone } })

  const weeklyHours = {} as Record<Weekday, readonly MinuteRange[]>
  for (const day of WEEKDAYS) {
    const checked = checkDay(day, json.weeklyHours[day])
    problems.push(...checked.problems)
    weeklyHours[day] = checked.ranges
  }
  if (problems.length === 0 && WEEKDAYS.every((day) => weeklyHours[day].length === 0))
    problems.push({ path: '/weeklyHours', code: 'sla_calendar_never_open', params: {} })

  const localHolidays: LocalHoliday[] = json.localHolidays ?? []
  const recurringClosures = new Map<string, string>()
  const oneOffClosures = new Map<string, string>()
  localHolidays.forEach((holiday, index) => {
    if (!isRealDate(holiday.date)) {
      problems.push({
        path: `/localHolidays/${index}/date`,
        code: 'sla_calendar_date_invalid',
        params: { value: holiday.date },
      })
      return
    }
    if (holiday.date.length === 5) recurringClosures.set(holiday.date, holiday.name)
    else oneOffClosures.set(holiday.date, holiday.name)
  })

  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    calendar: {
      settings: { timeZone, weeklyHours: json.weeklyHours, localHolidays },
      timeZone,
      weeklyHours,
      recurringClosures,
      oneOffClosures,
    },
  }
}

/**
 * Everything wrong with a calendar's JSON form (empty when it is sound), each
 * problem with a JSON pointer and a message code to translate for the admin.
 * Shape errors come alone: the finer checks need a well-formed calendar.
 */
export function checkBusinessCalendar(json: unknown): CalendarProblem[] {
  const checked = check(json)
  return checked.ok ? [] : checked.problems
}

/**
 * A calendar from its JSON form, or a DomainError('invalid') whose code and
 * params are the first problem and whose details list them all.
 */
export function parseBusinessCalendar(json: unknown): BusinessCalendar {
  const checked = check(json)
  if (checked.ok) return checked.calendar
  const [first, ...others] = checked.problems
  if (!first) throw new Error('calendar check failed without a problem')
  throw new DomainError(
    'invalid',
    first.code,
    `business calendar: ${first.code} at ${first.path}${others.length ? ` (and ${others.length} more)` : ''}`,
    { params: first.params, details: checked.problems },
  )
}

/** The Comune di Prato's calendar (see PRATO_CALENDAR_SETTINGS). */
export const PRATO_CALENDAR: BusinessCalendar = parseBusinessCalendar(PRATO_CALENDAR_SETTINGS)

/**
 * Every closure of a year, national and local, in date order. A date that is
 * both (Santo Stefano in Prato) appears once, under its national name.
 */
export function holidaysOf(calendar: BusinessCalendar, year: number): Holiday[] {
  const byDate = new Map<string, string>()
  for (const h of italianNationalHolidays(year)) byDate.set(h.date, h.name)
  const yearPrefix = `${String(year).padStart(4, '0')}-`
  for (const [monthDay, name] of calendar.recurringClosures) {
    const date = `${yearPrefix}${monthDay}`
    // 02-29 only closes in leap years.
    if (isRealDate(date) && !byDate.has(date)) byDate.set(date, name)
  }
  for (const [date, name] of calendar.oneOffClosures)
    if (date.startsWith(yearPrefix) && !byDate.has(date)) byDate.set(date, name)
  return [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date))
}

/** Whether a local calendar day is closed all day. */
function isClosedDay(calendar: BusinessCalendar, day: DateTime): boolean {
  const date = isoDate(day.year, day.month, day.day)
  return (
    calendar.oneOffClosures.has(date) ||
    calendar.recurringClosures.has(date.slice(5)) ||
    italianNationalHolidays(day.year).some((h) => h.date === date)
  )
}

/** An opening interval as instants (epoch ms), half-open. */
interface Span {
  readonly start: number
  readonly end: number
}

/** The instant of a wall-clock minute of a local day (`day` is its local midnight). */
function wallInstant(calendar: BusinessCalendar, day: DateTime, minute: number): number {
  if (minute === MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day').toMillis()
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone: calendar.timeZone },
  ).toMillis()
}

/** The opening intervals of one local day as instants, in order. */
function daySpans(calendar: BusinessCalendar, day: DateTime): Span[] {
  if (isClosedDay(calendar, day)) return []
  const weekday = WEEKDAYS[day.weekday - 1]
  if (!weekday) throw new Error(`luxon weekday ${day.weekday} out of range`)
  const spans: Span[] = []
  let floor = Number.NEGATIVE_INFINITY
  for (const range of calendar.weeklyHours[weekday]) {
    // A gap-shifted wall time could otherwise overlap the next interval and count twice.
    const start = Math.max(wallInstant(calendar, day, range.start), floor)
    const end = wallInstant(calendar, day, range.end)
    if (end > start) spans.push({ start, end })
    floor = Math.max(floor, end)
  }
  return spans
}

/**
 * A valid calendar opens at least once every few years (366 closures at most);
 * past this many closed days in a row, something is wrong and looping on would hang.
 */
const MAX_CLOSED_DAYS = 3_700

/**
 * Opening intervals that end after `from`, in order, day by day; stops once a day
 * starts at or after `until`.
 */
function* spansFrom(calendar: BusinessCalendar, from: number, until = Number.POSITIVE_INFINITY) {
  let day = DateTime.fromMillis(from, { zone: calendar.timeZone }).startOf('day')
  let closedDays = 0
  while (day.toMillis() < until) {
    const spans = daySpans(calendar, day)
    for (const span of spans) if (span.end > from) yield span
    closedDays = spans.length === 0 ? closedDays + 1 : 0
    if (closedDays > MAX_CLOSED_DAYS)
      throw new Error(
        `business calendar: closed for ${MAX_CLOSED_DAYS} days in a row from ${new Date(from).toISOString()}`,
      )
    day = day.plus({ days: 1 })
  }
}

function instant(date: Date, name: string): number {
  const ms = date.getTime()
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`)
  return ms
}

/** Whether the offices are open at an instant (an interval's start is open, its end is not). */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const t = instant(at, 'at')
  const day = DateTime.fromMillis(t, { zone: calendar.timeZone }).startOf('day')
  return daySpans(calendar, day).some((span) => span.start <= t && t < span.end)
}

/** The first instant at or after `at` when the offices are open: `at` itself when they already are. */
export function nextBusinessStart(calendar: BusinessCalendar, at: Date): Date {
  const t = instant(at, 'at')
  for (const span of spansFrom(calendar, t)) return new Date(Math.max(span.start, t))
  throw new Error('unreachable: spansFrom ends only with an error')
}

/**
 * The instant at which `minutes` of business time have elapsed after `start`: a
 * start outside opening hours counts from the next opening. It is the earliest
 * such instant, so a deadline can fall exactly on a closing time, and zero
 * minutes give `start` back. Fractions of a minute are kept to the millisecond.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  const t = instant(start, 'start')
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`)
  let remaining = Math.round(minutes * MS_PER_MINUTE)
  if (remaining === 0) return new Date(t)
  for (const span of spansFrom(calendar, t)) {
    const from = Math.max(span.start, t)
    const available = span.end - from
    if (remaining <= available) return new Date(from + remaining)
    remaining -= available
  }
  throw new Error('unreachable: spansFrom ends only with an error')
}

/**
 * Business minutes elapsed from `from` to `to` (fractional when the instants are
 * not on whole minutes); the inverse of addBusinessMinutes. SLA clocks sum it over
 * the intervals in which they ran.
 */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = instant(from, 'from')
  const b = instant(to, 'to')
  if (b < a) throw new RangeError(`to (${to.toISOString()}) is before from (${from.toISOString()})`)
  let total = 0
  for (const span of spansFrom(calendar, a, b)) {
    if (span.start >= b) break
    total += Math.min(span.end, b) - Math.max(span.start, a)
  }
  return total / MS_PER_MINUTE
}
