import type { Redis } from 'ioredis'
import type { Actor } from '../iam/iam.schemas.ts'
import type { Logger } from '../logger.ts'

/**
 * Live events for the console. A producer publishes an event once; it goes into a
 * Redis stream (so a client that reconnects can be sent what it missed, by
 * sequence number) and out on a Redis pub/sub channel that every API process
 * subscribes to, so a client connected to any of them gets it. Each process then
 * hands it only to the connections allowed to see it (`mayReceive`): a case event
 * reaches office staff only when the case is their office's.
 *
 * The truth stays in PostgreSQL: a client that missed too much is told to reload.
 */

/** The case an event is about, as far as deciding who may see it needs. */
export interface RealtimeCaseScope {
  id: number
  officeId: number | null
  queueId: number | null
  assigneeId: number | null
  createdBy: number | null
}

export interface RealtimeEvent {
  /** case.event, presence, case.viewers, call.ringing, call.screen_pop, notification, wallboard… */
  type: string
  /** About a case: whoever may see the case may see the event. */
  case?: RealtimeCaseScope
  /** For these staff members only (their "user channel"). */
  userIds?: number[]
  /** For the subscribers of this queue only (their "queue channel"), within what they may see. */
  queueId?: number
  data: Record<string, unknown>
}

/** An event as delivered: with its sequence number (the stream entry id) and when it was published. */
export interface DeliveredEvent extends RealtimeEvent {
  seq: string
  at: string
}

/** Roles that see every case, so every case event. */
const SEE_ALL = new Set(['admin', 'supervisor', 'operator'])

/** Whether `actor` may receive `event`: the same rules as reading the case (visibleTo), and targeted events to their targets. */
export function mayReceive(actor: Actor, event: RealtimeEvent): boolean {
  if (event.userIds && !event.userIds.includes(actor.id)) return false
  const scope = event.case
  if (!scope) return true
  if (SEE_ALL.has(actor.role)) return true
  if (actor.role === 'office_staff')
    return (
      (scope.officeId !== null && actor.officeIds.includes(scope.officeId)) || scope.assigneeId === actor.id
    )
  if (actor.role === 'field_worker') return scope.assigneeId === actor.id || scope.createdBy === actor.id
  return false
}

/** How many events the stream keeps for resuming (about); a client further behind reloads. */
export const REALTIME_BACKLOG = 10_000

export type RealtimeBus = ReturnType<typeof createRealtimeBus>

/** Publishing and replaying through Redis; `subscribe` needs a connection of its own (pub/sub blocks it). */
export function createRealtimeBus(redis: Redis, prefix: string) {
  const stream = `${prefix}:realtime:stream`
  const channel = `${prefix}:realtime:live`

  const decode = (id: string, fields: string[]): DeliveredEvent | null => {
    const raw = fields[1]
    if (!raw) return null
    try {
      return { ...(JSON.parse(raw) as Omit<DeliveredEvent, 'seq'>), seq: id }
    } catch {
      return null
    }
  }

  return {
    stream,
    channel,

    /** Publishes an event to every API process; returns its sequence number. */
    async publish(event: RealtimeEvent): Promise<string> {
      const body = { ...event, at: new Date().toISOString() }
      const seq = await redis.xadd(
        stream,
        'MAXLEN',
        '~',
        String(REALTIME_BACKLOG),
        '*',
        'e',
        JSON.stringify(body),
      )
      if (!seq) throw new Error('realtime: the stream refused the event')
      await redis.publish(channel, JSON.stringify({ ...body, seq }))
      return seq
    },

    /** The last sequence number published, to start a fresh client from. */
    async head(): Promise<string> {
      const last = await redis.xrevrange(stream, '+', '-', 'COUNT', 1)
      return last[0]?.[0] ?? '0-0'
    },

    /**
     * The events after `seq`, oldest first, at most `limit`; null when some of them
     * are gone from the stream (the client was away too long) or there are more
     * than `limit`: the client must reload.
     */
    async since(seq: string, limit = 1000): Promise<DeliveredEvent[] | null> {
      const first = await redis.xrange(stream, '-', '+', 'COUNT', 1)
      const oldest = first[0]?.[0]
      // Older than anything kept: what it missed may be trimmed (or Redis lost it all).
      if (!oldest || compareSeq(seq, oldest) < 0) {
        if (compareSeq(seq, await this.head()) !== 0) return null
      }
      const entries = await redis.xrange(stream, `(${seq}`, '+', 'COUNT', limit + 1)
      if (entries.length > limit) return null
      return entries.map(([id, fields]) => decode(id, fields)).filter((e): e is DeliveredEvent => e !== null)
    },

    /** Calls `onEvent` for every event published by any process, until the returned function is called. */
    async subscribe(subscriber: Redis, onEvent: (event: DeliveredEvent) => void, log?: Logger) {
      subscriber.on('message', (from, message) => {
        if (from !== channel) return
        try {
          onEvent(JSON.parse(message) as DeliveredEvent)
        } catch (err) {
          log?.warn({ err }, 'realtime: unreadable event')
        }
      })
      await subscriber.subscribe(channel)
      return async () => {
        await subscriber.unsubscribe(channel)
      }
    },
  }
}

/** Orders two stream ids (`ms-n`). */
export function compareSeq(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('-').map(Number)
  const [bm = 0, bn = 0] = b.split('-').map(Number)
  return am - bm || an - bn
}

/** Whether `seq` looks like a stream id the server handed out. */
export const isSeq = (seq: string): boolean => /^\d{1,16}-\d{1,10}$/.test(seq)
