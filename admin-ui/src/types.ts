/**
 * Records as the API sends them (camelCase JSON): the very schemas the API
 * validates its responses with, so the console and the server cannot drift apart.
 */
import type { CaseEventView, CaseView } from '@filo/core/cases/case.schemas'
import type { StaffUserView } from '@filo/core/iam/iam.schemas'
import type { CategoryView, OfficeView, QueueView } from '@filo/core/reference/reference.schemas'

export type {
  CaseStatus,
  Channel as CaseChannel,
  Priority as CasePriority,
} from '@filo/core/cases/case.values'
export {
  CHANNELS as CASE_CHANNELS,
  PRIORITIES as CASE_PRIORITIES,
  STATUSES as CASE_STATUSES,
} from '@filo/core/cases/case.values'
export type { Role as StaffRole } from '@filo/core/iam/iam.schemas'

export type Case = CaseView
export type CaseEvent = CaseEventView
export type StaffUser = StaffUserView
export type Office = OfficeView
export type Category = CategoryView
export type Queue = QueueView
