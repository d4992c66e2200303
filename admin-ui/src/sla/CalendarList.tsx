import { Typography } from '@mui/material'
import {
  Datagrid,
  List,
  SearchInput,
  TextField,
  useLocaleState,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { canAdminister } from '../layout/permissions.ts'
import type { BusinessCalendar } from '../types.ts'
import { formatDuration } from './duration.ts'
import { weeklyMinutes } from './WeeklyHoursInput.tsx'

const calendarFilters = [<SearchInput key="q" source="q" alwaysOn />]

/** A calendar's opening hours a week, in hours and minutes. */
export const WeeklyTotalField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<BusinessCalendar>()
  const translate = useTranslate()
  const [locale] = useLocaleState()
  return record ? (
    <Typography variant="body2" component="span">
      {formatDuration(translate, locale, weeklyMinutes(record.settings.weeklyHours))}
    </Typography>
  ) : null
}

/** Business calendars: what SLA targets are counted on. */
export const CalendarList = () => {
  const { permissions } = usePermissions<string>()
  return (
    <List exporter={false} filters={calendarFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50}>
      <Datagrid rowClick={canAdminister(permissions) ? 'edit' : 'show'} bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="name" />
        <WeeklyTotalField source="hours" sortable={false} />
        <TextField source="settings.timeZone" sortable={false} />
        <DateTimeField source="updatedAt" sortable={false} />
      </Datagrid>
    </List>
  )
}
