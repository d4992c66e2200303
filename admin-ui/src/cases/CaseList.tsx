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
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import type { User } from '../types.ts'
import { CaseStatusField } from './CaseStatusField.tsx'
import { channelChoices, priorityChoices, slaStateChoices, statusChoices } from './caseChoices.ts'

const userName = (user: User) => user.fullName

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
  <SelectInput key="slaState" source="slaState" choices={slaStateChoices} />,
  <TextInput key="tags" source="tags" />,
]

/** The operators' work list: newest cases first. */
export const CaseList = () => (
  <List exporter={false} filters={caseFilters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
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
      <DateTimeField source="createdAt" />
    </Datagrid>
  </List>
)
