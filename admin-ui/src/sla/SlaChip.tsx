import { Chip, Tooltip } from '@mui/material'
import { useRecordContext, useTranslate } from 'react-admin'
import type { Case } from '../types.ts'
import { type ClockState, caseSlaState, STATE_COLOR } from './slaClock.ts'

/** A clock's state as a coloured chip ("Nei tempi", "In scadenza", "Scaduta", "In pausa"…). */
export const SlaStateChip = ({ state }: { state: ClockState }) => {
  const translate = useTranslate()
  const help = ['on_time', 'at_risk', 'breached'].includes(state)
    ? translate(`case.slaStateHelp.${state}`)
    : ''
  const chip = (
    <Chip
      size="small"
      color={STATE_COLOR[state]}
      variant={state === 'paused' ? 'outlined' : 'filled'}
      label={translate(`case.slaState.${state}`)}
    />
  )
  return help ? <Tooltip title={help}>{chip}</Tooltip> : chip
}

/** The case list's SLA column: the worse of the case's running clocks, nothing when none runs. */
export const CaseSlaField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<Case>()
  const state = record ? caseSlaState(record) : undefined
  return state ? <SlaStateChip state={state} /> : null
}
