import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@mui/material'
import { useState } from 'react'
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import type { Case, CaseStatus } from '../types.ts'
import { needsComment, transitionLabel } from './caseActions.ts'

/** One button per status the caller may move the case to (the API's `nextStatuses`). */
export const CaseStatusActions = () => {
  const record = useRecordContext<Case>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const [pending, setPending] = useState(false)
  const [asking, setAsking] = useState<CaseStatus>()
  const [comment, setComment] = useState('')
  // The version the operator was looking at when they opened the dialog: the page follows the
  // case live, and a change by someone else meanwhile must not be answered without them seeing it.
  const [readVersion, setReadVersion] = useState<number>()
  if (!record || record.mergedIntoId) return null

  const ask = (status: CaseStatus) => {
    setReadVersion(record.version)
    setAsking(status)
  }

  const move = async (status: CaseStatus, text?: string, version = record.version) => {
    setPending(true)
    try {
      await dataProvider.changeCaseStatus(record.id, {
        status,
        version,
        ...(text ? { comment: text } : {}),
      })
      notify('case.statusChanged', {
        type: 'success',
        messageArgs: { status: translate(`case.status.${status}`) },
      })
      setAsking(undefined)
      setComment('')
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
      // Either way the case may have moved on: show where it is now.
      refresh()
    }
  }

  return (
    <>
      {(record.nextStatuses ?? []).map((status) => (
        <Button
          key={status}
          size="small"
          variant={status === 'resolved' ? 'contained' : 'outlined'}
          disabled={pending}
          onClick={() => (needsComment(status) ? ask(status) : move(status))}
        >
          {translate(transitionLabel(record.status, status))}
        </Button>
      ))}
      <Dialog open={asking !== undefined} onClose={() => setAsking(undefined)} fullWidth maxWidth="sm">
        <DialogTitle>{translate('case.resolveDialog.title', { number: record.number })}</DialogTitle>
        <DialogContent>
          {readVersion !== undefined && readVersion !== record.version && (
            <Alert
              severity="warning"
              sx={{ mb: 2 }}
              action={
                <Button color="inherit" size="small" onClick={() => setReadVersion(record.version)}>
                  {translate('live.seenIt')}
                </Button>
              }
            >
              {translate('live.changedWhileOpen')}
            </Alert>
          )}
          <DialogContentText sx={{ mb: 2 }}>{translate('case.resolveDialog.help')}</DialogContentText>
          <TextField
            autoFocus
            label={translate('case.resolveDialog.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            multiline
            minRows={4}
            fullWidth
            required
            slotProps={{ htmlInput: { maxLength: 5000 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(undefined)}>{translate('ra.action.cancel')}</Button>
          <Button
            variant="contained"
            disabled={pending || !comment.trim()}
            onClick={() => asking && move(asking, comment.trim(), readVersion)}
          >
            {translate('case.transition.resolved')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
