import { Typography } from '@mui/material'
import { useState } from 'react'
import {
  Create,
  Datagrid,
  FunctionField,
  List,
  maxLength,
  required,
  SimpleForm,
  TextField,
  TextInput,
  useRedirect,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { RevokeButton, SecretShownOnce } from '../layout/Secrets.tsx'
import type { Open311Key, Open311KeyCreated } from '../types.ts'

export const Open311KeyList = () => (
  <List exporter={false} pagination={false} sort={{ field: 'id', order: 'ASC' }}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="name" />
      <FunctionField<Open311Key> source="hint" render={(r) => `…${r.hint}`} sortable={false} />
      <DateTimeField source="createdAt" />
      <DateTimeField source="lastUsedAt" />
      <DateTimeField source="revokedAt" />
      {/* The app sending a revoked key gets 403 from then on; the key stays listed. */}
      <RevokeButton
        resource="open311-keys"
        title="open311.revokeTitle"
        content="open311.revokeContent"
        done="open311.revoked"
      />
    </Datagrid>
  </List>
)

/** Registering an app shows its api_key once, with the Open311 address to give its developers. */
export const Open311KeyCreate = () => {
  const translate = useTranslate()
  const redirect = useRedirect()
  const [created, setCreated] = useState<Open311KeyCreated | null>(null)
  return (
    <>
      <Create<Open311KeyCreated> redirect={false} mutationOptions={{ onSuccess: (data) => setCreated(data) }}>
        <SimpleForm>
          <TextInput
            source="name"
            validate={[required(), maxLength(120)]}
            helperText="open311.nameHelp"
            fullWidth
          />
        </SimpleForm>
      </Create>
      <SecretShownOnce
        secret={created?.apiKey ?? null}
        title="open311.createdTitle"
        warning="open311.shownOnce"
        label="open311.apiKey"
        testId="open311-api-key"
        onDone={() => {
          setCreated(null)
          redirect('list', 'open311-keys')
        }}
      >
        <Typography variant="subtitle2">{translate('open311.endpoint')}</Typography>
        <Typography component="code" sx={{ wordBreak: 'break-all', display: 'block' }}>
          {`${window.location.origin}/open311/v2/discovery.json`}
        </Typography>
      </SecretShownOnce>
    </>
  )
}
