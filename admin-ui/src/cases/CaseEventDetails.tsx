import { Box, Chip, Link, Typography } from '@mui/material'
import type { ReactNode } from 'react'
import {
  RecordContextProvider,
  ReferenceField,
  type TranslateFunction,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { attachmentUrl } from '../dataProvider.ts'
import { formatSize } from '../fields/format.ts'
import type { CaseEvent } from '../types.ts'

/** Data keys whose values are case enums, and the i18n prefix that names them. */
const ENUM_KEYS: Record<string, string> = {
  status: 'case.status',
  priority: 'case.priority',
  channel: 'case.channel',
}

/** Data keys holding the id of another record, and the resource it belongs to. */
const REFERENCE_KEYS: Record<string, string> = {
  assigneeId: 'users',
  officeId: 'offices',
  queueId: 'queues',
  categoryId: 'categories',
  contactId: 'contacts',
}

const formatValue = (translate: TranslateFunction, value: unknown, enumPrefix?: string): string => {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') return enumPrefix ? translate(`${enumPrefix}.${value}`, { _: value }) : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) {
    return value.length ? value.map((v) => formatValue(translate, v, enumPrefix)).join(', ') : '—'
  }
  return JSON.stringify(value)
}

/** Another record named as react-admin represents it (a colleague's name, an office's name…). */
const ReferenceValue = ({ reference, id }: { reference: string; id: unknown }) => {
  if (typeof id !== 'number') return <>—</>
  return (
    <RecordContextProvider value={{ id, ref: id }}>
      <ReferenceField source="ref" reference={reference} link={reference === 'cases' ? 'show' : false}>
        {reference === 'categories' ? <CategoryNameField /> : undefined}
      </ReferenceField>
    </RecordContextProvider>
  )
}

/** A field's value: a reference by its name, an enum in words, anything else as text. */
const Value = ({ field, value }: { field: string; value: unknown }) => {
  const translate = useTranslate()
  const reference = REFERENCE_KEYS[field]
  if (reference) return <ReferenceValue reference={reference} id={value} />
  return <>{formatValue(translate, value, ENUM_KEYS[field])}</>
}

/** A link kind as the relation it gives the case that made it, and the case at the other end. */
const OWN_RELATION: Record<string, string> = {
  duplicate: 'duplicate_of',
  child: 'child_of',
  parent: 'parent_of',
  related: 'related',
}
const OTHER_RELATION: Record<string, string> = {
  duplicate: 'duplicated_by',
  child: 'parent_of',
  parent: 'child_of',
  related: 'related',
}

const fieldLabel = (translate: TranslateFunction, key: string): string =>
  translate(`resources.cases.fields.${key}`, { _: key })

const Change = ({ field, from, to }: { field: string; from: unknown; to: unknown }) => (
  <>
    <Value field={field} value={from} /> → <Value field={field} value={to} />
  </>
)

const Line = ({ children }: { children: ReactNode }) => (
  <Typography variant="body2" component="div">
    {children}
  </Typography>
)

const Quote = ({ text }: { text: unknown }) =>
  typeof text === 'string' && text ? (
    <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap', fontStyle: 'italic' }}>
      {text}
    </Typography>
  ) : null

const CaseRef = ({ id, number }: { id: unknown; number?: unknown }) =>
  typeof id === 'number' ? (
    typeof number === 'string' ? (
      <Link href={`#/cases/${id}/show`}>{number}</Link>
    ) : (
      <ReferenceValue reference="cases" id={id} />
    )
  ) : (
    <>—</>
  )

const isMention = (m: unknown): m is { id: number; fullName: string } =>
  typeof m === 'object' && m !== null && 'fullName' in m && typeof m.fullName === 'string'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** Whatever an event holds, key by key: for kinds the console does not know yet. */
const Generic = ({ data }: { data: Record<string, unknown> }) => {
  const translate = useTranslate()
  const entries = Object.entries(data)
  if (!entries.length) return null
  return (
    <Line>
      {entries.map(([key, value], i) => (
        <span key={key}>
          {i > 0 && ' · '}
          {fieldLabel(translate, key)}: <Value field={key} value={value} />
        </span>
      ))}
    </Line>
  )
}

/** What one timeline event says, in the operator's words. */
export const EventDetails = ({ event }: { event: CaseEvent }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const data = event.data ?? {}
  switch (event.kind) {
    case 'created':
      return (
        <Line>
          {fieldLabel(translate, 'channel')}: <Value field="channel" value={data.channel} /> ·{' '}
          {fieldLabel(translate, 'priority')}: <Value field="priority" value={data.priority} />
        </Line>
      )
    case 'acknowledged':
      return null
    case 'updated': {
      const changes = isRecord(data.changes) ? data.changes : {}
      return (
        <Box>
          {Object.entries(changes).map(([field, change]) => (
            <Line key={field}>
              {fieldLabel(translate, field)}:{' '}
              {isRecord(change) ? <Change field={field} from={change.from} to={change.to} /> : null}
            </Line>
          ))}
        </Box>
      )
    }
    case 'assigned':
      return (
        <Line>
          {fieldLabel(translate, 'assigneeId')}: <Change field="assigneeId" from={data.from} to={data.to} />
        </Line>
      )
    case 'status_changed':
    case 'reopened':
      return (
        <Box>
          <Line>
            <Change field="status" from={data.from} to={data.to} />
            {data.cause === 'assignment' && ` (${translate('caseEvent.data.byAssignment')})`}
          </Line>
          <Quote text={data.comment} />
        </Box>
      )
    case 'note': {
      const mentions = Array.isArray(data.mentions) ? data.mentions.filter(isMention) : []
      return (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
          <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap' }}>
            {typeof data.text === 'string' ? data.text : ''}
          </Typography>
          {mentions.length > 0 && (
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
              <Typography variant="caption">{translate('caseEvent.data.mentions')}:</Typography>
              {mentions.map((m) => (
                <Chip key={m.id} size="small" variant="outlined" label={`@${m.fullName}`} />
              ))}
            </Box>
          )}
        </Box>
      )
    }
    case 'linked':
    case 'unlinked': {
      const from = data.from ?? data.fromCaseId
      const to = data.to ?? data.toCaseId
      // The link's kind is said from the case that made it; the other case reads it the other way round.
      const ownSide = from === event.caseId
      const kind = String(data.kind)
      const relation = (ownSide ? OWN_RELATION : OTHER_RELATION)[kind]
      return (
        <Line>
          {relation ? translate(`case.relation.${relation}`) : kind}: <CaseRef id={ownSide ? to : from} />
        </Line>
      )
    }
    case 'merged_into':
      return (
        <Line>
          {translate('caseEvent.data.mergedInto')} <CaseRef id={data.targetId} number={data.number} />
        </Line>
      )
    case 'merged_from':
      return (
        <Line>
          {translate('caseEvent.data.mergedFrom')} <CaseRef id={data.caseId} number={data.number} />
          {typeof data.eventsMoved === 'number' &&
            ` (${translate('caseEvent.data.eventsMoved', { smart_count: data.eventsMoved })})`}
        </Line>
      )
    case 'attachment_added':
      return (
        <Line>
          {typeof data.attachmentId === 'number' ? (
            <Link href={attachmentUrl(data.attachmentId)}>{String(data.filename)}</Link>
          ) : (
            String(data.filename)
          )}
          {typeof data.size === 'number' && ` (${formatSize(data.size, locale)})`}
        </Line>
      )
    case 'attachment_removed':
      return <Line>{String(data.filename ?? '')}</Line>
    default:
      return <Generic data={data} />
  }
}

/** The details of the case event in the current record context. */
export const CaseEventDetailsField = (_props: { source: 'data'; label?: string; sortable?: boolean }) => {
  const record = useRecordContext<CaseEvent>()
  return record ? <EventDetails event={record} /> : null
}
