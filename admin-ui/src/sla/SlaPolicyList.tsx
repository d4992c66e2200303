import {
  BooleanField,
  Datagrid,
  List,
  NumberField,
  ReferenceField,
  SearchInput,
  TextField,
  usePermissions,
} from 'react-admin'
import { canAdminister } from '../layout/permissions.ts'
import {
  DurationField,
  EscalationField,
  PolicyCategoryField,
  PolicyPriorityField,
} from './SlaPolicyFields.tsx'

const policyFilters = [<SearchInput key="q" source="q" alwaysOn />]

/** SLA policies by name: what each applies to, its targets and its escalation. */
export const SlaPolicyList = () => {
  const { permissions } = usePermissions<string>()
  return (
    <List exporter={false} filters={policyFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50}>
      <Datagrid rowClick={canAdminister(permissions) ? 'edit' : 'show'} bulkActionButtons={false}>
        <TextField source="name" />
        <PolicyCategoryField source="categoryId" sortable={false} />
        <PolicyPriorityField source="priority" />
        <ReferenceField source="calendarId" reference="business-calendars" sortable={false} link={false}>
          <TextField source="name" />
        </ReferenceField>
        <DurationField source="firstResponseMinutes" sortable={false} />
        <DurationField source="resolutionMinutes" sortable={false} />
        <NumberField source="warnPercent" sortable={false} />
        <EscalationField source="onWarning" sortable={false} />
        <EscalationField source="onBreach" sortable={false} />
        <BooleanField source="active" sortable={false} />
      </Datagrid>
    </List>
  )
}
