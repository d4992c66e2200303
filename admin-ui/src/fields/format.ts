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

/** A file size in kB or MB, as people read it. */
export const formatSize = (bytes: number, locale: string): string => {
  const format = (n: number) =>
    new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(n)
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${format(bytes / 1024)} kB`
  return `${format(bytes / (1024 * 1024))} MB`
}
