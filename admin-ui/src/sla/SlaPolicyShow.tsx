import { Alert, Box } from '@mui/material'
import {
  BooleanField,
  Labeled,
  NumberField,
  ReferenceField,
  Show,
  TextField,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { detailsGrid } from '../layout/ShowSection.tsx'
import {
  DurationField,
  EscalationField,
  PolicyCategoryField,
  PolicyPriorityField,
} from './SlaPolicyFields.tsx'

/** An SLA policy for those who may read but not change it (supervisors). */
export const SlaPolicyShow = () => {
  const translate = useTranslate()
  return (
    <Show>
      <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Alert severity="info">{translate('sla.readOnly')}</Alert>
        <Box sx={detailsGrid}>
          <Labeled>
            <TextField source="name" />
          </Labeled>
          <Labeled source="categoryId">
            <PolicyCategoryField />
          </Labeled>
          <Labeled source="priority">
            <PolicyPriorityField />
          </Labeled>
          <Labeled>
            <ReferenceField source="calendarId" reference="business-calendars" link="show">
              <TextField source="name" />
            </ReferenceField>
          </Labeled>
          <Labeled source="firstResponseMinutes">
            <DurationField source="firstResponseMinutes" />
          </Labeled>
          <Labeled source="resolutionMinutes">
            <DurationField source="resolutionMinutes" />
          </Labeled>
          <Labeled>
            <NumberField source="warnPercent" />
          </Labeled>
          <Labeled source="onWarning">
            <EscalationField source="onWarning" />
          </Labeled>
          <Labeled source="onBreach">
            <EscalationField source="onBreach" />
          </Labeled>
          <Labeled>
            <BooleanField source="active" />
          </Labeled>
          <Labeled>
            <DateTimeField source="updatedAt" />
          </Labeled>
        </Box>
      </Box>
    </Show>
  )
}
