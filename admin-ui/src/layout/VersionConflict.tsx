import { Alert, Button } from '@mui/material'
import { type ReactNode, useState } from 'react'
import { HttpError, useEditContext, useNotify, useTranslate } from 'react-admin'
import { apiErrorCode } from '../httpClient.ts'

/** Shown when someone else saved first: the server's message and a way to read their version. */
const ConflictAlert = ({ message, onClose }: { message: string; onClose: () => void }) => {
  const { refetch } = useEditContext()
  const translate = useTranslate()
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2, width: '100%' }}
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => {
            refetch?.()
            onClose()
          }}
        >
          {translate('app.conflict.reload')}
        </Button>
      }
    >
      {message} {translate('app.conflict.help')}
    </Alert>
  )
}

const isVersionConflict = (error: unknown): error is HttpError =>
  error instanceof HttpError &&
  error.status === 409 &&
  (apiErrorCode(error.body) ?? '').endsWith('version_conflict')

/**
 * Optimistic concurrency in an edit form: a 409 "version conflict" becomes an
 * alert (inside the form, `alert`) with the server's message and a reload button;
 * the operator's unsaved changes survive the reload when the form keeps dirty
 * values. Any other error is notified with the server's message.
 */
export const useVersionConflict = (): { onError: (error: unknown) => void; alert: ReactNode } => {
  const notify = useNotify()
  const [message, setMessage] = useState<string>()
  const onError = (error: unknown) => {
    if (isVersionConflict(error)) {
      setMessage(error.message)
      return
    }
    notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
  }
  const alert = message ? <ConflictAlert message={message} onClose={() => setMessage(undefined)} /> : null
  return { onError, alert }
}

/** SimpleForm's props for an edit form that keeps the operator's changes when the record is reloaded. */
export const keepDirtyOnReload = { keepDirtyValues: true } as const
