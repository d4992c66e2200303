/**
 * Records as the API sends them (camelCase JSON): the very schemas the API
 * validates its responses with, so the console and the server cannot drift apart.
 */
import type { UserView } from '@filo/core/admin/admin.schemas'
import type { CategoryQuestion as CoreCategoryQuestion } from '@filo/core/admin/category.questions'
import type { AgentView, PresenceState, PresenceView } from '@filo/core/assignment/assignment.schemas'
import type { AttachmentView } from '@filo/core/attachments/attachment.schemas'
import type { AuditEntryView } from '@filo/core/audit/audit.schemas'
import type {
  CaseEventView,
  CaseLinkView,
  CaseView,
  LINK_KINDS,
  SimilarCaseView,
} from '@filo/core/cases/case.schemas'
import type { Open311KeyCreated, Open311KeyView } from '@filo/core/channels/open311/open311.schemas'
import type {
  CallCaseBody,
  CallCaseResult,
  CallView,
  InteractionView,
  ScreenPop,
  Wallboard,
} from '@filo/core/channels/phone/call.schemas'
import type { ContactView, DuplicateView } from '@filo/core/contacts/contact.schemas'
import type { Role, StaffUserView } from '@filo/core/iam/iam.schemas'
import type { StaffNotificationView } from '@filo/core/inbox/inbox'
import type { DeliveryCount, IoCheckView, IoSettingsView } from '@filo/core/notifications/io-settings.schemas'
import type { CategoryView, OfficeView, QueueView } from '@filo/core/reference/reference.schemas'
import type { AssignmentStrategy } from '@filo/core/routing/rule.schemas'
import type { BusinessCalendarSettings, OpeningInterval, Weekday } from '@filo/core/sla/calendar.schemas'
import type { CalendarPreview, CalendarView, Escalation, SlaPolicyView } from '@filo/core/sla/sla.schemas'

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
export type {
  ConsentKind,
  ContactKind,
  DuplicateReason,
  PreferredChannel,
} from '@filo/core/contacts/contact.values'
export {
  CONSENT_KINDS,
  CONTACT_KINDS,
  CONTACT_LANGUAGES,
  PREFERRED_CHANNELS,
} from '@filo/core/contacts/contact.values'
export type { Role as StaffRole } from '@filo/core/iam/iam.schemas'

export type Case = CaseView
export type CaseEvent = CaseEventView
export type CaseLink = CaseLinkView
export type CaseLinkKind = (typeof LINK_KINDS)[number]
export type SimilarCase = SimilarCaseView
export type Attachment = AttachmentView
export type Contact = ContactView
export type ContactDuplicate = DuplicateView
export type StaffUser = StaffUserView
export type User = UserView
export type Office = OfficeView
export type Category = CategoryView
export type CategoryQuestion = CoreCategoryQuestion
export type Queue = QueueView
export type AuditEntry = AuditEntryView
export type SlaPolicy = SlaPolicyView
export type SlaEscalation = Escalation
export type BusinessCalendar = CalendarView
export type CalendarSettings = BusinessCalendarSettings
export type CalendarInterval = OpeningInterval
export type CalendarWeekday = Weekday
export type { CalendarPreview }
export type StaffNotification = StaffNotificationView
export type Presence = PresenceView
export type { AgentView as Agent, AssignmentStrategy, PresenceState }
export type Call = CallView
export type { CallCaseBody, CallCaseResult, InteractionView, ScreenPop, Wallboard }
export type Open311Key = Open311KeyView
export type { DeliveryCount, Open311KeyCreated }
export type IoSettings = IoSettingsView
export type IoCheck = IoCheckView

// The schemas' modules pull in TypeBox; the console only needs these few values, checked against their types.
/** Staff roles, in the order an administrator thinks of them. */
export const STAFF_ROLES = [
  'admin',
  'supervisor',
  'operator',
  'office_staff',
  'field_worker',
] as const satisfies readonly Role[]
/** Link kinds, from the case being looked at. */
export const CASE_LINK_KINDS = [
  'duplicate',
  'child',
  'parent',
  'related',
] as const satisfies readonly CaseLinkKind[]
/** Datatypes of a category's extra questions (Open311's names). */
export const QUESTION_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const satisfies readonly CategoryQuestion['datatype'][]
/** The deadline buckets of the case list's SLA filter. */
export const SLA_STATES = ['on_time', 'at_risk', 'breached'] as const
/** Days of the week as a calendar's JSON names them, Monday first. */
export const CALENDAR_WEEKDAYS = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
] as const satisfies readonly Weekday[]
/** Presence states, from the one that gets cases to the one that does not. */
export const PRESENCE_STATES = [
  'available',
  'busy',
  'away',
  'offline',
] as const satisfies readonly PresenceState[]
/** How a queue hands its waiting cases to agents. */
export const ASSIGNMENT_STRATEGIES = [
  'manual',
  'round_robin',
  'least_loaded',
  'skill',
] as const satisfies readonly AssignmentStrategy[]
