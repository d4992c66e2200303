import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../src/errors.ts'
import { translate } from '../src/i18n.ts'
import { PRATO_CALENDAR_SETTINGS } from '../src/sla/calendar.schemas.ts'
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  checkBusinessCalendar,
  holidaysOf,
  isBusinessTime,
  nextBusinessStart,
  PRATO_CALENDAR,
  parseBusinessCalendar,
} from '../src/sla/calendar.ts'
import { easterSunday, italianNationalHolidays } from '../src/sla/holidays.ts'

// Prato's hours (calendar.schemas.ts): Mon–Fri 08:30–13:00, Tue and Thu also 14:30–17:30.
// Expected instants below are worked out by hand and written in UTC (CET = UTC+1, CEST = UTC+2).

/** An instant given as Rome wall-clock time, "YYYY-MM-DD HH:mm". */
function rome(local: string): Date {
  const dt = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: 'Europe/Rome' })
  if (!dt.isValid) throw new Error(`bad test time ${local}`)
  return dt.toJSDate()
}

const add = (start: string, minutes: number, calendar: BusinessCalendar = PRATO_CALENDAR) =>
  addBusinessMinutes(calendar, rome(start), minutes).toISOString()
const between = (from: string, to: string, calendar: BusinessCalendar = PRATO_CALENDAR) =>
  businessMinutesBetween(calendar, rome(from), rome(to))
const hours = (h: number) => h * 60

const ALL_DAY = [{ from: '00:00', to: '24:00' }]
/** A desk open round the clock (national holidays still close it). */
const ROUND_THE_CLOCK = parseBusinessCalendar({
  weeklyHours: {
    mon: ALL_DAY,
    tue: ALL_DAY,
    wed: ALL_DAY,
    thu: ALL_DAY,
    fri: ALL_DAY,
    sat: ALL_DAY,
    sun: ALL_DAY,
  },
})

/** The problems of Prato's settings with some weekly hours replaced. */
function problemsWith(changes: Record<string, unknown>): { path: string; code: string }[] {
  const json = {
    ...PRATO_CALENDAR_SETTINGS,
    weeklyHours: { ...PRATO_CALENDAR_SETTINGS.weeklyHours, ...changes },
  }
  return checkBusinessCalendar(json).map(({ path, code }) => ({ path, code }))
}

describe('Italian holidays', () => {
  it('computes Easter Sunday with the Gregorian computus', () => {
    expect(easterSunday(2024)).toBe('2024-03-31')
    expect(easterSunday(2025)).toBe('2025-04-20')
    expect(easterSunday(2026)).toBe('2026-04-05')
    expect(easterSunday(2027)).toBe('2027-03-28')
    expect(easterSunday(2038)).toBe('2038-04-25')
    // The earliest and latest possible dates.
    expect(easterSunday(2285)).toBe('2285-03-22')
    expect(easterSunday(1943)).toBe('1943-04-25')
  })

  it('closes on Pasquetta, the Monday after Easter, including across a month end', () => {
    const dates = (year: number) => italianNationalHolidays(year).map((h) => h.date)
    expect(dates(2025)).toContain('2025-04-21')
    expect(dates(2038)).toContain('2038-04-26')
    expect(dates(2024)).toContain('2024-04-01')
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-04-21 10:00'))).toBe(false)
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-04-22 10:00'))).toBe(true)
  })

  it('lists the national holidays, with 4 October from 2026 (Legge 151/2025)', () => {
    expect(italianNationalHolidays(2025).map((h) => h.date)).toEqual([
      '2025-01-01',
      '2025-01-06',
      '2025-04-20',
      '2025-04-21',
      '2025-04-25',
      '2025-05-01',
      '2025-06-02',
      '2025-08-15',
      '2025-11-01',
      '2025-12-08',
      '2025-12-25',
      '2025-12-26',
    ])
    expect(italianNationalHolidays(2027).map((h) => h.date)).toContain('2027-10-04')
    // Monday 4 October 2027 is closed: the next opening is Tuesday morning.
    expect(nextBusinessStart(PRATO_CALENDAR, rome('2027-10-04 08:00')).toISOString()).toBe(
      '2027-10-05T06:30:00.000Z',
    )
  })

  it("lists Prato's patron saint once, since Santo Stefano is already national", () => {
    const stefano = holidaysOf(PRATO_CALENDAR, 2026).filter((h) => h.date === '2026-12-26')
    expect(stefano).toEqual([{ date: '2026-12-26', name: 'Santo Stefano' }])
    expect(holidaysOf(PRATO_CALENDAR, 2026)).toHaveLength(13)
  })

  it('does not move a holiday that falls on a weekend', () => {
    // Christmas 2027 is a Saturday and Santo Stefano a Sunday: Monday 27 is a normal day.
    expect(nextBusinessStart(PRATO_CALENDAR, rome('2027-12-24 13:00')).toISOString()).toBe(
      '2027-12-27T07:30:00.000Z',
    )
    // Ognissanti 2026 is a Sunday.
    expect(isBusinessTime(PRATO_CALENDAR, rome('2026-11-02 09:00'))).toBe(true)
  })

  it('closes on local holidays, recurring (MM-DD) and one-off (YYYY-MM-DD)', () => {
    const calendar = parseBusinessCalendar({
      ...PRATO_CALENDAR_SETTINGS,
      localHolidays: [
        { date: '09-08', name: 'Chiusura annuale' },
        { date: '2026-08-14', name: 'Ponte di Ferragosto' },
      ],
    })
    expect(isBusinessTime(calendar, rome('2026-09-08 09:00'))).toBe(false)
    expect(isBusinessTime(calendar, rome('2027-09-08 09:00'))).toBe(false)
    expect(isBusinessTime(calendar, rome('2026-08-14 09:00'))).toBe(false)
    expect(isBusinessTime(calendar, rome('2027-08-13 09:00'))).toBe(true)
    // Thursday 13 August 2026 at 17:00 + 1 hour: 30 minutes that day, then Fri 14 and Sat 15 to
    // Sun 16 closed, so the other 30 minutes are Monday 17 from 08:30 (CEST).
    expect(add('2026-08-13 17:00', 60, calendar)).toBe('2026-08-17T07:00:00.000Z')
  })
})

describe('opening hours', () => {
  it('is open from an opening (inclusive) to a closing (exclusive)', () => {
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-13 08:29'))).toBe(false)
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-13 08:30'))).toBe(true)
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-13 12:59'))).toBe(true)
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-13 13:00'))).toBe(false)
    // Monday has no afternoon, Tuesday has.
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-13 15:00'))).toBe(false)
    expect(isBusinessTime(PRATO_CALENDAR, rome('2025-01-14 15:00'))).toBe(true)
  })

  it('finds the next opening from a night, a lunch break and a weekend', () => {
    const next = (local: string) => nextBusinessStart(PRATO_CALENDAR, rome(local)).toISOString()
    expect(next('2025-01-15 22:00')).toBe('2025-01-16T07:30:00.000Z')
    expect(next('2025-01-14 13:30')).toBe('2025-01-14T13:30:00.000Z')
    expect(next('2025-01-11 03:00')).toBe('2025-01-13T07:30:00.000Z')
    expect(next('2025-01-13 10:15')).toBe('2025-01-13T09:15:00.000Z')
  })
})

describe('addBusinessMinutes', () => {
  it('takes Friday 16:00 + 4 business hours to Monday 12:30', () => {
    // Friday afternoon is closed; Monday 08:30 + 4h.
    expect(add('2025-01-10 16:00', hours(4))).toBe('2025-01-13T11:30:00.000Z')
  })

  it('counts across the lunch break and into the next day', () => {
    // Thursday 16:00–17:30 is 1.5h; 2.5h more from Friday 08:30.
    expect(add('2025-01-16 16:00', hours(4))).toBe('2025-01-17T10:00:00.000Z')
    // Monday 12:00–13:00 is 1h; no afternoon on Monday; 3h more from Tuesday 08:30.
    expect(add('2025-01-13 12:00', hours(4))).toBe('2025-01-14T10:30:00.000Z')
    // Tuesday 12:00–13:00, then 14:30–17:30: the deadline is the closing time itself.
    expect(add('2025-01-14 12:00', hours(4))).toBe('2025-01-14T16:30:00.000Z')
  })

  it('computes a first response within 8 business hours from a Friday afternoon', () => {
    // Monday 08:30–13:00 (4.5h), then 3.5h from Tuesday 08:30.
    expect(add('2025-01-10 16:00', hours(8))).toBe('2025-01-14T11:00:00.000Z')
  })

  it('starts counting at the next opening when started at night or at the weekend', () => {
    expect(add('2025-01-15 22:00', 60)).toBe('2025-01-16T08:30:00.000Z')
    expect(add('2025-01-11 10:00', 30)).toBe('2025-01-13T08:00:00.000Z')
    expect(add('2025-01-14 13:30', 30)).toBe('2025-01-14T14:00:00.000Z')
  })

  it('gives the start back for zero minutes, open or not', () => {
    expect(add('2025-01-11 10:00', 0)).toBe(rome('2025-01-11 10:00').toISOString())
  })

  it('skips Natale, Santo Stefano, Capodanno and Epifania', () => {
    // Wed 31 Dec 10:00–13:00 (3h); 1 Jan closed; Fri 2 Jan 4.5h; then 0.5h on Monday 5 Jan.
    expect(add('2025-12-31 10:00', hours(8))).toBe('2026-01-05T08:00:00.000Z')
    // Tue 23 Dec from 12:00: 4h, Wed 24 4.5h (8.5), 25–28 closed, Mon 29 4.5h (13), Tue 30 7.5h (20.5),
    // Wed 31 4.5h (25), Fri 2 Jan 4.5h (29.5), Mon 5 4.5h (34), Tue 6 Epifania, Wed 7 4.5h (38.5),
    // then 1.5h on Thursday 8 January: 10:00.
    expect(add('2025-12-23 12:00', hours(40))).toBe('2026-01-08T09:00:00.000Z')
    expect(between('2025-12-23 12:00', '2026-01-08 10:00')).toBe(hours(40))
  })

  it('reaches 400 business hours without walking minute by minute', () => {
    // 28.5h a week: 14 weeks from Monday 13 January 08:30 give 399h by Monday 21 April 08:30,
    // which is Pasquetta; the last hour is Tuesday 22 April 08:30–09:30 (CEST).
    expect(add('2025-01-13 08:30', hours(400))).toBe('2025-04-22T07:30:00.000Z')
  })

  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => addBusinessMinutes(PRATO_CALENDAR, rome('2025-01-13 09:00'), -1)).toThrow(RangeError)
    expect(() => addBusinessMinutes(PRATO_CALENDAR, rome('2025-01-13 09:00'), Number.NaN)).toThrow(RangeError)
    expect(() => addBusinessMinutes(PRATO_CALENDAR, new Date('nope'), 5)).toThrow(RangeError)
  })
})

describe('daylight saving time', () => {
  it('keeps opening hours on local time across the March change', () => {
    // Fri 28 March 12:00 CET → Mon 31 March 10:00 CEST: 1h on Friday + 1.5h on Monday.
    expect(between('2025-03-28 12:00', '2025-03-31 10:00')).toBe(150)
    expect(add('2025-03-28 12:00', 120)).toBe('2025-03-31T07:30:00.000Z')
  })

  it('keeps opening hours on local time across the October change', () => {
    expect(between('2025-10-24 12:00', '2025-10-27 10:00')).toBe(150)
    expect(add('2025-10-24 12:00', 120)).toBe('2025-10-27T08:30:00.000Z')
  })

  it('counts the real length of a weekend that spans the change on a round-the-clock desk', () => {
    expect(between('2025-03-29 00:00', '2025-03-31 00:00', ROUND_THE_CLOCK)).toBe(hours(47))
    expect(between('2025-10-25 00:00', '2025-10-27 00:00', ROUND_THE_CLOCK)).toBe(hours(49))
    // Saturday 12:00 CET + 24h of real time is Sunday 13:00 CEST.
    expect(add('2025-03-29 12:00', hours(24), ROUND_THE_CLOCK)).toBe('2025-03-30T11:00:00.000Z')
  })

  it('counts an opening interval across the Sunday night change by elapsed time', () => {
    const night = [{ from: '01:00', to: '04:00' }]
    const calendar = parseBusinessCalendar({
      weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: night },
    })
    // 01:00 CET to 04:00 CEST is two real hours; 01:00 CEST to 04:00 CET is four.
    expect(between('2025-03-30 00:00', '2025-03-30 12:00', calendar)).toBe(120)
    expect(between('2025-10-26 00:00', '2025-10-26 12:00', calendar)).toBe(240)
    expect(between('2025-03-23 00:00', '2025-03-23 12:00', calendar)).toBe(180)
  })
})

describe('businessMinutesBetween', () => {
  it('counts only opening hours, split days included', () => {
    // Tuesday 08:00 → Wednesday 09:00: 4.5h + 3h on Tuesday, 0.5h on Wednesday.
    expect(between('2025-01-14 08:00', '2025-01-15 09:00')).toBe(hours(8))
    expect(between('2025-01-11 00:00', '2025-01-12 23:59')).toBe(0)
    expect(between('2025-01-13 09:00', '2025-01-13 09:00')).toBe(0)
  })

  it('is additive over consecutive intervals, as an SLA clock summing its running intervals needs', () => {
    const whole = between('2024-12-20 11:00', '2026-02-03 15:00')
    const parts =
      between('2024-12-20 11:00', '2025-03-30 02:30') +
      between('2025-03-30 02:30', '2025-12-25 09:00') +
      between('2025-12-25 09:00', '2026-02-03 15:00')
    expect(parts).toBe(whole)
  })

  it('rejects a "to" before "from"', () => {
    expect(() => between('2025-01-14 10:00', '2025-01-14 09:00')).toThrow(RangeError)
  })

  it('is the inverse of addBusinessMinutes (random starts, seeded)', () => {
    // mulberry32: a small seeded PRNG so a failure replays identically.
    let seed = 20_260_401
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    }
    const from = Date.UTC(2024, 0, 1)
    const span = Date.UTC(2029, 0, 1) - from
    for (let i = 0; i < 400; i++) {
      // Starts on whole seconds, anywhere in the day, including nights, weekends and holidays.
      const start = new Date(from + Math.floor((random() * span) / 1000) * 1000)
      const minutes = Math.floor(random() * 6000)
      const end = addBusinessMinutes(PRATO_CALENDAR, start, minutes)
      const context = `start ${start.toISOString()} + ${minutes}`
      expect(end.getTime(), context).toBeGreaterThanOrEqual(start.getTime())
      expect(businessMinutesBetween(PRATO_CALENDAR, start, end), context).toBe(minutes)
      if (minutes > 0) {
        // The deadline is inside opening hours or exactly at a closing time.
        expect(isBusinessTime(PRATO_CALENDAR, new Date(end.getTime() - 1)), context).toBe(true)
        // Splitting the minutes in two gives the same deadline.
        const split = Math.floor(random() * minutes)
        const twoSteps = addBusinessMinutes(
          PRATO_CALENDAR,
          addBusinessMinutes(PRATO_CALENDAR, start, split),
          minutes - split,
        )
        expect(twoSteps.toISOString(), context).toBe(end.toISOString())
      }
    }
  })
})

describe('calendar validation', () => {
  it("accepts Prato's calendar and fills in the default time zone", () => {
    expect(checkBusinessCalendar(PRATO_CALENDAR_SETTINGS)).toEqual([])
    const { timeZone: _omitted, ...withoutZone } = PRATO_CALENDAR_SETTINGS
    expect(parseBusinessCalendar(withoutZone).settings.timeZone).toBe('Europe/Rome')
    expect(parseBusinessCalendar(withoutZone).settings.localHolidays).toHaveLength(1)
  })

  it('rejects overlapping intervals, naming both', () => {
    const problems = checkBusinessCalendar({
      ...PRATO_CALENDAR_SETTINGS,
      weeklyHours: {
        ...PRATO_CALENDAR_SETTINGS.weeklyHours,
        tue: [
          { from: '14:30', to: '17:30' },
          { from: '08:30', to: '15:00' },
        ],
      },
    })
    expect(problems).toEqual([
      {
        path: '/weeklyHours/tue/0',
        code: 'sla_calendar_interval_overlap',
        params: { first: '08:30–15:00', second: '14:30–17:30', day: '@sla_weekday_tue' },
      },
    ])
    const [problem] = problems
    expect(problem && translate('it', problem.code, problem.params)).toBe(
      'Gli intervalli 08:30–15:00 e 14:30–17:30 di martedì si sovrappongono.',
    )
  })

  it('accepts intervals that touch without overlapping', () => {
    expect(
      problemsWith({
        mon: [
          { from: '08:00', to: '12:00' },
          { from: '12:00', to: '13:00' },
        ],
      }),
    ).toEqual([])
  })

  it('rejects inverted and empty intervals', () => {
    expect(problemsWith({ wed: [{ from: '13:00', to: '08:30' }] })).toEqual([
      { path: '/weeklyHours/wed/0', code: 'sla_calendar_interval_inverted' },
    ])
    expect(problemsWith({ wed: [{ from: '09:00', to: '09:00' }] })).toEqual([
      { path: '/weeklyHours/wed/0', code: 'sla_calendar_interval_inverted' },
    ])
  })

  it('rejects times that are not times of day', () => {
    expect(problemsWith({ fri: [{ from: '08:60', to: '25:00' }] })).toEqual([
      { path: '/weeklyHours/fri/0/from', code: 'sla_calendar_time_invalid' },
      { path: '/weeklyHours/fri/0/to', code: 'sla_calendar_time_invalid' },
    ])
    expect(problemsWith({ fri: [{ from: '24:00', to: '24:00' }] })).toEqual([
      { path: '/weeklyHours/fri/0/from', code: 'sla_calendar_time_invalid' },
    ])
    // Not HH:MM at all: a shape error from the schema.
    expect(problemsWith({ fri: [{ from: '8:30', to: '13:00' }] })).toEqual([
      { path: '/weeklyHours/fri/0/from', code: 'sla_calendar_shape' },
    ])
  })

  it('rejects a calendar that never opens, an unknown time zone and impossible dates', () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }
    expect(checkBusinessCalendar({ weeklyHours: closed }).map((p) => p.code)).toEqual([
      'sla_calendar_never_open',
    ])
    expect(
      checkBusinessCalendar({ ...PRATO_CALENDAR_SETTINGS, timeZone: 'Europe/Prato' }).map((p) => p.code),
    ).toEqual(['sla_calendar_time_zone_invalid'])
    const dates = checkBusinessCalendar({
      ...PRATO_CALENDAR_SETTINGS,
      localHolidays: [
        { date: '02-29', name: 'Solo negli anni bisestili' },
        { date: '02-30', name: 'Mai' },
        { date: '2025-02-29', name: 'Mai' },
      ],
    })
    expect(dates.map((p) => p.path)).toEqual(['/localHolidays/1/date', '/localHolidays/2/date'])
  })

  it('rejects a malformed shape with the path of each problem', () => {
    const { sun: _missing, ...sixDays } = PRATO_CALENDAR_SETTINGS.weeklyHours
    const problems = checkBusinessCalendar({ weeklyHours: sixDays, colour: 'red' })
    expect(problems.every((p) => p.code === 'sla_calendar_shape')).toBe(true)
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/', '/weeklyHours']))
  })

  it('throws a DomainError carrying the first problem and listing all of them', () => {
    let error: unknown
    try {
      parseBusinessCalendar({
        ...PRATO_CALENDAR_SETTINGS,
        timeZone: 'Mars/Olympus',
        weeklyHours: { ...PRATO_CALENDAR_SETTINGS.weeklyHours, sat: [{ from: '12:00', to: '09:00' }] },
      })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DomainError)
    const domainError = error as DomainError
    expect(domainError.kind).toBe('invalid')
    expect(domainError.code).toBe('sla_calendar_time_zone_invalid')
    expect(translate('en', domainError.code, domainError.params)).toBe(
      'The time zone "Mars/Olympus" does not exist (e.g. Europe/Rome).',
    )
    expect(domainError.details).toHaveLength(2)
  })
})
