/** The values of a case's enumerations: plain constants, shared with the console without pulling in TypeBox. */
export const CHANNELS = ['phone', 'email', 'pec', 'web', 'open311', 'field', 'counter'] as const
export const STATUSES = [
  'new',
  'open',
  'assigned',
  'in_progress',
  'waiting_citizen',
  'waiting_third_party',
  'resolved',
  'closed',
] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

export type Channel = (typeof CHANNELS)[number]
export type CaseStatus = (typeof STATUSES)[number]
export type Priority = (typeof PRIORITIES)[number]
