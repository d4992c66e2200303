import pg from 'pg'
import type { Logger } from '../logger.ts'

/**
 * Runs `work` whenever PostgreSQL NOTIFYs `channel`, and every `pollMs` anyway (a
 * notification can be missed while the listener reconnects). Never two runs at
 * once: a kick during a run asks for one more run right after it.
 */
export class ListenLoop {
  private listener: pg.Client | null = null
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> | null = null
  private again = false
  private stopped = false

  constructor(
    private readonly opts: {
      databaseUrl: string
      channel: string
      applicationName: string
      pollMs: number
      log: Logger
      work: () => Promise<unknown>
    },
  ) {}

  async start(): Promise<void> {
    const { databaseUrl, applicationName, channel, log } = this.opts
    this.listener = new pg.Client({ connectionString: databaseUrl, application_name: applicationName })
    this.listener.on('notification', () => this.kick())
    this.listener.on('error', (err) => log.warn({ err, channel }, 'listener lost; polling only'))
    await this.listener.connect()
    await this.listener.query(`listen ${pg.escapeIdentifier(channel)}`)
    if (this.stopped) return // stopped while starting: stop() ends the listener
    this.timer = setInterval(() => this.kick(), this.opts.pollMs)
  }

  /** Runs the work now, or once more right after the run in progress. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.opts
      .work()
      .catch((err) => this.opts.log.error({ err, channel: this.opts.channel }, 'run failed; will retry'))
      .finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.running
    await this.listener?.end().catch(() => {})
  }
}
