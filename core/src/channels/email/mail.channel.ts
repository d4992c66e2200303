import { LocalDiskStorage } from '../../attachments/storage.ts'
import type { Config } from '../../config.ts'
import type { Database } from '../../db/db.ts'
import type { MailChannelContext } from './mail.inbound.ts'

/** The email channel's context for a process: its database, the attachments storage and its settings. */
export function mailChannelContext(config: Config, db: Database): MailChannelContext {
  return { db, storage: new LocalDiskStorage(config.attachmentsDir), config }
}
