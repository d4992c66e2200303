import { Box, Chip, type ChipProps, Link, TextField as MuiTextField, Typography } from '@mui/material'
import { useState } from 'react'
import {
  Button,
  Confirm,
  Datagrid,
  FunctionField,
  List,
  NumberField,
  SelectArrayInput,
  SelectField,
  SelectInput,
  TextField,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import {
  channelChoices,
  type NotificationState,
  type NotificationView,
  notificationApi,
  RETRYABLE_STATES,
  stateChoices,
} from './notificationApi.ts'

const STATE_COLOR: Record<NotificationState, ChipProps['color']> = {
  queued: 'default',
  sending: 'info',
  retry: 'warning',
  sent: 'success',
  failed: 'error',
  uncertain: 'warning',
  fallback: 'secondary',
}

const isRetryable = (state: NotificationState) => (RETRYABLE_STATES as readonly string[]).includes(state)

/** A notification's delivery state as a coloured chip. */
export const NotificationStateChip = ({ state }: { state: NotificationState }) => {
  const translate = useTranslate()
  return (
    <Chip
      size="small"
      color={STATE_COLOR[state]}
      label={translate(`notification.state.${state}`, { _: state })}
    />
  )
}

/** Sends a failed or uncertain notification again, after asking why (the reason goes to the audit log). */
const RetryButton = () => {
  const record = useRecordContext<NotificationView>()
  const translate = useTranslate()
  const notify = useNotify()
  const refresh = useRefresh()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [pending, setPending] = useState(false)
  if (!record || !isRetryable(record.state)) return null
  const close = () => {
    setOpen(false)
    setReason('')
  }
  const retry = async () => {
    setPending(true)
    try {
      await notificationApi.retry(record.id, reason.trim() || undefined)
      notify('notification.retry.done', { type: 'success', messageArgs: { recipient: record.recipient } })
      close()
      refresh()
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }
  return (
    <>
      <Button label="notification.retry.button" onClick={() => setOpen(true)} />
      <Confirm
        isOpen={open}
        loading={pending}
        title="notification.retry.title"
        translateOptions={{ recipient: record.recipient, number: record.caseNumber }}
        content={
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <Typography variant="body2">{translate('notification.retry.content')}</Typography>
            <MuiTextField
              label={translate('notification.retry.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 500 } }}
              multiline
              fullWidth
              autoFocus
            />
          </Box>
        }
        confirm="notification.retry.confirm"
        onConfirm={() => void retry()}
        onClose={close}
      />
    </>
  )
}

const filters = [
  <SelectArrayInput key="state" source="state" choices={stateChoices} alwaysOn sx={{ minWidth: 240 }} />,
  <SelectInput key="channel" source="channel" choices={channelChoices} alwaysOn />,
]

/**
 * Citizen notifications, those that need an administrator first (failed, or
 * uncertain after a worker stopped mid-send), with a retry for each.
 */
export const NotificationList = () => (
  <List
    exporter={false}
    filters={filters}
    filterDefaultValues={{ state: [...RETRYABLE_STATES] }}
    sort={{ field: 'updatedAt', order: 'DESC' }}
  >
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <FunctionField<NotificationView>
        source="caseId"
        sortable={false}
        render={(r) => <Link href={`#/cases/${r.caseId}/show`}>{r.caseNumber}</Link>}
      />
      <SelectField source="channel" choices={channelChoices} sortable={false} />
      <TextField source="recipient" sortable={false} />
      <TextField source="subject" sortable={false} />
      <FunctionField<NotificationView>
        source="state"
        sortable={false}
        render={(r) => <NotificationStateChip state={r.state} />}
      />
      <NumberField source="attempts" sortable={false} />
      <FunctionField<NotificationView>
        source="lastError"
        sortable={false}
        render={(r) => (
          <Typography variant="body2" sx={{ maxWidth: 320, wordBreak: 'break-word' }}>
            {r.lastError ?? '—'}
          </Typography>
        )}
      />
      <DateTimeField source="updatedAt" />
      <RetryButton />
    </Datagrid>
  </List>
)
