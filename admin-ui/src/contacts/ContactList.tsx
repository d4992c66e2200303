import { Datagrid, List, SearchInput, SelectField, SelectInput, TextField } from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { kindChoices } from './contactChoices.ts'

const contactFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
]

/** Citizens and organisations: searched by name, codice fiscale, email or phone. */
export const ContactList = () => (
  <List exporter={false} filters={contactFilters} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="displayName" sortBy="lastName" />
      <SelectField source="kind" choices={kindChoices} sortable={false} />
      <TextField source="fiscalCode" />
      <TextField source="vatNumber" sortable={false} />
      <TextField source="email" sortable={false} />
      <TextField source="phone" sortable={false} />
      <DateTimeField source="updatedAt" />
    </Datagrid>
  </List>
)
