import type { MailboxView } from '@filo/core/channels/email/mailbox.schemas'
import { Alert, Box, Typography } from '@mui/material'
import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  Edit,
  email,
  FormDataConsumer,
  FunctionField,
  List,
  maxValue,
  minValue,
  NumberField,
  NumberInput,
  Pagination,
  PasswordInput,
  ReferenceField,
  ReferenceManyField,
  required,
  SelectField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { Section } from '../layout/ShowSection.tsx'

const securityChoices = [
  { id: 'tls', name: 'mailbox.security.tls' },
  { id: 'starttls', name: 'mailbox.security.starttls' },
  { id: 'none', name: 'mailbox.security.none' },
]
const afterImportChoices = [
  { id: 'flag', name: 'mailbox.afterImport.flag' },
  { id: 'move', name: 'mailbox.afterImport.move' },
]

/** The mailbox's polling health: the last error and, while failing, when it is tried again. */
const MailboxHealth = () => {
  const record = useRecordContext<MailboxView>()
  const translate = useTranslate()
  if (!record?.status.lastError) return null
  return (
    <Alert severity="error" sx={{ mb: 2 }}>
      {translate('mailbox.failing', { count: record.status.consecutiveFailures })}: {record.status.lastError}
    </Alert>
  )
}

/** Passwords are write-only: the form says whether one is set and keeps it when left blank. */
const passwordHelp = (source: 'imap' | 'smtp', editing: boolean) =>
  editing ? `mailbox.passwordKeep.${source}` : `mailbox.passwordNew.${source}`

const MailboxFields = ({ editing }: { editing: boolean }) => {
  const translate = useTranslate()
  return (
    <>
      <MailboxHealth />
      <TextInput source="name" validate={required()} />
      <TextInput source="address" validate={[required(), email()]} />
      <Box sx={{ display: 'flex', gap: 2 }}>
        <BooleanInput source="isPec" defaultValue={false} />
        <BooleanInput source="enabled" defaultValue />
      </Box>
      <Typography variant="subtitle1" component="h2">
        {translate('mailbox.imapTitle')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <TextInput source="imap.host" validate={required()} />
        <NumberInput
          source="imap.port"
          defaultValue={993}
          validate={[required(), minValue(1), maxValue(65535)]}
        />
        <SelectInput
          source="imap.security"
          choices={securityChoices}
          defaultValue="tls"
          validate={required()}
        />
        <TextInput source="imap.user" validate={required()} />
        <PasswordInput
          source="imap.password"
          helperText={passwordHelp('imap', editing)}
          validate={editing ? undefined : required()}
          autoComplete="new-password"
        />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <TextInput source="folder" defaultValue="INBOX" />
        <SelectInput source="afterImport" choices={afterImportChoices} defaultValue="flag" />
        <FormDataConsumer<{ afterImport?: string }>>
          {({ formData }) =>
            formData.afterImport === 'move' ? (
              <TextInput source="moveTo" validate={required()} helperText="mailbox.moveToHelp" />
            ) : null
          }
        </FormDataConsumer>
        <NumberInput
          source="pollIntervalSeconds"
          defaultValue={60}
          validate={[minValue(10), maxValue(3600)]}
        />
      </Box>
      <Typography variant="subtitle1" component="h2">
        {translate('mailbox.smtpTitle')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <TextInput source="smtp.host" validate={required()} />
        <NumberInput
          source="smtp.port"
          defaultValue={465}
          validate={[required(), minValue(1), maxValue(65535)]}
        />
        <SelectInput
          source="smtp.security"
          choices={securityChoices}
          defaultValue="tls"
          validate={required()}
        />
        <TextInput source="smtp.user" />
        <PasswordInput
          source="smtp.password"
          helperText={passwordHelp('smtp', editing)}
          autoComplete="new-password"
        />
      </Box>
    </>
  )
}

/** What a poll did with each message of the mailbox, newest first. */
const MailboxImports = () => (
  <Section title="mailbox.imports">
    <ReferenceManyField
      reference="mailbox-imports"
      target="mailboxId"
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[25]} />}
      empty="mailbox.noImports"
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateTimeField source="importedAt" sortable={false} />
        <TextField source="sender" sortable={false} />
        <FunctionField<{ outcome: string }>
          source="outcome"
          sortable={false}
          render={(r) => <OutcomeLabel outcome={r.outcome} />}
        />
        <ReferenceField source="caseId" reference="cases" link="show" sortable={false}>
          <TextField source="number" />
        </ReferenceField>
        <TextField source="note" sortable={false} />
        <NumberField source="uid" sortable={false} />
      </Datagrid>
    </ReferenceManyField>
  </Section>
)

const OutcomeLabel = ({ outcome }: { outcome: string }) => {
  const translate = useTranslate()
  return <>{translate(`mailbox.outcome.${outcome}`, { _: outcome })}</>
}

/** Empty password fields mean "keep it" on edit and "none" for SMTP on create: never sent blank. */
export const withoutBlankPasswords = (data: Record<string, unknown>): Record<string, unknown> => {
  const clean = (account: unknown) => {
    if (typeof account !== 'object' || account === null) return account
    const { password, hasPassword: _, ...rest } = account as Record<string, unknown>
    const user = rest.user === '' ? null : rest.user
    return { ...rest, ...(user === undefined ? {} : { user }), ...(password ? { password } : {}) }
  }
  const { moveTo, afterImport, ...rest } = data
  return {
    ...rest,
    ...(afterImport ? { afterImport } : {}),
    ...(afterImport === 'move' && moveTo ? { moveTo } : {}),
    imap: clean(data.imap),
    smtp: clean(data.smtp),
  }
}

export const MailboxList = () => (
  <List exporter={false} sort={{ field: 'name', order: 'ASC' }}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="name" />
      <TextField source="address" />
      <BooleanField source="isPec" sortable={false} />
      <BooleanField source="enabled" sortable={false} />
      <DateTimeField source="status.lastSuccessAt" sortable={false} />
      <TextField source="status.lastError" sortable={false} emptyText="—" />
      <NumberField source="status.consecutiveFailures" sortable={false} />
      <DateTimeField source="status.nextPollAt" sortable={false} />
      <SelectField source="afterImport" choices={afterImportChoices} sortable={false} />
    </Datagrid>
  </List>
)

export const MailboxCreate = () => (
  <Create redirect="edit" transform={withoutBlankPasswords}>
    <SimpleForm>
      <MailboxFields editing={false} />
    </SimpleForm>
  </Create>
)

export const MailboxEdit = () => (
  <Edit mutationMode="pessimistic">
    {/* Mailboxes are disabled, not deleted: their imports and replies refer to them. */}
    <SimpleForm toolbar={<SaveOnlyToolbar />}>
      <MailboxFields editing />
    </SimpleForm>
    <Box sx={{ p: 2 }}>
      <MailboxImports />
    </Box>
  </Edit>
)
