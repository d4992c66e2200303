import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import { type Config, redact } from '../config.ts'
import type { Database } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import { type Language, translate } from '../i18n.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { IoClient, IoError } from './io.client.ts'
import type { DeliveryCount, IoCheckOutcome, IoCheckView, IoSettingsView } from './io-settings.schemas.ts'
import './io-settings.messages.ts'
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATES } from './notification.schemas.ts'

export type IoSettingsService = ReturnType<typeof createIoSettingsService>

const order = (list: readonly string[], value: string) => list.indexOf(value)

/** IO's refusal of a check as an error the admin can act on; null when IO answered about the citizen. */
function checkError(err: IoError, apiUrl: string): DomainError | null {
  const params = { status: err.status, url: apiUrl }
  if (err.status === 404 || err.status === 403) return null
  if (err.status === 401)
    return new DomainError('unavailable', 'io_check_key_refused', err.message, { params, cause: err })
  if (err.status === 0)
    return new DomainError('unavailable', 'io_check_unreachable', err.message, { params, cause: err })
  if (err.status === 429)
    return new DomainError('unavailable', 'io_check_throttled', err.message, { params, cause: err })
  return new DomainError('unavailable', 'io_check_failed', err.message, { params, cause: err })
}

/**
 * The notification settings admins may see but not change (they are the deployment's
 * environment: IO's key is a secret and is never stored or shown), what was delivered
 * lately, and a live check of IO's answer for a fiscal code. Checks are audited: they
 * ask IO about a citizen.
 */
export function createIoSettingsService(db: Database, config: Config, opts: { io?: IoClient } = {}) {
  const io = opts.io ?? new IoClient({ baseUrl: config.ioApiUrl, apiKey: config.ioApiKey })

  const admins = (actor: Actor) => {
    if (actor.role !== 'admin')
      throw new DomainError('forbidden', 'io_settings_admin_only', 'only admins see the IO settings')
  }

  async function counts(): Promise<DeliveryCount[]> {
    const rows = await db
      .selectFrom('notifications')
      .select(['channel', 'state'])
      .select([
        sql<number>`count(*) filter (where created_at > now() - interval '1 day')::int`.as('lastDay'),
        sql<number>`count(*)::int`.as('lastWeek'),
      ])
      .where('createdAt', '>', sql<Date>`now() - interval '7 days'`)
      .groupBy(['channel', 'state'])
      .execute()
    return rows
      .map((r) => ({
        ...r,
        channel: r.channel as DeliveryCount['channel'],
        state: r.state as DeliveryCount['state'],
      }))
      .sort(
        (a, b) =>
          order(NOTIFICATION_CHANNELS, a.channel) - order(NOTIFICATION_CHANNELS, b.channel) ||
          order(NOTIFICATION_STATES, a.state) - order(NOTIFICATION_STATES, b.state),
      )
  }

  return {
    async settings(actor: Actor): Promise<IoSettingsView> {
      admins(actor)
      return {
        io: {
          configured: io.enabled,
          apiUrl: config.ioApiUrl,
          keyHint: config.ioApiKey ? config.ioApiKey.slice(-4) : null,
          profileCacheSeconds: config.ioProfileCacheSeconds,
          statusPollSeconds: config.ioStatusPollSeconds,
        },
        email: { smtpUrl: config.smtpUrl ? redact(config.smtpUrl) : null, from: config.notificationFrom },
        delivery: {
          digestSeconds: config.notificationDigestSeconds,
          maxAttempts: config.notificationMaxAttempts,
          retryBaseMs: config.notificationRetryBaseMs,
        },
        counts: await counts(),
      }
    },

    /**
     * Asks IO now (never the profile cache) whether the service may write to this
     * citizen. IO's errors become errors naming what to fix, in the reader's language.
     */
    async check(actor: Actor, fiscalCode: string, lang: Language): Promise<IoCheckView> {
      admins(actor)
      if (!io.enabled) throw new DomainError('unavailable', 'io_not_configured', 'IO_API_KEY is not set')
      const audit = (after: Record<string, unknown>) =>
        recordAudit(db, actor, {
          action: 'io_profile.check',
          entityType: 'io_profile',
          entityId: null,
          after,
        })
      let outcome: IoCheckOutcome
      let preferredLanguages: string[] = []
      try {
        const profile = await io.getProfile(fiscalCode)
        outcome = profile.senderAllowed ? 'sender_allowed' : 'sender_not_allowed'
        preferredLanguages = profile.preferredLanguages
      } catch (err) {
        if (!(err instanceof IoError)) throw err
        const refusal = checkError(err, config.ioApiUrl)
        if (refusal) {
          await audit({ fiscalCode, error: refusal.code, status: err.status })
          throw refusal
        }
        outcome = err.status === 404 ? 'no_profile' : 'forbidden'
      }
      await audit({ fiscalCode, outcome })
      return {
        fiscalCode,
        outcome,
        senderAllowed: outcome === 'sender_allowed',
        preferredLanguages,
        message: translate(lang, `io_check.${outcome}`),
      }
    },
  }
}
