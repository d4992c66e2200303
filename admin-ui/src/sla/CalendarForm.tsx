import { Box } from '@mui/material'
import {
  ArrayInput,
  Create,
  Edit,
  maxLength,
  regex,
  required,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  useRecordContext,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import type { BusinessCalendar } from '../types.ts'
import { CalendarPreviewPanel } from './CalendarPreviewPanel.tsx'
import { WeeklyHoursInput } from './WeeklyHoursInput.tsx'

const HOLIDAY_DATE = /^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

const CalendarInputs = ({ create = false }: { create?: boolean }) => (
  <>
    {create && (
      <TextInput
        source="code"
        validate={[required(), regex(/^[a-z0-9_-]{2,40}$/, 'sla.hints.calendarCode')]}
        helperText="sla.hints.calendarCode"
      />
    )}
    <TextInput source="name" validate={[required(), maxLength(120)]} fullWidth />
    <TextInput
      source="settings.timeZone"
      validate={[required(), maxLength(64)]}
      helperText="sla.hints.timeZone"
    />
    <WeeklyHoursInput source="settings.weeklyHours" />
    <ArrayInput source="settings.localHolidays" helperText="sla.calendar.localHolidaysHelp">
      <SimpleFormIterator inline disableReordering>
        <TextInput
          source="date"
          label="sla.calendar.holidayDate"
          validate={[required(), regex(HOLIDAY_DATE, 'sla.calendar.badDate')]}
          placeholder="12-26"
          helperText={false}
          sx={{ width: 160 }}
        />
        <TextInput
          source="name"
          label="sla.calendar.holidayName"
          validate={[required(), maxLength(120)]}
          helperText={false}
          sx={{ minWidth: 320 }}
        />
      </SimpleFormIterator>
    </ArrayInput>
  </>
)

export const CalendarCreate = () => (
  <Create redirect="edit">
    <SimpleForm
      defaultValues={{
        settings: {
          timeZone: 'Europe/Rome',
          weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
          localHolidays: [],
        },
      }}
    >
      <CalendarInputs create />
    </SimpleForm>
  </Create>
)

/** The preview of the saved calendar beside the form, refreshed after each save. */
const SavedPreview = () => {
  const record = useRecordContext<BusinessCalendar>()
  return record ? <CalendarPreviewPanel id={record.id} version={record.version} /> : null
}

export const CalendarEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect={false} mutationOptions={{ onError }} aside={<AsidePreview />}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <CalendarInputs />
      </SimpleForm>
    </Edit>
  )
}

const AsidePreview = () => (
  <Box sx={{ ml: 2, width: 420, flexShrink: 0 }}>
    <SavedPreview />
  </Box>
)
