import type { Database } from '../db/db.ts'
import { createCategoryService } from './category.service.ts'
import { createOfficeService } from './office.service.ts'
import { createQueueService } from './queue.service.ts'
import { createStaffService } from './staff.service.ts'

export type AdminService = ReturnType<typeof createAdminService>

/** The administration of the organisation: staff users, offices, the category tree and queues. */
export function createAdminService(db: Database) {
  return {
    users: createStaffService(db),
    offices: createOfficeService(db),
    categories: createCategoryService(db),
    queues: createQueueService(db),
  }
}
