import { Alert, Box } from '@mui/material'
import {
  Datagrid,
  EditButton,
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
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { detailsGrid, Section } from '../layout/ShowSection.tsx'
import { CaseShortcuts } from '../shortcuts/CaseShortcuts.tsx'
import type { Case, CaseEvent } from '../types.ts'
import { CaseAttachmentsPanel } from './CaseAttachmentsPanel.tsx'
import { CaseEventDetailsField } from './CaseEventDetails.tsx'
import { CaseLinksPanel } from './CaseLinksPanel.tsx'
import { CaseRelatedLiveRefresh, CaseShowLive, CaseViewers } from './CaseLive.tsx'
import { CaseMergeButton } from './CaseMergeButton.tsx'
import { CaseNoteBox } from './CaseNoteBox.tsx'
import { CaseQuickActions } from './CaseQuickActions.tsx'
import { CaseReplyBox } from './CaseReplyBox.tsx'
import { CaseSimilarPanel } from './CaseSimilarPanel.tsx'
import { CaseSlaPanel } from './CaseSlaPanel.tsx'
import { CaseStatusActions } from './CaseStatusActions.tsx'
import { CaseStatusField } from './CaseStatusField.tsx'
import { channelChoices, priorityChoices } from './caseChoices.ts'

/** Status moves the caller may make, then editing and merging. */
const CaseShowActions = () => {
  const record = useRecordContext<Case>()
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
      <CaseStatusActions />
      <CaseMergeButton />
      {record && !record.mergedIntoId && <EditButton />}
    </TopToolbar>
  )
}

/** A merged case is closed for good: say where its work continues. */
const MergedBanner = () => {
  const record = useRecordContext<Case>()
  const translate = useTranslate()
  if (!record?.mergedIntoId) return null
  return (
    <Alert severity="info">
      {translate('case.mergedBanner')}{' '}
      <ReferenceField source="mergedIntoId" reference="cases" link="show">
        <TextField source="number" />
      </ReferenceField>
    </Alert>
  )
}

/** Everything that happened to the case, oldest first. */
const CaseTimeline = () => {
  const translate = useTranslate()
  const record = useRecordContext<Case>()
  return (
    <ReferenceManyField
      reference="case-events"
      target="caseId"
      sort={{ field: 'id', order: 'ASC' }}
      perPage={50}
      pagination={<Pagination rowsPerPageOptions={[50, 100]} />}
      empty="resources.cases.timelineEmpty"
    >
      {record && <CaseRelatedLiveRefresh caseId={record.id} />}
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
        <CaseEventDetailsField source="data" sortable={false} />
      </Datagrid>
    </ReferenceManyField>
  )
}

/** A case with all its fields, its actions, notes, timeline, possible duplicates, links and attachments. */
export const CaseShow = () => (
  <Show actions={<CaseShowActions />}>
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <CaseShortcuts />
      <CaseShowLive />
      <CaseViewers />
      <MergedBanner />
      <Box sx={detailsGrid}>
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
      <Box sx={detailsGrid}>
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
          <ReferenceField source="assigneeId" reference="users" link={false}>
            <TextField source="fullName" />
          </ReferenceField>
        </Labeled>
        <Labeled>
          <ReferenceField source="contactId" reference="contacts" link="show">
            <TextField source="displayName" />
          </ReferenceField>
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
          <DateTimeField source="resolvedAt" />
        </Labeled>
        <Labeled>
          <DateTimeField source="closedAt" />
        </Labeled>
        <Labeled>
          <DateTimeField source="createdAt" />
        </Labeled>
        <Labeled>
          <ReferenceField source="createdBy" reference="users" link={false}>
            <TextField source="fullName" />
          </ReferenceField>
        </Labeled>
        <Labeled>
          <DateTimeField source="updatedAt" />
        </Labeled>
        <Labeled>
          <NumberField source="version" />
        </Labeled>
      </Box>
      <Section title="case.quick.title">
        <CaseQuickActions />
      </Section>
      <Section title="case.similar.title">
        <CaseSimilarPanel />
      </Section>
      <Section title="sla.clock.title">
        <CaseSlaPanel />
      </Section>
      <Section title="reply.title">
        <CaseReplyBox />
      </Section>
      <Section title="case.note.title">
        <CaseNoteBox />
      </Section>
      <Section title="resources.cases.timeline">
        <CaseTimeline />
      </Section>
      <Section title="case.links.title">
        <CaseLinksPanel />
      </Section>
      <Section title="case.attachments.title">
        <CaseAttachmentsPanel />
      </Section>
    </Box>
  </Show>
)
