import { Datagrid, List, ReferenceField, TextField } from 'react-admin'
import { CategoryNameField } from './CategoryNameField.tsx'

/** The category taxonomy (read-only here; cases refer to it). */
export const CategoryList = () => (
  <List sort={{ field: 'code', order: 'ASC' }} perPage={50}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="code" />
      <TextField source="nameIt" />
      <TextField source="nameEn" />
      <ReferenceField source="parentId" reference="categories" sortable={false} link={false}>
        <CategoryNameField />
      </ReferenceField>
      <ReferenceField source="officeId" reference="offices" sortable={false} link={false}>
        <TextField source="name" />
      </ReferenceField>
    </Datagrid>
  </List>
)
