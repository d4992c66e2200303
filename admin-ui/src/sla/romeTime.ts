/** The Comune's clock: calendars and deadlines are read and entered in Europe/Rome time. */
export const ROME = 'Europe/Rome'

const offsetAt = (utcMs: number): number => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ROME,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(utcMs / 1000) * 1000
}

/**
 * The instant of a Rome wall-clock time `YYYY-MM-DDTHH:MM` (what a datetime-local
 * input gives), whatever the browser's own time zone.
 */
export const romeToIso = (local: string): string | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local)
  if (!m) return undefined
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]))
  // Two passes settle the offset across a DST change.
  let utc = wall - offsetAt(wall)
  utc = wall - offsetAt(utc)
  return new Date(utc).toISOString()
}

/** Now as a Rome wall-clock `YYYY-MM-DDTHH:MM`, for a datetime-local input's starting value. */
export const romeNowLocal = (now = Date.now()): string =>
  new Date(now + offsetAt(now)).toISOString().slice(0, 16)
