import { Box, Typography } from '@mui/material'
import {
  AutocompleteInput,
  BooleanInput,
  Datagrid,
  List,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectField,
  SelectInput,
  TextField,
  TextInput,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { canSeeDashboard } from '../layout/permissions.ts'
import { ListShortcuts } from '../shortcuts/ListShortcuts.tsx'
import { CaseSlaField } from '../sla/SlaChip.tsx'
import type { User } from '../types.ts'
import { CaseBulkReassignButton } from './CaseBulkReassign.tsx'
import { CaseListLiveRefresh } from './CaseLive.tsx'
import { CaseStatusField } from './CaseStatusField.tsx'
import { channelChoices, priorityChoices, slaStateChoices, statusChoices } from './caseChoices.ts'

const userName = (user: User) => user.fullName

/** Each SLA state with what it means, so the filter says which cases it keeps. */
const SlaStateOption = () => {
  const choice = useRecordContext<{ id: string; name: string }>()
  const translate = useTranslate()
  if (!choice) return null
  return (
    <Box>
      <Typography variant="body2">{translate(choice.name)}</Typography>
      <Typography variant="caption" color="text.secondary">
        {translate(`case.slaStateHelp.${choice.id}`)}
      </Typography>
    </Box>
  )
}
const slaStateOption = <SlaStateOption />

const caseFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} />,
  <SelectInput key="priority" source="priority" choices={priorityChoices} />,
  <SelectInput key="channel" source="channel" choices={channelChoices} />,
  <ReferenceInput key="officeId" source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
    <SelectInput optionText="name" />
  </ReferenceInput>,
  <ReferenceInput
    key="assigneeId"
    source="assigneeId"
    reference="users"
    sort={{ field: 'fullName', order: 'ASC' }}
  >
    <AutocompleteInput optionText={userName} />
  </ReferenceInput>,
  <BooleanInput key="unassigned" source="unassigned" defaultValue />,
  <SelectInput
    key="slaState"
    source="slaState"
    choices={slaStateChoices}
    optionText={slaStateOption}
    helperText="case.slaStateHelp.filter"
  />,
  <TextInput key="tags" source="tags" />,
]

/** The operators' work list: newest cases first; supervisors select cases to reassign them together. */
export const CaseList = () => {
  const { permissions } = usePermissions<string>()
  return (
    <List exporter={false} filters={caseFilters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
      <CaseListLiveRefresh />
      <ListShortcuts />
      <Datagrid
        rowClick="show"
        bulkActionButtons={canSeeDashboard(permissions) ? <CaseBulkReassignButton /> : false}
      >
        <TextField source="number" />
        <TextField source="subject" />
        <CaseStatusField source="status" />
        <SelectField source="priority" choices={priorityChoices} />
        <SelectField source="channel" choices={channelChoices} sortable={false} />
        <ReferenceField source="officeId" reference="offices" sortable={false} link={false}>
          <TextField source="name" />
        </ReferenceField>
        <ReferenceField source="categoryId" reference="categories" sortable={false} link={false}>
          <CategoryNameField />
        </ReferenceField>
        <CaseSlaField source="slaState" sortable={false} />
        <DateTimeField source="createdAt" />
      </Datagrid>
    </List>
  )
}
