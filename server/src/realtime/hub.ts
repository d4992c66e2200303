import { randomUUID } from 'node:crypto'
import {
  type Actor,
  compareSeq,
  createConnectionRegistry,
  createRedis,
  type DeliveredEvent,
  type Deps,
  isSeq,
  type Logger,
  mayReceive,
  offlineIfDisconnected,
  type RealtimeCaseScope,
} from '@filo/core'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'
import type { WebSocket } from 'ws'

/** What a console may say on its socket. */
export const ClientMessage = Type.Union([
  Type.Object({
    type: Type.Union([Type.Literal('subscribe'), Type.Literal('unsubscribe')]),
    queues: Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 100 }),
  }),
  Type.Object({
    type: Type.Union([Type.Literal('view'), Type.Literal('unview')]),
    caseId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  }),
  Type.Object({ type: Type.Literal('ping') }),
])
export type ClientMessage = Static<typeof ClientMessage>

interface Client {
  id: string
  actor: Actor
  name: string
  socket: WebSocket
  queues: Set<number>
  viewing: Set<number>
  /** Until the replay is sent, live events wait here. */
  buffer: DeliveredEvent[] | null
  /** The sequence number of the last event this client was sent (or decided it may not see). */
  lastSeq: string
  alive: boolean
}

const HEARTBEAT_MS = 15_000
/** A viewer who stops vouching for a case (closed the tab without a word) drops off after this. */
const VIEWING_TTL_MS = 45_000

/**
 * The websocket side of the realtime layer, one per API process: every live event
 * published by any process (Redis pub/sub) goes to the connections here allowed to
 * see it; a connection resuming after a short break is sent what it missed from the
 * stream; connections are counted in Redis so presence follows them; "who is
 * viewing this case" is kept in Redis and announced to everyone who may see it.
 */
export class RealtimeHub {
  private readonly clients = new Set<Client>()
  private readonly registry
  private subscriber: ReturnType<typeof createRedis> | null = null
  private heartbeat: NodeJS.Timeout | null = null
  private readonly offlineTimers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
  ) {
    this.registry = createConnectionRegistry(deps.redis, deps.config.queuePrefix)
  }

  async start(): Promise<void> {
    this.subscriber = createRedis(this.deps.config.redisUrl)
    this.subscriber.on('error', (err: Error) => this.log.warn({ err }, 'realtime subscriber: Redis error'))
    await this.deps.realtime.subscribe(this.subscriber, (event) => this.dispatch(event), this.log)
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat)
    for (const t of this.offlineTimers) clearTimeout(t)
    for (const client of this.clients) client.socket.close(1001, 'server shutting down')
    this.subscriber?.disconnect()
  }

  /** A console connected: replay from `since` if it is resuming, then live events. */
  async connect(socket: WebSocket, actor: Actor, name: string, since: string | undefined): Promise<void> {
    const client: Client = {
      id: randomUUID(),
      actor,
      name,
      socket,
      queues: new Set(),
      viewing: new Set(),
      buffer: [],
      lastSeq: '0-0',
      alive: true,
    }
    this.clients.add(client)
    socket.on('pong', () => {
      client.alive = true
    })
    socket.on('message', (raw) => void this.onMessage(client, raw.toString()))
    socket.on('close', () => void this.disconnect(client))
    try {
      await this.registry.register(actor.id, client.id)
      const head = await this.deps.realtime.head()
      if (since && isSeq(since)) {
        const missed = await this.deps.realtime.since(since)
        if (missed === null) {
          // Away too long: what it missed is not all in the stream any more.
          this.send(client, { type: 'reload', reason: 'too_far_behind', seq: head })
          client.lastSeq = head
        } else {
          client.lastSeq = since
          for (const event of missed) this.deliver(client, event)
        }
      } else {
        client.lastSeq = head
      }
      this.send(client, { type: 'welcome', seq: client.lastSeq, userId: actor.id })
      const waiting = client.buffer ?? []
      client.buffer = null
      for (const event of waiting) this.deliver(client, event)
    } catch (err) {
      this.log.warn({ err }, 'realtime: connection set-up failed')
      socket.close(1011, 'set-up failed')
    }
  }

  private dispatch(event: DeliveredEvent): void {
    for (const client of this.clients) {
      if (client.buffer) client.buffer.push(event)
      else this.deliver(client, event)
    }
  }

  private deliver(client: Client, event: DeliveredEvent): void {
    if (compareSeq(event.seq, client.lastSeq) <= 0) return
    client.lastSeq = event.seq
    if (!mayReceive(client.actor, event)) return
    if (event.queueId !== undefined && !client.queues.has(event.queueId)) return
    this.send(client, { type: 'event', event })
  }

  private send(client: Client, message: Record<string, unknown>): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message))
  }

  private async onMessage(client: Client, raw: string): Promise<void> {
    let message: unknown
    try {
      message = JSON.parse(raw)
    } catch {
      this.send(client, { type: 'error', code: 'ws_invalid_message' })
      return
    }
    if (!Value.Check(ClientMessage, message)) {
      this.send(client, { type: 'error', code: 'ws_invalid_message' })
      return
    }
    try {
      switch (message.type) {
        case 'ping':
          this.send(client, { type: 'pong', seq: client.lastSeq })
          return
        case 'subscribe': {
          const allowed = await this.allowedQueues(client.actor, message.queues)
          for (const q of allowed) client.queues.add(q)
          this.send(client, { type: 'subscribed', queues: [...client.queues].sort((a, b) => a - b) })
          return
        }
        case 'unsubscribe':
          for (const q of message.queues) client.queues.delete(q)
          this.send(client, { type: 'subscribed', queues: [...client.queues].sort((a, b) => a - b) })
          return
        case 'view': {
          const scope = await this.visibleCase(client.actor, message.caseId)
          if (!scope) {
            this.send(client, { type: 'error', code: 'case_not_found', caseId: message.caseId })
            return
          }
          client.viewing.add(message.caseId)
          await this.setViewing(client, message.caseId, true)
          await this.announceViewers(scope)
          return
        }
        case 'unview': {
          if (!client.viewing.delete(message.caseId)) return
          await this.setViewing(client, message.caseId, false)
          const scope = await this.caseScope(message.caseId)
          if (scope) await this.announceViewers(scope)
          return
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'realtime: message failed')
      this.send(client, { type: 'error', code: 'internal' })
    }
  }

  private async disconnect(client: Client): Promise<void> {
    this.clients.delete(client)
    try {
      await this.registry.unregister(client.actor.id, client.id)
      for (const caseId of client.viewing) {
        await this.setViewing(client, caseId, false)
        const scope = await this.caseScope(caseId)
        if (scope) await this.announceViewers(scope)
      }
    } catch (err) {
      this.log.warn({ err }, 'realtime: disconnect bookkeeping failed')
    }
    // A reload reconnects within the grace period; leaving does not.
    const timer = setTimeout(() => {
      this.offlineTimers.delete(timer)
      offlineIfDisconnected(this.deps, this.registry, client.actor.id).catch((err) =>
        this.log.warn({ err }, 'realtime: presence update failed'),
      )
    }, this.deps.config.presenceGraceMs)
    timer.unref()
    this.offlineTimers.add(timer)
  }

  /** Pings every socket (dropping the ones that did not answer the last ping) and vouches for the live ones. */
  private async beat(): Promise<void> {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate()
        continue
      }
      client.alive = false
      client.socket.ping()
    }
    try {
      const live = [...this.clients].map((c) => ({ userId: c.actor.id, connectionId: c.id }))
      await this.registry.touch(live)
      for (const client of this.clients)
        for (const caseId of client.viewing) await this.setViewing(client, caseId, true)
    } catch (err) {
      this.log.warn({ err }, 'realtime: heartbeat failed')
    }
  }

  /** Office staff follow their offices' queues (or those they serve); field workers none; the rest any. */
  private async allowedQueues(actor: Actor, queues: number[]): Promise<number[]> {
    if (queues.length === 0 || actor.role === 'field_worker') return []
    let q = this.deps.db.selectFrom('queues').select('id').where('id', 'in', queues)
    if (actor.role === 'office_staff') {
      q = q.where((eb) =>
        eb.or([
          ...(actor.officeIds.length ? [eb('officeId', 'in', actor.officeIds)] : []),
          eb.exists(
            eb
              .selectFrom('queueMembers as m')
              .select('m.queueId')
              .whereRef('m.queueId', '=', 'queues.id')
              .where('m.userId', '=', actor.id),
          ),
        ]),
      )
    }
    return (await q.execute()).map((r) => r.id)
  }

  private async caseScope(caseId: number): Promise<RealtimeCaseScope | null> {
    const row = await this.deps.db
      .selectFrom('cases')
      .select(['id', 'officeId', 'queueId', 'assigneeId', 'createdBy'])
      .where('id', '=', caseId)
      .executeTakeFirst()
    return row ?? null
  }

  private async visibleCase(actor: Actor, caseId: number): Promise<RealtimeCaseScope | null> {
    const scope = await this.caseScope(caseId)
    return scope && mayReceive(actor, { type: 'case.viewers', case: scope, data: {} }) ? scope : null
  }

  private viewingKey(caseId: number) {
    return `${this.deps.config.queuePrefix}:realtime:viewing:${caseId}`
  }

  private async setViewing(client: Client, caseId: number, on: boolean): Promise<void> {
    const key = this.viewingKey(caseId)
    const field = `${client.actor.id}:${client.id}`
    if (on) {
      await this.deps.redis
        .multi()
        .hset(
          key,
          field,
          JSON.stringify({ id: client.actor.id, name: client.name, until: Date.now() + VIEWING_TTL_MS }),
        )
        .pexpire(key, VIEWING_TTL_MS * 2)
        .exec()
    } else {
      await this.deps.redis.hdel(key, field)
    }
  }

  /** Tells everyone who may see the case who is looking at it now (each person once). */
  private async announceViewers(scope: RealtimeCaseScope): Promise<void> {
    const entries = await this.deps.redis.hgetall(this.viewingKey(scope.id))
    const now = Date.now()
    const viewers = new Map<number, string>()
    for (const value of Object.values(entries)) {
      try {
        const v = JSON.parse(value) as { id: number; name: string; until: number }
        if (v.until > now) viewers.set(v.id, v.name)
      } catch {
        // A malformed entry is ignored; it expires with the key.
      }
    }
    await this.deps.realtime.publish({
      type: 'case.viewers',
      case: scope,
      data: { caseId: scope.id, viewers: [...viewers].map(([id, name]) => ({ id, name })) },
    })
  }
}
