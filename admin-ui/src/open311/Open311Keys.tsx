import { Typography } from '@mui/material'
import { useState } from 'react'
import { Create, maxLength, required, SimpleForm, TextInput, useRedirect, useTranslate } from 'react-admin'
import { SecretList, SecretShownOnce } from '../layout/Secrets.tsx'
import type { Open311KeyCreated } from '../types.ts'

/** The app sending a revoked key gets 403 from then on; the key stays listed. */
export const Open311KeyList = () => <SecretList resource="open311-keys" prefix="open311" />

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
