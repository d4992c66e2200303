import { Typography } from '@mui/material'
import { useState } from 'react'
import { Create, required, SimpleForm, TextInput, useRedirect, useTranslate } from 'react-admin'
import { SecretList, SecretShownOnce } from '../layout/Secrets.tsx'

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

/** The PBX holding a revoked token is refused from then on. */
export const CtiTokenList = () => <SecretList resource="cti-tokens" prefix="cti" />

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
      <SecretShownOnce
        secret={created?.token ?? null}
        title="cti.createdTitle"
        warning="cti.shownOnce"
        label="cti.token"
        testId="cti-token-secret"
        onDone={() => {
          setCreated(null)
          redirect('list', 'cti-tokens')
        }}
      >
        <Typography variant="subtitle2">{translate('cti.webhook')}</Typography>
        <Typography component="code" sx={{ wordBreak: 'break-all', display: 'block' }}>
          {webhook}
        </Typography>
      </SecretShownOnce>
    </>
  )
}
