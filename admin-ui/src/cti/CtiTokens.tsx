import {
  Alert,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Button as MuiButton,
  Typography,
} from '@mui/material'
import { useState } from 'react'
import {
  Button,
  Confirm,
  Create,
  Datagrid,
  FunctionField,
  List,
  required,
  SimpleForm,
  TextField,
  TextInput,
  useDelete,
  useNotify,
  useRecordContext,
  useRedirect,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'

interface CtiToken {
  id: number
  name: string
  hint: string
  revokedAt: string | null
}

interface CtiTokenCreated extends CtiToken {
  token: string
  webhookPath: string
}

/** Revokes a token after asking: the PBX holding it is refused from then on. */
const RevokeButton = () => {
  const record = useRecordContext<CtiToken>()
  const [open, setOpen] = useState(false)
  const [remove, { isPending }] = useDelete()
  const notify = useNotify()
  if (!record || record.revokedAt) return null
  return (
    <>
      <Button
        label="cti.revoke"
        color="error"
        onClick={(e) => {
          e.stopPropagation()
          setOpen(true)
        }}
      />
      <Confirm
        isOpen={open}
        loading={isPending}
        title="cti.revokeTitle"
        content="cti.revokeContent"
        translateOptions={{ name: record.name }}
        onConfirm={() =>
          remove(
            'cti-tokens',
            { id: record.id, previousData: record },
            {
              onSuccess: () => notify('cti.revoked', { type: 'success' }),
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

export const CtiTokenList = () => (
  <List exporter={false} pagination={false} sort={{ field: 'id', order: 'ASC' }}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="name" />
      <FunctionField<CtiToken> source="hint" render={(r) => `…${r.hint}`} sortable={false} />
      <DateTimeField source="createdAt" />
      <DateTimeField source="lastUsedAt" />
      <DateTimeField source="revokedAt" />
      <RevokeButton />
    </Datagrid>
  </List>
)

/** Creating a token shows its secret once, with the webhook address to give the PBX. */
export const CtiTokenCreate = () => {
  const translate = useTranslate()
  const redirect = useRedirect()
  const [created, setCreated] = useState<CtiTokenCreated | null>(null)
  const webhook = created ? `${window.location.origin}${created.webhookPath}` : ''
  return (
    <>
      <Create<CtiTokenCreated> redirect={false} mutationOptions={{ onSuccess: (data) => setCreated(data) }}>
        <SimpleForm>
          <TextInput source="name" validate={required()} helperText="cti.nameHelp" />
        </SimpleForm>
      </Create>
      <Dialog open={created !== null} aria-labelledby="cti-token-created" maxWidth="md" fullWidth>
        <DialogTitle id="cti-token-created">{translate('cti.createdTitle')}</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            {translate('cti.shownOnce')}
          </Alert>
          <Typography variant="subtitle2">{translate('cti.token')}</Typography>
          <Typography
            component="code"
            data-testid="cti-token-secret"
            sx={{ wordBreak: 'break-all', display: 'block', mb: 2 }}
          >
            {created?.token}
          </Typography>
          <Typography variant="subtitle2">{translate('cti.webhook')}</Typography>
          <Typography component="code" sx={{ wordBreak: 'break-all', display: 'block' }}>
            {webhook}
          </Typography>
        </DialogContent>
        <DialogActions>
          <MuiButton
            onClick={() => void navigator.clipboard?.writeText(created?.token ?? '').catch(() => undefined)}
          >
            {translate('cti.copy')}
          </MuiButton>
          <MuiButton
            variant="contained"
            onClick={() => {
              setCreated(null)
              redirect('list', 'cti-tokens')
            }}
          >
            {translate('cti.done')}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  )
}
