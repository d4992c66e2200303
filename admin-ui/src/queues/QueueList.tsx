import { BooleanField, Datagrid, List, ReferenceField, SearchInput, TextField } from 'react-admin'

const queueFilters = [<SearchInput key="q" source="q" alwaysOn />]

/** Work queues: routing puts cases in them. */
export const QueueList = () => (
  <List exporter={false} filters={queueFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="code" />
      <TextField source="name" />
      <ReferenceField source="officeId" reference="offices" sortable={false} link={false}>
        <TextField source="name" />
      </ReferenceField>
      <BooleanField source="active" sortable={false} />
    </Datagrid>
  </List>
)
