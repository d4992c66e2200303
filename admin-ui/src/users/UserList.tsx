import {
  BooleanField,
  ChipField,
  Datagrid,
  List,
  NullableBooleanInput,
  ReferenceArrayField,
  SearchInput,
  SelectField,
  SelectInput,
  SingleFieldList,
  TextField,
} from 'react-admin'
import { roleChoices } from './userChoices.ts'

const userFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} />,
  <NullableBooleanInput key="active" source="active" />,
]

/** Staff users: who they are, their role and offices. */
export const UserList = () => (
  <List exporter={false} filters={userFilters} sort={{ field: 'fullName', order: 'ASC' }} perPage={50}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="fullName" />
      <TextField source="email" />
      <SelectField source="role" choices={roleChoices} />
      <ReferenceArrayField source="officeIds" reference="offices" sortable={false}>
        <SingleFieldList linkType={false}>
          <ChipField source="name" size="small" />
        </SingleFieldList>
      </ReferenceArrayField>
      <BooleanField source="active" sortable={false} />
    </Datagrid>
  </List>
)
