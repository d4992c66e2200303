/**
 * The console's one websocket to the API's realtime layer (GET /api/v1/ws, same
 * origin, authenticated by the session cookie). It reconnects with backoff and
 * resumes with `?since=<last seq>`, so a short break loses nothing; it says again
 * which queues it follows and which cases it is viewing after each reconnection,
 * since the server keeps those per connection.
 */

/** A live event as the server delivers it. */
export interface LiveEvent {
  seq: string
  type: string
  at: string
  case?: { id: number; officeId: number | null; queueId: number | null; assigneeId: number | null }
  userIds?: number[]
  queueId?: number
  data: Record<string, unknown>
}

/** Where the connection stands, for the app bar's indicator. */
export type RealtimeStatus = 'connecting' | 'live' | 'offline'

type Listener = (event: LiveEvent) => void

/** Backoff between reconnection attempts: 1 s doubling to 30 s, with jitter. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000, 30_000]
/** A ping unanswered this long means the connection is dead even if the browser has not noticed. */
const PING_EVERY_MS = 25_000
const PONG_WITHIN_MS = 10_000

export class RealtimeClient {
  private socket: WebSocket | null = null
  private lastSeq: string | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private pongTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private readonly listeners = new Set<Listener>()
  private readonly statusListeners = new Set<(status: RealtimeStatus) => void>()
  private readonly reloadListeners = new Set<() => void>()
  /** Queue id → how many components follow it. */
  private readonly queues = new Map<number, number>()
  /** Case id → how many components view it. */
  private readonly viewing = new Map<number, number>()
  /** Edit forms open on this tab: a reload must not re-read their records behind their back. */
  private edits = 0
  status: RealtimeStatus = 'connecting'
  /** The signed-in staff member, as the server's welcome says. */
  userId: number | null = null

  constructor(private readonly url: string = RealtimeClient.defaultUrl()) {}

  static defaultUrl(): string {
    const { protocol, host } = window.location
    return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/v1/ws`
  }

  start(): void {
    this.stopped = false
    this.open()
  }

  stop(): void {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.clearPing()
    this.socket?.close(1000, 'bye')
    this.socket = null
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** The server says this console missed too much: whatever it shows must be read again. */
  onReload(listener: () => void): () => void {
    this.reloadListeners.add(listener)
    return () => this.reloadListeners.delete(listener)
  }

  /** Follows queue channels (call.ringing…) until the returned function is called. */
  followQueues(ids: readonly number[]): () => void {
    const added = ids.filter((id) => {
      const n = this.queues.get(id) ?? 0
      this.queues.set(id, n + 1)
      return n === 0
    })
    if (added.length) this.send({ type: 'subscribe', queues: added })
    return () => {
      const removed = ids.filter((id) => {
        const n = (this.queues.get(id) ?? 1) - 1
        if (n <= 0) this.queues.delete(id)
        else this.queues.set(id, n)
        return n <= 0
      })
      if (removed.length) this.send({ type: 'unsubscribe', queues: removed })
    }
  }

  /** Tells the others this console is looking at a case, until the returned function is called. */
  view(caseId: number): () => void {
    const n = this.viewing.get(caseId) ?? 0
    this.viewing.set(caseId, n + 1)
    if (n === 0) this.send({ type: 'view', caseId })
    return () => {
      const left = (this.viewing.get(caseId) ?? 1) - 1
      if (left > 0) {
        this.viewing.set(caseId, left)
        return
      }
      this.viewing.delete(caseId)
      this.send({ type: 'unview', caseId })
    }
  }

  /** Marks an edit form open until the returned function is called. */
  holdEdit(): () => void {
    this.edits++
    let released = false
    return () => {
      if (released) return
      released = true
      this.edits--
    }
  }

  editing(): boolean {
    return this.edits > 0
  }

  private open(): void {
    if (this.stopped) return
    this.setStatus('connecting')
    const url = this.lastSeq ? `${this.url}?since=${encodeURIComponent(this.lastSeq)}` : this.url
    const socket = new WebSocket(url)
    this.socket = socket
    socket.onmessage = (e) => this.onMessage(e.data)
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      this.clearPing()
      this.setStatus('offline')
      this.retry()
    }
    // An error is followed by close, which retries.
    socket.onerror = () => undefined
  }

  private retry(): void {
    if (this.stopped) return
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 30_000
    this.attempt++
    this.retryTimer = setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2))
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return
    let message: { type?: string; seq?: string; userId?: number; event?: LiveEvent }
    try {
      message = JSON.parse(raw)
    } catch {
      return
    }
    switch (message.type) {
      case 'welcome':
        this.attempt = 0
        if (message.seq) this.lastSeq = message.seq
        if (typeof message.userId === 'number') this.userId = message.userId
        this.setStatus('live')
        this.resend()
        this.startPing()
        return
      case 'reload':
        if (message.seq) this.lastSeq = message.seq
        for (const listener of this.reloadListeners) listener()
        return
      case 'event':
        if (!message.event) return
        this.lastSeq = message.event.seq
        for (const listener of this.listeners) {
          try {
            listener(message.event)
          } catch (err) {
            console.error('realtime listener failed', err)
          }
        }
        return
      case 'pong':
        if (this.pongTimer) clearTimeout(this.pongTimer)
        this.pongTimer = null
        return
      default:
        return
    }
  }

  /** After a (re)connection: the server starts with no queues followed and no case viewed. */
  private resend(): void {
    if (this.queues.size) this.send({ type: 'subscribe', queues: [...this.queues.keys()] })
    for (const caseId of this.viewing.keys()) this.send({ type: 'view', caseId })
  }

  private startPing(): void {
    this.clearPing()
    this.pingTimer = setInterval(() => {
      this.send({ type: 'ping' })
      if (this.pongTimer) return
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null
        // No answer: drop the socket; its close reconnects.
        this.socket?.close(4000, 'no pong')
      }, PONG_WITHIN_MS)
    }, PING_EVERY_MS)
  }

  private clearPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer)
    if (this.pongTimer) clearTimeout(this.pongTimer)
    this.pingTimer = null
    this.pongTimer = null
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN && this.status === 'live') {
      this.socket.send(JSON.stringify(message))
    }
  }

  private setStatus(status: RealtimeStatus): void {
    if (this.status === status) return
    this.status = status
    for (const listener of this.statusListeners) listener(status)
  }
}
