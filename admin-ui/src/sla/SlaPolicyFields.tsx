import { Typography } from '@mui/material'
import { ReferenceField, TextField, useLocaleState, useRecordContext, useTranslate } from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import type { SlaEscalation, SlaPolicy } from '../types.ts'
import { formatDuration } from './duration.ts'

const Text = ({ children }: { children: string }) => (
  <Typography variant="body2" component="span">
    {children}
  </Typography>
)

/** The policy's category, or "any category". */
export const PolicyCategoryField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<SlaPolicy>()
  const translate = useTranslate()
  if (!record) return null
  if (record.categoryId === null) return <Text>{translate('sla.anyCategory')}</Text>
  return (
    <ReferenceField source="categoryId" reference="categories" link={false}>
      <CategoryNameField />
    </ReferenceField>
  )
}

/** The policy's priority, or "any priority". */
export const PolicyPriorityField = (_props: { label?: string; source?: string; sortable?: boolean }) => {
  const record = useRecordContext<SlaPolicy>()
  const translate = useTranslate()
  if (!record) return null
  return (
    <Text>
      {record.priority === null
        ? translate('sla.anyPriority')
        : translate(`case.priority.${record.priority}`)}
    </Text>
  )
}

/** A target in business minutes as hours and minutes. */
export const DurationField = ({
  source,
}: {
  source: 'firstResponseMinutes' | 'resolutionMinutes'
  label?: string
  sortable?: boolean
}) => {
  const record = useRecordContext<SlaPolicy>()
  const translate = useTranslate()
  const [locale] = useLocaleState()
  if (!record) return null
  return <Text>{formatDuration(translate, locale, record[source])}</Text>
}

/** The escalation of one timer in a few words ("avvisa i supervisori, alza la priorità"). */
export const EscalationField = ({
  source,
}: {
  source: 'onWarning' | 'onBreach'
  label?: string
  sortable?: boolean
}) => {
  const record = useRecordContext<SlaPolicy>()
  const translate = useTranslate()
  if (!record) return null
  const escalation: SlaEscalation = record[source] ?? {}
  const parts = [
    escalation.notifySupervisors && translate('sla.escalation.short.notifySupervisors'),
    escalation.raisePriority && translate('sla.escalation.short.raisePriority'),
  ].filter((p): p is string => typeof p === 'string')
  if (!parts.length && !escalation.moveToQueueId) return <Text>{translate('sla.escalation.none')}</Text>
  return (
    <Typography variant="body2" component="span">
      {parts.join(', ')}
      {escalation.moveToQueueId && (
        <>
          {parts.length ? ', ' : ''}
          {translate('sla.escalation.short.moveToQueueId')}:{' '}
          <ReferenceField source={`${source}.moveToQueueId`} reference="queues" link={false}>
            <TextField source="name" />
          </ReferenceField>
        </>
      )}
    </Typography>
  )
}
