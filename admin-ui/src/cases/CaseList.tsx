import {
  Datagrid,
  List,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectField,
  SelectInput,
  TextField,
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { CaseStatusField } from './CaseStatusField.tsx'
import { channelChoices, priorityChoices, statusChoices } from './caseChoices.ts'

const caseFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} />,
  <SelectInput key="priority" source="priority" choices={priorityChoices} />,
  <SelectInput key="channel" source="channel" choices={channelChoices} />,
  <ReferenceInput key="officeId" source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
    <SelectInput optionText="name" />
  </ReferenceInput>,
]

/** The operators' work list: newest cases first. */
export const CaseList = () => (
  <List filters={caseFilters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
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
