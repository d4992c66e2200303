import { CASE_CHANNELS, CASE_PRIORITIES, CASE_STATUSES, SLA_STATES } from '../types.ts'

/** Choices whose names are i18n keys: react-admin translates them in inputs and fields. */
const choicesOf = (values: readonly string[], prefix: string) =>
  values.map((id) => ({ id, name: `${prefix}.${id}` }))

export const statusChoices = choicesOf(CASE_STATUSES, 'case.status')
export const priorityChoices = choicesOf(CASE_PRIORITIES, 'case.priority')
export const channelChoices = choicesOf(CASE_CHANNELS, 'case.channel')
export const slaStateChoices = choicesOf(SLA_STATES, 'case.slaState')
