import { Alert, Box, Table, TableBody, TableCell, TableRow } from '@mui/material'
import { Labeled, Show, TextField, useRecordContext, useShowContext, useTranslate } from 'react-admin'
import { detailsGrid, Section } from '../layout/ShowSection.tsx'
import { type BusinessCalendar, CALENDAR_WEEKDAYS } from '../types.ts'
import { WeeklyTotalField } from './CalendarList.tsx'
import { CalendarPreviewPanel } from './CalendarPreviewPanel.tsx'

const WeekTable = () => {
  const record = useRecordContext<BusinessCalendar>()
  const translate = useTranslate()
  if (!record) return null
  return (
    <Table size="small" sx={{ maxWidth: 560 }}>
      <TableBody>
        {CALENDAR_WEEKDAYS.map((day) => {
          const intervals = record.settings.weeklyHours[day] ?? []
          return (
            <TableRow key={day}>
              <TableCell component="th" scope="row">
                {translate(`sla.weekday.${day}`)}
              </TableCell>
              <TableCell>
                {intervals.length
                  ? intervals.map((i) => `${i.from}–${i.to}`).join(', ')
                  : translate('sla.calendar.closed')}
              </TableCell>
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}

const LocalHolidays = () => {
  const record = useRecordContext<BusinessCalendar>()
  const translate = useTranslate()
  const holidays = record?.settings.localHolidays ?? []
  if (!holidays.length) return <>{translate('sla.preview.noClosures')}</>
  return (
    <Table size="small" sx={{ maxWidth: 560 }}>
      <TableBody>
        {holidays.map((h) => (
          <TableRow key={`${h.date}-${h.name}`}>
            <TableCell>{h.date}</TableCell>
            <TableCell>{h.name}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

const Preview = () => {
  const { record } = useShowContext<BusinessCalendar>()
  return record ? <CalendarPreviewPanel id={record.id} version={record.version} /> : null
}

/** A business calendar for those who may read but not change it (supervisors), with its preview. */
export const CalendarShow = () => {
  const translate = useTranslate()
  return (
    <Show>
      <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Alert severity="info">{translate('sla.readOnly')}</Alert>
        <Box sx={detailsGrid}>
          <Labeled>
            <TextField source="code" />
          </Labeled>
          <Labeled>
            <TextField source="name" />
          </Labeled>
          <Labeled>
            <TextField source="settings.timeZone" />
          </Labeled>
          <Labeled label="resources.business-calendars.fields.hours">
            <WeeklyTotalField />
          </Labeled>
        </Box>
        <Section title="resources.business-calendars.fields.settings.weeklyHours">
          <WeekTable />
        </Section>
        <Section title="resources.business-calendars.fields.settings.localHolidays">
          <LocalHolidays />
        </Section>
        <Preview />
      </Box>
    </Show>
  )
}
