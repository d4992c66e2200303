import { Datagrid, List, ReferenceField, TextField } from 'react-admin'

/** Work queues (read-only here; routing puts cases in them). */
export const QueueList = () => (
  <List sort={{ field: 'name', order: 'ASC' }} perPage={50}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="code" />
      <TextField source="name" />
      <ReferenceField source="officeId" reference="offices" sortable={false} link={false}>
        <TextField source="name" />
      </ReferenceField>
    </Datagrid>
  </List>
)
