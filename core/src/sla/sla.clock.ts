import { addBusinessMinutes, type BusinessCalendar } from './calendar.ts'
import type { SlaPhase, SlaTarget } from './sla.schemas.ts'

/**
 * The SLA clocks of a case as pure arithmetic. A case has two clocks — first
 * response (from creation) and resolution (from creation, or from the last
 * reopening) — and each has two timers: the warning, at `warnPercent` of the
 * target, and the breach, at the target. Time the case spent waiting for the
 * citizen is added to a clock's target, in business minutes of the calendar, so a
 * deadline is always recomputable from the case's columns alone.
 */

/** `first_response.warning`, `resolution.breach`…: the name a timer has in `cases.sla_fired`. */
export type TimerKey = `${SlaTarget}.${SlaPhase}`
export const TIMER_KEYS: readonly TimerKey[] = [
  'first_response.warning',
  'first_response.breach',
  'resolution.warning',
  'resolution.breach',
]

export interface SlaTargets {
  firstResponseMinutes: number
  resolutionMinutes: number
  warnPercent: number
}

export interface ClockStarts {
  /** The first-response clock starts when the case is created. */
  createdAt: Date
  /** The resolution clock: creation or the last reopening. */
  startedAt: Date
  firstResponsePausedMinutes: number
  resolutionPausedMinutes: number
}

export type TimerTimes = Record<TimerKey, Date>

/** When each timer fires. */
export function timerTimes(calendar: BusinessCalendar, targets: SlaTargets, starts: ClockStarts): TimerTimes {
  const at = (start: Date, minutes: number) => addBusinessMinutes(calendar, start, minutes)
  const share = targets.warnPercent / 100
  return {
    'first_response.warning': at(
      starts.createdAt,
      targets.firstResponseMinutes * share + starts.firstResponsePausedMinutes,
    ),
    'first_response.breach': at(
      starts.createdAt,
      targets.firstResponseMinutes + starts.firstResponsePausedMinutes,
    ),
    'resolution.warning': at(
      starts.startedAt,
      targets.resolutionMinutes * share + starts.resolutionPausedMinutes,
    ),
    'resolution.breach': at(starts.startedAt, targets.resolutionMinutes + starts.resolutionPausedMinutes),
  }
}

/** What decides which timers may still fire. */
export interface ClockState {
  status: string
  firstRespondedAt: Date | null
  pausedAt: Date | null
  merged: boolean
  fired: ReadonlySet<string>
}

const STOPPED = new Set(['resolved', 'closed'])

/** Whether a timer belongs to a clock that still runs: none while paused, merged, resolved or closed. */
export function clockRuns(key: TimerKey, state: ClockState): boolean {
  if (state.merged || state.pausedAt !== null || STOPPED.has(state.status)) return false
  return key.startsWith('resolution.') || state.firstRespondedAt === null
}

/** The timers still to fire, earliest first. */
export function pendingTimers(
  times: Partial<Record<TimerKey, Date | null>>,
  state: ClockState,
): { key: TimerKey; at: Date }[] {
  const pending: { key: TimerKey; at: Date }[] = []
  for (const key of TIMER_KEYS) {
    const at = times[key]
    if (at && !state.fired.has(key) && clockRuns(key, state)) pending.push({ key, at })
  }
  return pending.sort((a, b) => a.at.getTime() - b.at.getTime())
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

/** One step up the priority ladder; urgent stays urgent. */
export function raisedPriority(priority: string): string {
  const i = PRIORITIES.indexOf(priority as (typeof PRIORITIES)[number])
  return PRIORITIES[Math.min(PRIORITIES.length - 1, Math.max(0, i + 1))] ?? 'urgent'
}
