import { Datagrid, List, TextField } from 'react-admin'

/** Offices of the Comune (read-only here; cases and queues refer to them). */
export const OfficeList = () => (
  <List sort={{ field: 'name', order: 'ASC' }} perPage={50}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="code" />
      <TextField source="name" />
    </Datagrid>
  </List>
)
