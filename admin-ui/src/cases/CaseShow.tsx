import { Box, Divider, Typography } from '@mui/material'
import {
  Datagrid,
  FunctionField,
  Labeled,
  NumberField,
  Pagination,
  ReferenceField,
  ReferenceManyField,
  SelectField,
  Show,
  TextArrayField,
  TextField,
  useTranslate,
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import type { CaseEvent } from '../types.ts'
import { CaseEventDataField } from './CaseEventDataField.tsx'
import { CaseStatusField } from './CaseStatusField.tsx'
import { channelChoices, priorityChoices } from './caseChoices.ts'

const grid = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
  columnGap: 3,
  rowGap: 1,
} as const

/** Everything that happened to the case, oldest first. */
const CaseTimeline = () => {
  const translate = useTranslate()
  return (
    <ReferenceManyField
      reference="case-events"
      target="caseId"
      sort={{ field: 'id', order: 'ASC' }}
      perPage={50}
      pagination={<Pagination rowsPerPageOptions={[50, 100]} />}
      empty="resources.cases.timelineEmpty"
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <FunctionField<CaseEvent>
          source="kind"
          sortable={false}
          render={(event) => translate(`caseEvent.kind.${event.kind}`, { _: event.kind })}
        />
        <DateTimeField source="createdAt" sortable={false} />
        <FunctionField<CaseEvent>
          source="actorName"
          sortable={false}
          render={(event) => event.actorName ?? translate('app.system')}
        />
        <CaseEventDataField source="data" />
      </Datagrid>
    </ReferenceManyField>
  )
}

/** A case with all its fields and its timeline. */
export const CaseShow = () => {
  const translate = useTranslate()
  return (
    <Show>
      <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Box sx={grid}>
          <Labeled>
            <TextField source="number" />
          </Labeled>
          <Labeled>
            <CaseStatusField source="status" />
          </Labeled>
          <Labeled>
            <SelectField source="priority" choices={priorityChoices} />
          </Labeled>
          <Labeled>
            <SelectField source="channel" choices={channelChoices} />
          </Labeled>
        </Box>
        <Labeled>
          <TextField source="subject" />
        </Labeled>
        <Labeled>
          <TextField source="description" sx={{ whiteSpace: 'pre-wrap' }} />
        </Labeled>
        <Box sx={grid}>
          <Labeled>
            <ReferenceField source="categoryId" reference="categories" link={false}>
              <CategoryNameField />
            </ReferenceField>
          </Labeled>
          <Labeled>
            <ReferenceField source="officeId" reference="offices" link={false}>
              <TextField source="name" />
            </ReferenceField>
          </Labeled>
          <Labeled>
            <ReferenceField source="queueId" reference="queues" link={false}>
              <TextField source="name" />
            </ReferenceField>
          </Labeled>
          <Labeled>
            <TextField source="assigneeId" />
          </Labeled>
          <Labeled>
            <TextField source="contactId" />
          </Labeled>
          <Labeled>
            <TextArrayField source="tags" />
          </Labeled>
          <Labeled>
            <TextField source="address" />
          </Labeled>
          <Labeled>
            <TextField source="civicNumber" />
          </Labeled>
          <Labeled>
            <NumberField source="latitude" options={{ maximumFractionDigits: 6 }} />
          </Labeled>
          <Labeled>
            <NumberField source="longitude" options={{ maximumFractionDigits: 6 }} />
          </Labeled>
          <Labeled>
            <DateTimeField source="firstResponseDueAt" />
          </Labeled>
          <Labeled>
            <DateTimeField source="resolutionDueAt" />
          </Labeled>
          <Labeled>
            <DateTimeField source="resolvedAt" />
          </Labeled>
          <Labeled>
            <DateTimeField source="closedAt" />
          </Labeled>
          <Labeled>
            <DateTimeField source="createdAt" />
          </Labeled>
          <Labeled>
            <TextField source="createdBy" />
          </Labeled>
          <Labeled>
            <DateTimeField source="updatedAt" />
          </Labeled>
          <Labeled>
            <NumberField source="version" />
          </Labeled>
        </Box>
        <Divider />
        <Typography variant="h6" component="h2">
          {translate('resources.cases.timeline')}
        </Typography>
        <CaseTimeline />
      </Box>
    </Show>
  )
}
