import { BooleanField, Datagrid, List, SearchInput, TextField } from 'react-admin'

const officeFilters = [<SearchInput key="q" source="q" alwaysOn />]

/** Offices of the Comune; deactivated, never deleted. */
export const OfficeList = () => (
  <List exporter={false} filters={officeFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="code" />
      <TextField source="name" />
      <TextField source="email" sortable={false} />
      <TextField source="phone" sortable={false} />
      <BooleanField source="active" sortable={false} />
    </Datagrid>
  </List>
)
