/**
 * Italy's national public holidays (Legge 27 maggio 1949, n. 260, as amended), for
 * any Gregorian year. Pure: no time zone is involved, a holiday is a calendar date.
 */

/** A day the offices are closed, as a local calendar date. */
export interface Holiday {
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly name: string
}

/** The first year the Gregorian calendar (and so this computus) applies. */
const FIRST_GREGORIAN_YEAR = 1583

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_GREGORIAN_YEAR || year > 9999)
    throw new RangeError(`year ${year}: expected an integer between ${FIRST_GREGORIAN_YEAR} and 9999`)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY-MM-DD` of a date given by its parts (month 1–12). */
export const isoDate = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`

/**
 * Easter Sunday of a Gregorian year, as `YYYY-MM-DD`: the anonymous Gregorian
 * computus (Meeus/Jones/Butcher), exact for every Gregorian year without tables.
 */
export function easterSunday(year: number): string {
  assertYear(year)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return isoDate(year, month, day)
}

/** The day after a `YYYY-MM-DD` date; UTC arithmetic because a calendar date has no zone. */
function nextDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + 1)
  return t.toISOString().slice(0, 10)
}

/** National holidays on a fixed date, with the first year each applies where that matters. */
const FIXED: readonly { monthDay: string; name: string; since?: number }[] = [
  { monthDay: '01-01', name: 'Capodanno' },
  { monthDay: '01-06', name: 'Epifania' },
  { monthDay: '04-25', name: 'Festa della Liberazione' },
  { monthDay: '05-01', name: 'Festa del Lavoro' },
  { monthDay: '06-02', name: 'Festa della Repubblica' },
  { monthDay: '08-15', name: 'Ferragosto (Assunzione)' },
  // Legge 8 ottobre 2025, n. 151 made 4 October a national holiday again from 2026.
  { monthDay: '10-04', name: 'San Francesco d’Assisi, patrono d’Italia', since: 2026 },
  { monthDay: '11-01', name: 'Ognissanti' },
  { monthDay: '12-08', name: 'Immacolata Concezione' },
  { monthDay: '12-25', name: 'Natale' },
  { monthDay: '12-26', name: 'Santo Stefano' },
]

const cache = new Map<number, readonly Holiday[]>()

/**
 * Italy's national holidays of a year, in date order. Holidays falling on a
 * Saturday or Sunday are not moved: Italian law has no substitute days off.
 * Historical changes before 2026 (2 June was moved to a Sunday from 1977 to 2000)
 * are not modelled: Filo computes deadlines from now on.
 */
export function italianNationalHolidays(year: number): readonly Holiday[] {
  const cached = cache.get(year)
  if (cached) return cached
  const easter = easterSunday(year)
  const holidays: Holiday[] = [
    ...FIXED.filter((h) => h.since === undefined || year >= h.since).map((h) => ({
      date: `${String(year).padStart(4, '0')}-${h.monthDay}`,
      name: h.name,
    })),
    { date: easter, name: 'Pasqua' },
    { date: nextDate(easter), name: 'Lunedì dell’Angelo (Pasquetta)' },
  ].sort((x, y) => x.date.localeCompare(y.date))
  cache.set(year, holidays)
  return holidays
}
