import type {
  BacklogStats,
  FirstContactStats,
  SlaStats,
  StatsBucket,
  VolumeStats,
} from '@filo/core/stats/stats.schemas'
import { httpClient } from '../httpClient.ts'

export type { BacklogStats, FirstContactStats, SlaStats, StatsBucket, VolumeStats }
export type VolumeDimension = VolumeStats['by']

/** The dashboard's range: days in Europe/Rome, both included. */
export interface StatsRange {
  from: string
  to: string
  bucket: StatsBucket
}

const get = async <T>(path: string, query: Record<string, string>): Promise<T> =>
  (await httpClient(`/api/v1/stats/${path}?${new URLSearchParams(query)}`)).json as T

/** The supervisors' figures, from GET /api/v1/stats/*. */
export const statsApi = {
  volumes: (range: StatsRange, by: VolumeDimension) =>
    get<VolumeStats>('volumes', { ...rangeQuery(range), by }),
  sla: (range: StatsRange) => get<SlaStats>('sla', rangeQuery(range)),
  backlog: () => get<BacklogStats>('backlog', {}),
  firstContact: (range: StatsRange) => get<FirstContactStats>('first-contact', rangeQuery(range)),
}

const rangeQuery = (range: StatsRange): Record<string, string> => ({
  from: range.from,
  to: range.to,
  bucket: range.bucket,
})

/** Today in Rome as YYYY-MM-DD, and the day `days` before it. */
export const romeDay = (offsetDays = 0, now = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now.getTime() + offsetDays * 86_400_000))
