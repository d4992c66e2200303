import { Chip, type ChipProps } from '@mui/material'
import { useRecordContext, useTranslate } from 'react-admin'
import type { Case, CaseStatus } from '../types.ts'

const STATUS_COLOR: Record<CaseStatus, ChipProps['color']> = {
  new: 'info',
  open: 'primary',
  assigned: 'primary',
  in_progress: 'secondary',
  waiting_citizen: 'warning',
  waiting_third_party: 'warning',
  resolved: 'success',
  closed: 'default',
}

/**
 * A case's status as a coloured chip. `source` is only read by the Datagrid
 * header (label and sort); the value always comes from the record.
 */
export const CaseStatusField = (_props: { source: 'status'; label?: string }) => {
  const record = useRecordContext<Case>()
  const translate = useTranslate()
  if (!record) return null
  return (
    <Chip
      size="small"
      color={STATUS_COLOR[record.status]}
      label={translate(`case.status.${record.status}`)}
      sx={{ alignSelf: 'flex-start' }}
    />
  )
}
