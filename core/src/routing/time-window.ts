import type { TimeWindow } from './rule.schemas.ts'

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** A moment as read on a clock in Prato. */
export interface RomeTime {
  day: IsoWeekday
  /** Minutes since local midnight. */
  minutes: number
  /** HH:MM, for explanations. */
  hhmm: string
}

// The ICU data shipped with Node knows Europe/Rome's DST rules, so no date library
// is needed; one formatter serves every call.
const romeClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Rome',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})
const WEEKDAYS: Record<string, IsoWeekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** The Europe/Rome weekday and time of an instant; null for an invalid Date. */
export function romeTime(at: Date): RomeTime | null {
  if (Number.isNaN(at.getTime())) return null
  const parts = Object.fromEntries(romeClock.formatToParts(at).map((p) => [p.type, p.value]))
  const day = WEEKDAYS[parts.weekday ?? '']
  const hour = Number(parts.hour)
  const minute = Number(parts.minute)
  if (!day || !Number.isInteger(hour) || !Number.isInteger(minute)) return null
  return { day, minutes: hour * 60 + minute, hhmm: `${parts.hour}:${parts.minute}` }
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** The window's bounds as shown to people: a missing `from` is 00:00, a missing `to` is 24:00. */
export function windowBounds(window: TimeWindow): { from: string; to: string } {
  return { from: window.from ?? '00:00', to: window.to ?? '24:00' }
}

/**
 * Where a local time falls against a window: inside, on a day the window does
 * not run, or outside its hours. A window crossing midnight counts its early
 * hours as part of the day before, the day it started on.
 */
export function placeInWindow(window: TimeWindow, at: RomeTime): 'inside' | 'wrong_day' | 'wrong_hours' {
  const from = window.from === undefined ? 0 : minutesOf(window.from)
  const to = window.to === undefined ? 24 * 60 : minutesOf(window.to)
  const runsOn = (day: number) => !window.days || window.days.includes(day)
  if (from < to) {
    if (at.minutes < from || at.minutes >= to) return 'wrong_hours'
    return runsOn(at.day) ? 'inside' : 'wrong_day'
  }
  if (at.minutes >= from) return runsOn(at.day) ? 'inside' : 'wrong_day'
  if (at.minutes < to) return runsOn(at.day === 1 ? 7 : at.day - 1) ? 'inside' : 'wrong_day'
  return 'wrong_hours'
}
