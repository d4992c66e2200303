/** Records as the API sends them (camelCase JSON). */

export const CASE_STATUSES = [
  'new',
  'open',
  'assigned',
  'in_progress',
  'waiting_citizen',
  'waiting_third_party',
  'resolved',
  'closed',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type CasePriority = (typeof CASE_PRIORITIES)[number]

export const CASE_CHANNELS = ['phone', 'email', 'pec', 'web', 'open311', 'field', 'counter'] as const
export type CaseChannel = (typeof CASE_CHANNELS)[number]

export type StaffRole = 'admin' | 'supervisor' | 'operator' | 'office_staff' | 'field_worker'

export interface StaffUser {
  id: number
  email: string
  fullName: string
  role: StaffRole
  language: 'it' | 'en'
  officeIds: number[]
}

export interface Case {
  id: number
  number: string
  subject: string
  description: string
  channel: CaseChannel
  status: CaseStatus
  priority: CasePriority
  categoryId: number | null
  queueId: number | null
  officeId: number | null
  assigneeId: number | null
  contactId: number | null
  latitude: number | null
  longitude: number | null
  address: string | null
  civicNumber: string | null
  tags: string[]
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  resolvedAt: string | null
  closedAt: string | null
  createdBy: number | null
  createdAt: string
  updatedAt: string
  version: number
}

export interface CaseEvent {
  id: number
  caseId: number
  kind: string
  actorId: number | null
  actorName: string | null
  data: Record<string, unknown>
  createdAt: string
}

export interface Office {
  id: number
  code: string
  name: string
}

export interface Category {
  id: number
  parentId: number | null
  code: string
  nameIt: string
  nameEn: string
  officeId: number | null
}

export interface Queue {
  id: number
  code: string
  name: string
  officeId: number | null
}
