import { Create, Datagrid, DeleteButton, List, required, SimpleForm, TextField, TextInput } from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'

/** Callers the PBX is told to reject: E.164 numbers, or "anonymous". */
export const BlockedNumberList = () => (
  <List exporter={false} pagination={false} sort={{ field: 'id', order: 'ASC' }}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="number" />
      <TextField source="note" />
      <DateTimeField source="createdAt" />
      <DeleteButton mutationMode="pessimistic" label="cti.unblock" />
    </Datagrid>
  </List>
)

export const BlockedNumberCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="number" validate={required()} helperText="cti.numberHelp" />
      <TextInput source="note" fullWidth />
    </SimpleForm>
  </Create>
)
