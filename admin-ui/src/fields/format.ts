import { intlLocale } from '../i18n/index.ts'

/** A timestamp on the Comune's clock, in the console's locale (05/03/2026, 14:07). */
export const formatDateTime = (iso: string, locale: string): string =>
  new Intl.DateTimeFormat(intlLocale(locale), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  }).format(new Date(iso))

/** A count in the console's locale (1.234 in Italian, 1,234 in English). */
export const formatNumber = (n: number, locale: string): string =>
  new Intl.NumberFormat(intlLocale(locale)).format(n)

const DURATION_UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
  ['millisecond', 1],
] as const

/** A duration in the largest unit that says it exactly: "1 giorno", "90 secondi", "5 minutes". */
export const formatDuration = (ms: number, locale: string): string => {
  // Nothing at all reads as seconds.
  const [unit, size] =
    DURATION_UNITS.find(([u, size]) => ms % size === 0 && (ms >= size || u === 'second')) ?? DURATION_UNITS[4]
  return new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(
    ms / size,
  )
}

/** A file size in kB or MB, as people read it. */
export const formatSize = (bytes: number, locale: string): string => {
  const format = (n: number) =>
    new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(n)
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${format(bytes / 1024)} kB`
  return `${format(bytes / (1024 * 1024))} MB`
}
