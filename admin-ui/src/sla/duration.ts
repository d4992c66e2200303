import type { TranslateFunction } from 'react-admin'
import { intlLocale } from '../i18n/index.ts'

/** Whole hours and the minutes left over, as an administrator enters a target. */
export const splitMinutes = (total: number): { hours: number; minutes: number } => ({
  hours: Math.floor(total / 60),
  minutes: total % 60,
})

/** Business minutes as people say them: "4 h 30 min", "9 h", "45 min" (numbers in the console's locale). */
export const formatDuration = (translate: TranslateFunction, locale: string, total: number): string => {
  const { hours, minutes } = splitMinutes(Math.max(0, Math.round(total)))
  const n = (v: number) => new Intl.NumberFormat(intlLocale(locale)).format(v)
  if (hours && minutes) return translate('sla.duration', { hours: n(hours), minutes: n(minutes) })
  if (hours) return translate('sla.durationHours', { hours: n(hours) })
  return translate('sla.durationMinutes', { minutes: n(minutes) })
}

const UNITS: { unit: Intl.NumberFormatOptions['unit']; ms: number }[] = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
]

/**
 * A wall-clock span in the largest unit that fits, in words ("3 ore", "2 giorni",
 * "1 minuto"): the countdowns of a case, which the calendar cannot give in business time.
 */
export const formatSpan = (ms: number, locale: string): string => {
  const abs = Math.abs(ms)
  const { unit, ms: size } = UNITS.find((u) => abs >= u.ms) ?? { unit: 'minute', ms: 60_000 }
  return new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(
    Math.max(1, Math.floor(abs / size)),
  )
}
