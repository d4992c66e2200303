import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Filo's configuration, read once from the environment and validated. */
export interface Config {
  env: 'development' | 'test' | 'production'
  databaseUrl: string
  /** Connections per process in the PostgreSQL pool. */
  databasePoolSize: number
  redisUrl: string
  /** Prefix of every BullMQ key, so several Filo installs (or test files) can share a Redis. */
  queuePrefix: string
  host: string
  port: number
  /** The address people use to reach Filo; links in messages are built on it. */
  publicUrl: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Prefix of human case numbers: PRA-2026-000123. */
  caseNumberPrefix: string
  /**
   * How long a worker holds a job before BullMQ thinks it died; its job then goes to
   * another worker. Also how often workers look for such stalled jobs.
   */
  jobLockMs: number
  /** How long a staff member may be without a live console connection before they go offline (a page reload is not leaving). */
  presenceGraceMs: number
  /** What a citizen's message on a resolved or closed case does: reopen it, or open a linked follow-up. */
  closedCasePolicy: 'reopen' | 'follow_up'
  sessionTtlHours: number
  /** Sessions cookies are marked Secure unless Filo is served over plain http. */
  cookieSecure: boolean
  /** Where the console's production build is; served at /admin. */
  adminUiDist: string
  /** Failed logins per email within the window before logins are refused. */
  loginMaxFailures: number
  loginWindowMinutes: number
  /** Where attachment blobs are kept (content-addressed); an absolute path. */
  attachmentsDir: string
  /** The largest attachment accepted, in bytes. */
  attachmentMaxBytes: number
  /** Secret (32+ characters) that encrypts mailbox passwords at rest. */
  mailCredentialsKey: string
  /** Secret (32+ characters) that signs the Message-IDs of Filo's mail, so replies find their case. */
  mailSigningKey: string
  /** The largest email imported, in bytes; bigger ones are refused with a note on a case. */
  mailMaxMessageBytes: number
  /** Messages one sender may bring in per hour before the rest are set aside (mail storms). */
  mailSenderMaxPerHour: number
  /** Base URL of the IO Services API v1. */
  ioApiUrl: string
  /** The IO service's subscription key (Ocp-Apim-Subscription-Key); empty: IO is off, citizens hear by email. */
  ioApiKey: string
  /** How long IO's profile answer (sender_allowed, 404) is trusted before asking again. */
  ioProfileCacheSeconds: number
  /** How long after sending an IO message its delivery status is first read (then less and less often). */
  ioStatusPollSeconds: number
  /** SMTP server of the default sender, for notifications when no mailbox applies. */
  smtpUrl: string
  /** From address of the default sender. */
  notificationFrom: string
  /** Changes to a case within this window go out as one message. */
  notificationDigestSeconds: number
  /** Attempts before a notification is marked failed (listed for admins, who may retry it). */
  notificationMaxAttempts: number
  /** First retry delay; each further one doubles, with jitter. */
  notificationRetryBaseMs: number
}

/** A missing or malformed variable: the message names it and says what is expected. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

type Env = Record<string, string | undefined>

/**
 * Reads the configuration from `env`. In production DATABASE_URL, REDIS_URL and
 * PUBLIC_URL must be set; elsewhere they default to the local services.
 * Every problem is reported at once, each naming its variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const nodeEnv = env.NODE_ENV ?? 'development'
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be one of development, test, production (got "${nodeEnv}")`)
  }
  const production = nodeEnv === 'production'

  const str = (name: string, fallback: string | undefined): string => {
    const value = env[name]
    if (value === undefined || value === '') {
      if (fallback === undefined) {
        problems.push(`${name} is required but not set`)
        return ''
      }
      return fallback
    }
    return value
  }

  const url = (name: string, protocols: string[], fallback: string | undefined): string => {
    const value = str(name, fallback)
    if (!value) return value
    try {
      const parsed = new URL(value)
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${redact(value)}")`)
      }
    } catch {
      problems.push(`${name} must be a URL such as ${protocols[0]}//host:port/… (got "${redact(value)}")`)
    }
    return value
  }

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`)
      return fallback
    }
    return value
  }

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`)
      return fallback
    }
    return raw as T
  }

  const port = int('PORT', 3000, 1, 65535)
  const publicUrl = url(
    'PUBLIC_URL',
    ['http:', 'https:'],
    production ? undefined : `http://localhost:${port}`,
  )
  const prefix = str('CASE_NUMBER_PREFIX', 'PRA')
  if (!/^[A-Z]{2,6}$/.test(prefix)) {
    problems.push(`CASE_NUMBER_PREFIX must be 2 to 6 capital letters (got "${prefix}")`)
  }
  const queuePrefix = str('QUEUE_PREFIX', 'filo')
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(queuePrefix)) {
    problems.push(`QUEUE_PREFIX must be 1 to 40 letters, digits, _ or - (got "${queuePrefix}")`)
  }

  // Local defaults keep development working; production must bring its own secrets.
  const secret = (name: string, localDefault: string): string => {
    const value = str(name, production ? undefined : localDefault)
    if (value && value.length < 32) problems.push(`${name} must be at least 32 characters long`)
    return value
  }

  const config: Config = {
    env: nodeEnv as Config['env'],
    databaseUrl: url(
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      production ? undefined : 'postgres://postgres@127.0.0.1:5432/filo',
    ),
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:'], production ? undefined : 'redis://127.0.0.1:6379'),
    queuePrefix,
    host: str('HOST', production ? '0.0.0.0' : '127.0.0.1'),
    port,
    publicUrl,
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    caseNumberPrefix: prefix,
    jobLockMs: int('JOB_LOCK_MS', 30_000, 1000, 600_000),
    presenceGraceMs: int('PRESENCE_GRACE_MS', 20_000, 0, 3_600_000),
    closedCasePolicy: oneOf('CLOSED_CASE_POLICY', ['reopen', 'follow_up'], 'reopen'),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: publicUrl.startsWith('https:'),
    adminUiDist: str('ADMIN_UI_DIST', path.join(repoRoot, 'admin-ui', 'dist')),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowMinutes: int('LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    // Resolved once here: a relative path would otherwise depend on each process's cwd.
    attachmentsDir: path.resolve(str('ATTACHMENTS_DIR', path.join(repoRoot, 'data', 'attachments'))),
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    mailCredentialsKey: secret('MAIL_CREDENTIALS_KEY', 'filo-local-development-mail-credentials-key'),
    mailSigningKey: secret('MAIL_SIGNING_KEY', 'filo-local-development-message-id-signing-key'),
    mailMaxMessageBytes: int('MAIL_MAX_MESSAGE_BYTES', 30 * 1024 * 1024, 10 * 1024, 200 * 1024 * 1024),
    mailSenderMaxPerHour: int('MAIL_SENDER_MAX_PER_HOUR', 30, 1, 100_000),
    ioApiUrl: url('IO_API_URL', ['https:', 'http:'], 'https://api.io.italia.it/api/v1').replace(/\/+$/, ''),
    ioApiKey: str('IO_API_KEY', ''),
    ioProfileCacheSeconds: int('IO_PROFILE_CACHE_SECONDS', 86_400, 0, 30 * 86_400),
    ioStatusPollSeconds: int('IO_STATUS_POLL_SECONDS', 60, 1, 86_400),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:'], production ? '' : 'smtp://127.0.0.1:25'),
    notificationFrom: str('NOTIFICATION_FROM', 'Comune di Prato <noreply@comune.prato.it>'),
    notificationDigestSeconds: int('NOTIFICATION_DIGEST_SECONDS', 60, 0, 3600),
    notificationMaxAttempts: int('NOTIFICATION_MAX_ATTEMPTS', 6, 1, 50),
    notificationRetryBaseMs: int('NOTIFICATION_RETRY_BASE_MS', 5000, 10, 3_600_000),
  }
  if (config.ioApiKey && !/^[\x21-\x7e]{8,200}$/.test(config.ioApiKey)) {
    problems.push('IO_API_KEY must be 8 to 200 printable characters without spaces')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/** Hides the password of a connection URL in messages and logs (all of it, even one with an @ in it). */
export function redact(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^/]*@/, '//$1:***@')
}

/** For a process's entry point: the configuration, or a message naming each bad variable and exit code 1. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err)
    process.exit(1)
  }
}
