import type { Case } from '../types.ts'

/** Where one clock of a case stands, on the wall clock (business time is the server's). */
export type ClockState = 'on_time' | 'at_risk' | 'breached' | 'paused' | 'met' | 'late'

export interface Clock {
  target: 'first_response' | 'resolution'
  state: ClockState
  dueAt: string
  warnAt: string | null
  /** When it was met: the first response, or the resolution. */
  metAt: string | null
}

const time = (iso: string | null) => (iso ? new Date(iso).getTime() : Number.NaN)

const stateOf = (
  due: string,
  warn: string | null,
  metAt: string | null,
  pausedAt: string | null,
  now: number,
): ClockState => {
  if (metAt) return time(metAt) <= time(due) ? 'met' : 'late'
  if (pausedAt) return 'paused'
  if (now >= time(due)) return 'breached'
  if (warn && now >= time(warn)) return 'at_risk'
  return 'on_time'
}

/** The case's two clocks (those it has), in the order they run out. */
export const clocksOf = (record: Case, now = Date.now()): Clock[] => {
  const clocks: Clock[] = []
  const done = record.status === 'resolved' || record.status === 'closed'
  const resolvedAt = done ? (record.resolvedAt ?? record.closedAt ?? record.updatedAt) : null
  // A case resolved without a reply of its own was answered by its resolution.
  const respondedAt = record.firstRespondedAt ?? resolvedAt
  if (record.firstResponseDueAt) {
    clocks.push({
      target: 'first_response',
      dueAt: record.firstResponseDueAt,
      warnAt: record.firstResponseWarnAt,
      metAt: respondedAt,
      state: stateOf(
        record.firstResponseDueAt,
        record.firstResponseWarnAt,
        respondedAt,
        record.slaPausedAt,
        now,
      ),
    })
  }
  if (record.resolutionDueAt) {
    clocks.push({
      target: 'resolution',
      dueAt: record.resolutionDueAt,
      warnAt: record.resolutionWarnAt,
      metAt: resolvedAt,
      state: stateOf(record.resolutionDueAt, record.resolutionWarnAt, resolvedAt, record.slaPausedAt, now),
    })
  }
  return clocks
}

const SEVERITY: ClockState[] = ['met', 'late', 'on_time', 'paused', 'at_risk', 'breached']

/**
 * The case's SLA state as the list's filter counts it: the worse of its running
 * clocks; paused while waiting for the citizen; undefined without a policy or
 * once both clocks are done.
 */
export const caseSlaState = (record: Case, now = Date.now()): ClockState | undefined => {
  if (record.slaPolicyId === null) return undefined
  const running = clocksOf(record, now).filter((c) => c.state !== 'met' && c.state !== 'late')
  if (!running.length) return undefined
  return running.reduce<ClockState>(
    (worst, c) => (SEVERITY.indexOf(c.state) > SEVERITY.indexOf(worst) ? c.state : worst),
    'on_time',
  )
}

/** The chip colour of each state. */
export const STATE_COLOR = {
  on_time: 'success',
  at_risk: 'warning',
  breached: 'error',
  paused: 'default',
  met: 'success',
  late: 'warning',
} as const satisfies Record<ClockState, 'success' | 'warning' | 'error' | 'default'>
