import { Box, Typography } from '@mui/material'
import {
  AutocompleteInput,
  Datagrid,
  DateTimeInput,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  ReferenceInput,
  TextField,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import type { AuditEntry, User } from '../types.ts'

// The API wants ISO timestamps; DateTimeInput gives the local wall-clock time.
const toIso = (value: string | null) => (value ? new Date(value).toISOString() : value)

const auditFilters = [
  <ReferenceInput key="actorId" source="actorId" reference="users" sort={{ field: 'fullName', order: 'ASC' }}>
    <AutocompleteInput optionText={(u: User) => u.fullName} />
  </ReferenceInput>,
  <TextInput key="entityType" source="entityType" alwaysOn />,
  <NumberInput key="entityId" source="entityId" />,
  <TextInput key="action" source="action" alwaysOn />,
  <DateTimeInput key="from" source="from" parse={toIso} />,
  <DateTimeInput key="to" source="to" parse={toIso} />,
]

const Json = ({ title, value }: { title: string; value: unknown }) => {
  const translate = useTranslate()
  return (
    <Box sx={{ flex: 1, minWidth: 0 }}>
      <Typography variant="subtitle2">{translate(title)}</Typography>
      <Box
        component="pre"
        sx={{ m: 0, p: 1, bgcolor: 'action.hover', borderRadius: 1, overflowX: 'auto', fontSize: 12 }}
      >
        {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </Box>
    </Box>
  )
}

/** What the entry recorded, before and after, side by side. */
const AuditExpand = () => {
  const entry = useRecordContext<AuditEntry>()
  if (!entry) return null
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
      <Json title="resources.audit-log.fields.before" value={entry.before} />
      <Json title="resources.audit-log.fields.after" value={entry.after} />
    </Box>
  )
}

/** The append-only audit log, newest first; a row expands to its before and after. */
export const AuditList = () => {
  const translate = useTranslate()
  return (
    <List exporter={false} filters={auditFilters} sort={{ field: 'id', order: 'DESC' }} perPage={50}>
      <Datagrid bulkActionButtons={false} rowClick="expand" expand={<AuditExpand />}>
        <NumberField source="id" />
        <DateTimeField source="at" sortable={false} />
        <FunctionField<AuditEntry>
          source="actorName"
          sortable={false}
          render={(e) => e.actorName ?? translate('app.system')}
        />
        <TextField source="action" sortable={false} />
        <TextField source="entityType" sortable={false} />
        <NumberField source="entityId" sortable={false} options={{ useGrouping: false }} />
        <TextField source="ip" sortable={false} />
        <TextField source="requestId" sortable={false} />
      </Datagrid>
    </List>
  )
}
