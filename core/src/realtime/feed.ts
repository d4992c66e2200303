import pg from 'pg'
import type { Database } from '../db/db.ts'
import { ListenLoop } from '../db/listen-loop.ts'
import type { Logger } from '../logger.ts'
import type { RealtimeBus, RealtimeEvent } from './realtime.ts'

/** The realtime type of a timeline event, by its kind; the kind itself travels in `data.kind`. */
export function caseEventType(kind: string): string {
  switch (kind) {
    case 'created':
      return 'case.created'
    case 'assigned':
    case 'unassigned':
      return 'case.assigned'
    case 'message_received':
      return 'message.received'
    case 'sla_warning':
      return 'sla.warning'
    case 'sla_breach':
      return 'sla.breach'
    default:
      return 'case.updated'
  }
}

/** The staff a note mentions (its data keeps them as `{ id, fullName }`). */
function mentionIds(data: unknown): number[] {
  const mentions =
    typeof data === 'object' && data !== null ? (data as { mentions?: unknown }).mentions : null
  if (!Array.isArray(mentions)) return []
  return mentions
    .map((m) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is number => typeof id === 'number')
}

const FEED_LOCK = 0x4f11_0f33
/** How long an id skipped by a later commit is waited for: its transaction may still commit. */
const GAP_WAIT_MS = 10_000
const PAGE = 500

type Source = 'case_events' | 'staff_notifications'

/**
 * Turns what is committed to PostgreSQL — timeline events, staff notifications —
 * into realtime events, in id order, woken by NOTIFY (sql/0014_realtime.sql). One
 * worker process at a time feeds (the one holding an advisory lock); its position
 * is kept in Redis, and when Redis lost it the feed starts from now. An id that a
 * later commit skipped is looked for again for a few seconds, so a slow
 * transaction's events still go out.
 */
export class RealtimeFeed {
  private readonly loop: ListenLoop
  private lockClient: pg.Client | null = null
  private leader = false
  private readonly gaps: Record<Source, Map<number, number>> = {
    case_events: new Map(),
    staff_notifications: new Map(),
  }

  constructor(
    private readonly deps: { db: Database; realtime: RealtimeBus; redis: import('ioredis').Redis },
    private readonly opts: { databaseUrl: string; prefix: string; log: Logger; pollMs?: number },
  ) {
    this.loop = new ListenLoop({
      databaseUrl: opts.databaseUrl,
      channel: 'realtime',
      applicationName: 'filo-realtime-feed',
      pollMs: opts.pollMs ?? 1000,
      log: opts.log,
      work: () => this.tick(),
    })
  }

  async start(): Promise<void> {
    this.lockClient = new pg.Client({
      connectionString: this.opts.databaseUrl,
      application_name: 'filo-realtime-lock',
    })
    this.lockClient.on('error', (err) => {
      this.leader = false
      this.opts.log.warn({ err }, 'realtime feed lock connection lost')
    })
    await this.lockClient.connect()
    await this.loop.start()
    this.loop.kick()
  }

  async stop(): Promise<void> {
    await this.loop.stop()
    await this.lockClient?.end().catch(() => {})
  }

  /** One pass: publish what was committed since the last one. Returns how many events went out. */
  async tick(): Promise<number> {
    if (!this.leader) {
      const { rows } = (await this.lockClient?.query('select pg_try_advisory_lock($1) as ok', [
        FEED_LOCK,
      ])) ?? {
        rows: [],
      }
      this.leader = rows[0]?.ok === true
      if (!this.leader) return 0
    }
    return (await this.drain('case_events')) + (await this.drain('staff_notifications'))
  }

  private cursorKey(source: Source) {
    return `${this.opts.prefix}:realtime:cursor:${source}`
  }

  private async drain(source: Source): Promise<number> {
    const { redis } = this.deps
    const stored = await redis.get(this.cursorKey(source))
    if (stored === null) {
      // No position (first start, or Redis lost it): start from now, never replay history.
      const head = await this.maxId(source)
      await redis.set(this.cursorKey(source), String(head))
      return 0
    }
    let cursor = Number(stored)
    let published = 0
    // Ids skipped earlier whose transactions may have committed since.
    const gaps = this.gaps[source]
    const now = Date.now()
    for (const [id, since] of gaps) if (now - since > GAP_WAIT_MS) gaps.delete(id)
    if (gaps.size) {
      const late = await this.read(source, { ids: [...gaps.keys()] })
      for (const event of late) {
        gaps.delete(event.id)
        await this.deps.realtime.publish(event.event)
        published++
      }
    }
    for (;;) {
      const rows = await this.read(source, { after: cursor })
      let expected = cursor + 1
      for (const row of rows) {
        for (; expected < row.id; expected++) gaps.set(expected, now)
        expected = row.id + 1
        await this.deps.realtime.publish(row.event)
        published++
      }
      const last = rows.at(-1)
      if (!last) break
      cursor = last.id
      await redis.set(this.cursorKey(source), String(cursor))
      if (rows.length < PAGE) break
    }
    return published
  }

  private async maxId(source: Source): Promise<number> {
    const row = await this.deps.db
      .selectFrom(source === 'case_events' ? 'caseEvents' : 'staffNotifications')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst()
    return Number(row?.id ?? 0)
  }

  private async read(
    source: Source,
    where: { after?: number; ids?: number[] },
  ): Promise<{ id: number; event: RealtimeEvent }[]> {
    const { db } = this.deps
    if (source === 'staff_notifications') {
      let q = db
        .selectFrom('staffNotifications')
        .select(['id', 'userId', 'kind', 'caseId', 'data', 'createdAt'])
      q = where.ids ? q.where('id', 'in', where.ids) : q.where('id', '>', where.after ?? 0)
      const rows = await q.orderBy('id').limit(PAGE).execute()
      return rows.map((n) => ({
        id: n.id,
        event: {
          type: 'notification',
          userIds: [n.userId],
          data: {
            id: n.id,
            kind: n.kind,
            caseId: n.caseId,
            data: n.data,
            createdAt: n.createdAt.toISOString(),
          },
        },
      }))
    }
    let q = db
      .selectFrom('caseEvents as e')
      .innerJoin('cases as c', 'c.id', 'e.caseId')
      .leftJoin('staffUsers as u', 'u.id', 'e.actorId')
      .select([
        'e.id',
        'e.caseId',
        'e.kind',
        'e.actorId',
        'u.fullName as actorName',
        'e.data',
        'c.number',
        'c.subject',
        'c.status',
        'c.priority',
        'c.version',
        'c.officeId',
        'c.queueId',
        'c.assigneeId',
        'c.createdBy',
      ])
    q = where.ids ? q.where('e.id', 'in', where.ids) : q.where('e.id', '>', where.after ?? 0)
    const rows = await q.orderBy('e.id').limit(PAGE).execute()
    return rows.map((r) => ({
      id: r.id,
      event: {
        type: caseEventType(r.kind),
        case: {
          id: r.caseId,
          officeId: r.officeId,
          queueId: r.queueId,
          assigneeId: r.assigneeId,
          createdBy: r.createdBy,
        },
        data: {
          eventId: r.id,
          caseId: r.caseId,
          kind: r.kind,
          actorId: r.actorId,
          // Who did it, for the console's "changed by …" notices, and whom a note mentions.
          actorName: r.actorName,
          ...(r.kind === 'note' ? { mentions: mentionIds(r.data) } : {}),
          number: r.number,
          subject: r.subject,
          status: r.status,
          priority: r.priority,
          version: r.version,
        },
      },
    }))
  }
}
