import {
  BooleanField,
  ChipField,
  Datagrid,
  List,
  ReferenceArrayField,
  ReferenceField,
  SearchInput,
  SelectField,
  SingleFieldList,
  TextField,
} from 'react-admin'
import { ASSIGNMENT_STRATEGIES } from '../types.ts'

const strategyChoices = ASSIGNMENT_STRATEGIES.map((id) => ({ id, name: `routing.assignment.${id}` }))

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
      <SelectField source="assignmentStrategy" choices={strategyChoices} sortable={false} />
      <ReferenceArrayField source="memberIds" reference="users" sortable={false}>
        <SingleFieldList linkType={false}>
          <ChipField source="fullName" size="small" />
        </SingleFieldList>
      </ReferenceArrayField>
      <BooleanField source="active" sortable={false} />
    </Datagrid>
  </List>
)
