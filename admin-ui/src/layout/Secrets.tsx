import {
  Alert,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Button as MuiButton,
  Typography,
} from '@mui/material'
import { type ReactNode, useId, useState } from 'react'
import {
  Button,
  Confirm,
  Datagrid,
  FunctionField,
  List,
  TextField,
  useDelete,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'

/** A credential the API lists without its secret: revoked once, never edited. */
interface Revocable {
  id: number
  name: string
  revokedAt: string | null
}

/**
 * The credentials of `resource` (CTI tokens, Open311 api_keys): name, the secret's last
 * characters, when created, last used and revoked, and a revoke button. The messages
 * are `<prefix>.revokeTitle`, `<prefix>.revokeContent` and `<prefix>.revoked`.
 */
export const SecretList = ({ resource, prefix }: { resource: string; prefix: string }) => (
  <List resource={resource} exporter={false} pagination={false} sort={{ field: 'id', order: 'ASC' }}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="name" />
      <FunctionField<{ hint: string }> source="hint" render={(r) => `…${r.hint}`} sortable={false} />
      <DateTimeField source="createdAt" />
      <DateTimeField source="lastUsedAt" />
      <DateTimeField source="revokedAt" />
      <RevokeButton
        resource={resource}
        title={`${prefix}.revokeTitle`}
        content={`${prefix}.revokeContent`}
        done={`${prefix}.revoked`}
      />
    </Datagrid>
  </List>
)

/**
 * Revokes the record's credential after asking (DELETE on `resource`); hidden once
 * revoked. `title`, `content` and `done` are translation keys; `title` and `content`
 * get the credential's name as %{name}.
 */
export const RevokeButton = ({
  resource,
  title,
  content,
  done,
}: {
  resource: string
  title: string
  content: string
  done: string
}) => {
  const record = useRecordContext<Revocable>()
  const [open, setOpen] = useState(false)
  const [remove, { isPending }] = useDelete()
  const notify = useNotify()
  if (!record || record.revokedAt) return null
  return (
    <>
      <Button
        label="secret.revoke"
        color="error"
        onClick={(e) => {
          e.stopPropagation()
          setOpen(true)
        }}
      />
      <Confirm
        isOpen={open}
        loading={isPending}
        title={title}
        content={content}
        translateOptions={{ name: record.name }}
        onConfirm={() =>
          remove(
            resource,
            { id: record.id, previousData: record },
            {
              onSuccess: () => notify(done, { type: 'success' }),
              onError: (error) =>
                notify(error instanceof Error ? error.message : 'ra.notification.http_error', {
                  type: 'error',
                }),
            },
          ).finally(() => setOpen(false))
        }
        onClose={() => setOpen(false)}
      />
    </>
  )
}

/**
 * The dialog that shows a new credential's secret, the only time it is ever shown:
 * a warning, the secret (`testId` for tests), a copy button, and what else the
 * caller adds (where to use it). `title`, `warning` and `label` are translation keys
 * (the warning's grammar follows the credential's name).
 */
export const SecretShownOnce = ({
  secret,
  title,
  warning,
  label,
  testId,
  onDone,
  children,
}: {
  secret: string | null
  title: string
  warning: string
  label: string
  testId: string
  onDone: () => void
  children?: ReactNode
}) => {
  const translate = useTranslate()
  const notify = useNotify()
  const titleId = useId()
  const copy = () =>
    void navigator.clipboard
      ?.writeText(secret ?? '')
      .then(() => notify('secret.copied', { type: 'info' }))
      .catch(() => undefined)
  return (
    <Dialog open={secret !== null} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>{translate(title)}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate(warning)}
        </Alert>
        <Typography variant="subtitle2">{translate(label)}</Typography>
        <Typography
          component="code"
          data-testid={testId}
          sx={{ wordBreak: 'break-all', display: 'block', mb: 2 }}
        >
          {secret}
        </Typography>
        {children}
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={copy}>{translate('secret.copy')}</MuiButton>
        <MuiButton variant="contained" onClick={onDone}>
          {translate('secret.done')}
        </MuiButton>
      </DialogActions>
    </Dialog>
  )
}
