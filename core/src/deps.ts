import './messages.ts'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import { createAdminService } from './admin/admin.service.ts'
import { createAssignmentService } from './assignment/assignment.service.ts'
import { createAttachmentService } from './attachments/attachment.service.ts'
import { LocalDiskStorage } from './attachments/storage.ts'
import { createAuditService } from './audit/audit.service.ts'
import { createCannedReplyService } from './canned/canned-reply.service.ts'
import { createBulkCaseService } from './cases/case.bulk.ts'
import { createCaseService } from './cases/case.service.ts'
import { createReplyService } from './channels/email/mail.send.ts'
import { createMailboxService } from './channels/email/mailbox.service.ts'
import { createFieldService } from './channels/field/field.service.ts'
import { createOpen311KeyService } from './channels/open311/open311.keys.ts'
import { createOpen311Service } from './channels/open311/open311.service.ts'
import { createCallService } from './channels/phone/call.service.ts'
import { createCtiAdminService } from './channels/phone/cti.admin.ts'
import { createPublicReportService } from './channels/web/public-report.ts'
import type { Config } from './config.ts'
import { createContactService } from './contacts/contact.service.ts'
import { createDb, type Database } from './db/db.ts'
import { createGazetteerService } from './gazetteer/gazetteer.service.ts'
import { createAuthService } from './iam/auth.service.ts'
import { createInboxService } from './inbox/inbox.ts'
import { createQueues, type Queues } from './jobs/queues.ts'
import { createLogger } from './logger.ts'
import { createIoSettingsService } from './notifications/io-settings.service.ts'
import { createNotificationService } from './notifications/notification.service.ts'
import { createRealtimeBus, type RealtimeBus } from './realtime/realtime.ts'
import { createReferenceService } from './reference/reference.service.ts'
import { createRoutingService } from './routing/routing.service.ts'
import { createSlaService } from './sla/sla.service.ts'
import { createStatsService } from './stats/stats.service.ts'

/** Everything the API and the workers share, built once per process from the configuration. */
export interface Deps {
  config: Config
  db: Database
  /** Connection used by BullMQ queues (maxRetriesPerRequest null, as BullMQ requires). */
  redis: Redis
  queues: Queues
  /** Live events to the console, through Redis to every API process. */
  realtime: RealtimeBus
  services: {
    admin: ReturnType<typeof createAdminService>
    assignment: ReturnType<typeof createAssignmentService>
    attachments: ReturnType<typeof createAttachmentService>
    audit: ReturnType<typeof createAuditService>
    auth: ReturnType<typeof createAuthService>
    calls: ReturnType<typeof createCallService>
    cases: ReturnType<typeof createCaseService>
    contacts: ReturnType<typeof createContactService>
    cti: ReturnType<typeof createCtiAdminService>
    field: ReturnType<typeof createFieldService>
    gazetteer: ReturnType<typeof createGazetteerService>
    open311: ReturnType<typeof createOpen311Service>
    open311Keys: ReturnType<typeof createOpen311KeyService>
    publicReports: ReturnType<typeof createPublicReportService>
    mailboxes: ReturnType<typeof createMailboxService>
    notifications: ReturnType<typeof createNotificationService>
    replies: ReturnType<typeof createReplyService>
    inbox: ReturnType<typeof createInboxService>
    ioSettings: ReturnType<typeof createIoSettingsService>
    reference: ReturnType<typeof createReferenceService>
    routing: ReturnType<typeof createRoutingService>
    sla: ReturnType<typeof createSlaService>
    stats: ReturnType<typeof createStatsService>
    cannedReplies: ReturnType<typeof createCannedReplyService>
    bulkCases: ReturnType<typeof createBulkCaseService>
  }
  /** PostgreSQL and Redis reachable, each within a second. */
  checkReady(): Promise<{ postgres: boolean; redis: boolean }>
  close(): Promise<void>
}

/** The one jurisdiction Filo's Open311 endpoint serves (its jurisdiction_id). */
export const OPEN311_JURISDICTION_ID = 'comune.prato.it'

export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true })
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ])

export function createDeps(config: Config, name = 'filo'): Deps {
  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize, applicationName: name })
  const redis = createRedis(config.redisUrl)
  // Without a listener ioredis prints every reconnect error; readiness reports the outage instead.
  redis.on('error', () => {})
  const queues = createQueues(redis, config.queuePrefix)
  const realtime = createRealtimeBus(redis, config.queuePrefix)
  const calls = createCallService(db, {
    caseNumberPrefix: config.caseNumberPrefix,
    realtime,
    log: createLogger(config, name),
  })
  // The public channels: web form, Open311 and the field app share one report service.
  const gazetteer = createGazetteerService(db)
  const publicReports = createPublicReportService(db, {
    storage: new LocalDiskStorage(config.attachmentsDir),
    gazetteer,
    caseNumberPrefix: config.caseNumberPrefix,
    ...(config.closedCasePolicy ? { closedCasePolicy: config.closedCasePolicy } : {}),
  })
  const open311Keys = createOpen311KeyService(db)
  return {
    config,
    db,
    redis,
    queues,
    realtime,
    services: {
      admin: createAdminService(db),
      assignment: createAssignmentService(db),
      attachments: createAttachmentService(db, new LocalDiskStorage(config.attachmentsDir), {
        maxBytes: config.attachmentMaxBytes,
      }),
      audit: createAuditService(db),
      auth: createAuthService(db, config),
      calls,
      cases: createCaseService(db, config),
      contacts: createContactService(db),
      cti: createCtiAdminService(db),
      field: createFieldService(
        db,
        { reports: publicReports, cases: createCaseService(db, config) },
        {
          tokenTtlDays: 30,
          loginMaxFailures: config.loginMaxFailures,
          loginWindowMinutes: config.loginWindowMinutes,
        },
      ),
      gazetteer,
      open311: createOpen311Service(
        db,
        { reports: publicReports, keys: open311Keys },
        { publicUrl: config.publicUrl, jurisdictionId: OPEN311_JURISDICTION_ID },
      ),
      open311Keys,
      publicReports,
      mailboxes: createMailboxService(db, { credentialsKey: config.mailCredentialsKey }),
      notifications: createNotificationService(db, config, queues),
      replies: createReplyService(db, config),
      inbox: createInboxService(db),
      ioSettings: createIoSettingsService(db, config),
      reference: createReferenceService(db),
      routing: createRoutingService(db),
      sla: createSlaService(db),
      stats: createStatsService(db),
      cannedReplies: createCannedReplyService(db, { publicUrl: config.publicUrl }),
      bulkCases: createBulkCaseService(db, createCaseService(db, config)),
    },
    async checkReady() {
      const [postgres, redisOk] = await Promise.all([
        withTimeout(sql`select 1`.execute(db), 1000).then(
          () => true,
          () => false,
        ),
        withTimeout(redis.ping(), 1000).then(
          (r) => r === 'PONG',
          () => false,
        ),
      ])
      return { postgres, redis: redisOk }
    },
    async close() {
      calls.close()
      await queues.close()
      redis.disconnect()
      await db.destroy()
    },
  }
}
