import MergeIcon from '@mui/icons-material/CallMergeOutlined'
import {
  Box,
  Button,
  Chip,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useState } from 'react'
import {
  Confirm,
  Datagrid,
  EditButton,
  Labeled,
  Pagination,
  ReferenceManyField,
  SelectField,
  Show,
  TextField,
  TopToolbar,
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import { CaseStatusField } from '../cases/CaseStatusField.tsx'
import { channelChoices } from '../cases/caseChoices.ts'
import type { FiloDataProvider } from '../dataProvider.ts'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { formatDateTime } from '../fields/format.ts'
import { useRelated } from '../fields/useRelated.ts'
import { detailsGrid, Section } from '../layout/ShowSection.tsx'
import type { Contact, ContactDuplicate } from '../types.ts'
import { kindChoices, languageChoices, preferredChannelChoices } from './contactChoices.ts'

/** Email addresses and phone numbers, the primary one marked. */
const ChannelsField = ({ source }: { source: 'emails' | 'phones'; label?: string }) => {
  const record = useRecordContext<Contact>()
  const translate = useTranslate()
  if (!record) return null
  const items =
    source === 'emails'
      ? record.emails.map((e) => ({ value: e.email, label: e.label, isPrimary: e.isPrimary }))
      : record.phones.map((p) => ({ value: p.phone, label: p.label, isPrimary: p.isPrimary }))
  if (!items.length) return <Typography variant="body2">—</Typography>
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
      {items.map((item) => (
        <Typography key={item.value} variant="body2">
          {item.value}
          {item.label && ` (${item.label})`}
          {item.isPrimary && (
            <Chip size="small" label={translate('contact.primary')} sx={{ ml: 1 }} variant="outlined" />
          )}
        </Typography>
      ))}
    </Box>
  )
}

const ConsentsField = (_props: { label?: string }) => {
  const record = useRecordContext<Contact>()
  const translate = useTranslate()
  const [locale] = useLocaleState()
  if (!record) return null
  if (!record.consents.length) return <Typography variant="body2">—</Typography>
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
      {record.consents.map((c) => (
        <Typography key={c.kind} variant="body2">
          {translate(`contact.consent.${c.kind}`)}:{' '}
          {translate(c.granted ? 'contact.granted' : 'contact.refused')} ({formatDateTime(c.at, locale)}
          {c.source && `, ${c.source}`})
        </Typography>
      ))}
    </Box>
  )
}

/** The organisations a person acts for, or the people acting for an organisation. */
const MembershipsField = (_props: { label?: string }) => {
  const record = useRecordContext<Contact>()
  if (!record) return null
  const memberships = record.kind === 'person' ? record.organisations : record.members
  if (!memberships.length) return <Typography variant="body2">—</Typography>
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
      {memberships.map((m) => (
        <Typography key={m.contactId} variant="body2">
          <Link href={`#/contacts/${m.contactId}/show`}>{m.displayName}</Link>
          {m.role && ` — ${m.role}`}
        </Typography>
      ))}
    </Box>
  )
}

/** The contact's cases across every channel, newest first. */
const ContactHistory = () => (
  <ReferenceManyField
    reference="cases"
    target="contactId"
    sort={{ field: 'createdAt', order: 'DESC' }}
    perPage={10}
    pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
    empty="contact.historyEmpty"
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="number" sortable={false} />
      <TextField source="subject" sortable={false} />
      <CaseStatusField source="status" />
      <SelectField source="channel" choices={channelChoices} sortable={false} />
      <DateTimeField source="createdAt" />
    </Datagrid>
  </ReferenceManyField>
)

/** Contacts that may be this same person: with why, and a merge into this one. */
const ContactDuplicates = () => {
  const record = useRecordContext<Contact>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const [merging, setMerging] = useState<ContactDuplicate>()
  const [pending, setPending] = useState(false)
  const { data: duplicates, isPending } = useRelated<ContactDuplicate & { id: number }>(
    'contact-duplicates',
    'contactId',
    record?.id,
  )
  if (!record) return null
  if (!isPending && duplicates.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('contact.duplicates.empty')}
      </Typography>
    )
  }

  const merge = async () => {
    if (!merging) return
    setPending(true)
    try {
      await dataProvider.mergeContact(record.id, merging.contact.id)
      notify('contact.duplicates.merged', {
        type: 'success',
        messageArgs: { name: merging.contact.displayName },
      })
      setMerging(undefined)
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <>
      <Table size="small" aria-label={translate('contact.duplicates.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.contacts.fields.displayName')}</TableCell>
            <TableCell>{translate('contact.duplicates.reasons')}</TableCell>
            <TableCell>{translate('resources.contacts.fields.fiscalCode')}</TableCell>
            <TableCell>{translate('resources.contacts.fields.email')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {duplicates.map((d) => (
            <TableRow key={d.contact.id}>
              <TableCell>
                <Link href={`#/contacts/${d.contact.id}/show`}>{d.contact.displayName}</Link>
              </TableCell>
              <TableCell>
                {d.reasons.map((r) => (
                  <Chip
                    key={r}
                    size="small"
                    variant="outlined"
                    sx={{ mr: 0.5 }}
                    label={translate(`contact.duplicates.reason.${r}`)}
                  />
                ))}
              </TableCell>
              <TableCell>{d.contact.fiscalCode ?? '—'}</TableCell>
              <TableCell>{d.contact.email ?? '—'}</TableCell>
              <TableCell align="right">
                <Button size="small" startIcon={<MergeIcon />} onClick={() => setMerging(d)}>
                  {translate('contact.duplicates.merge')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Confirm
        isOpen={merging !== undefined}
        loading={pending}
        title="contact.duplicates.confirmTitle"
        content="contact.duplicates.confirmContent"
        translateOptions={{ name: merging?.contact.displayName ?? '', into: record.displayName }}
        onConfirm={merge}
        onClose={() => setMerging(undefined)}
      />
    </>
  )
}

const ContactShowActions = () => (
  <TopToolbar>
    <EditButton />
  </TopToolbar>
)

/** A contact: details, the cases they opened, and who might be the same person. */
export const ContactShow = () => (
  <Show actions={<ContactShowActions />}>
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box sx={detailsGrid}>
        <Labeled>
          <TextField source="displayName" />
        </Labeled>
        <Labeled>
          <SelectField source="kind" choices={kindChoices} />
        </Labeled>
        <Labeled>
          <TextField source="fiscalCode" />
        </Labeled>
        <Labeled>
          <TextField source="vatNumber" />
        </Labeled>
        <Labeled>
          <SelectField source="preferredChannel" choices={preferredChannelChoices} />
        </Labeled>
        <Labeled>
          <SelectField source="language" choices={languageChoices} />
        </Labeled>
        <Labeled>
          <ChannelsField source="emails" />
        </Labeled>
        <Labeled>
          <ChannelsField source="phones" />
        </Labeled>
        <Labeled label="resources.contacts.fields.consents">
          <ConsentsField />
        </Labeled>
        <Labeled label="contact.memberships">
          <MembershipsField />
        </Labeled>
        <Labeled>
          <DateTimeField source="createdAt" />
        </Labeled>
        <Labeled>
          <DateTimeField source="updatedAt" />
        </Labeled>
      </Box>
      <Section title="contact.history">
        <ContactHistory />
      </Section>
      <Section title="contact.duplicates.title">
        <ContactDuplicates />
      </Section>
    </Box>
  </Show>
)
