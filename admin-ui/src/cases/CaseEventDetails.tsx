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
import { formatDateTime, formatSize } from '../fields/format.ts'
import { formatDuration } from '../sla/duration.ts'
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

/**
 * The server's account of an automatic decision (routing, assignment): sentences
 * written in Italian when it was taken, one per line, under the summary.
 */
const Explanation = ({ value }: { value: unknown }) => {
  const sentences = (Array.isArray(value) ? value : [value]).filter(
    (s): s is string => typeof s === 'string' && s !== '',
  )
  if (!sentences.length) return null
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5, color: 'text.secondary' }}>
      {sentences.map((sentence, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the sentences are fixed once written
        <Typography key={i} component="li" variant="body2">
          {sentence}
        </Typography>
      ))}
    </Box>
  )
}

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

/** The files a reply sent the citizen (`attachments: [{ attachmentId, filename, size }]`), with download links. */
const ReplyFiles = ({ files }: { files: unknown }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const list = Array.isArray(files) ? files.filter(isRecord) : []
  if (list.length === 0) return null
  return (
    <Line>
      {translate('caseEvent.data.replyFiles', { smart_count: list.length })}:{' '}
      {list.map((f, i) => (
        <span key={String(f.attachmentId ?? i)}>
          {i > 0 && ', '}
          {typeof f.attachmentId === 'number' ? (
            <Link href={attachmentUrl(f.attachmentId)}>{String(f.filename)}</Link>
          ) : (
            String(f.filename)
          )}
          {typeof f.size === 'number' && ` (${formatSize(f.size, locale)})`}
        </span>
      ))}
    </Line>
  )
}

/** An event's data without the files a reply sent, which ReplyFiles shows. */
const withoutFiles = ({ attachments: _, ...rest }: Record<string, unknown>) => rest

/** Field changes (`{ field: { from, to } }`), one per line. */
const Changes = ({ changes }: { changes: unknown }) => {
  const translate = useTranslate()
  if (!isRecord(changes)) return null
  return (
    <>
      {Object.entries(changes).map(([field, change]) => (
        <Line key={field}>
          {fieldLabel(translate, field)}:{' '}
          {isRecord(change) ? (
            <Change field={field} from={change.from} to={change.to} />
          ) : (
            <Value field={field} value={change} />
          )}
        </Line>
      ))}
    </>
  )
}

/** Why the status moved without a person moving it (assignment, a citizen's message…). */
const causeText = (translate: TranslateFunction, cause: unknown): string =>
  typeof cause === 'string' ? ` (${translate(`caseEvent.data.cause.${cause}`, { _: cause })})` : ''

/** An SLA timer's escalation actions: "notify_supervisors", "priority:normal->high", "queue:3->5". */
const slaActionText = (translate: TranslateFunction, action: string): string => {
  const [kind, change = ''] = action.split(':')
  const [from = '', to = ''] = change.split('->')
  if (kind === 'priority')
    return translate('caseEvent.data.slaAction.priority', {
      from: translate(`case.priority.${from}`, { _: from }),
      to: translate(`case.priority.${to}`, { _: to }),
    })
  return translate(`caseEvent.data.slaAction.${kind}`, { _: action })
}

const targetName = (translate: TranslateFunction, target: unknown): string =>
  translate(`caseEvent.data.target.${String(target)}`, { _: String(target) })

/** An SLA warning or breach: which clock, when, under which policy, and what it set off. */
const SlaTimer = ({ data, phase }: { data: Record<string, unknown>; phase: 'warning' | 'breach' }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const actions = Array.isArray(data.actions)
    ? data.actions.filter((a): a is string => typeof a === 'string')
    : []
  return (
    <Box>
      <Line>
        {translate(phase === 'warning' ? 'caseEvent.data.slaWarning' : 'caseEvent.data.slaBreach', {
          target: targetName(translate, data.target),
          at: typeof data.at === 'string' ? formatDateTime(data.at, locale) : '—',
        })}
      </Line>
      {typeof data.policyName === 'string' && (
        <Line>{translate('caseEvent.data.policy', { name: data.policyName })}</Line>
      )}
      {actions.length > 0 && (
        <Line>
          {translate('caseEvent.data.slaActions')}:{' '}
          {actions.map((a) => slaActionText(translate, a)).join(', ')}
        </Line>
      )}
    </Box>
  )
}

const words = (translate: TranslateFunction, prefix: string, values: unknown): string =>
  (Array.isArray(values) ? values : [values])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => translate(`${prefix}.${v}`, { _: v }))
    .join(', ')

/**
 * A citizen notification's step on the timeline: by which channel and to whom,
 * which updates it carries, why that channel (or why none), and what went wrong.
 */
const NotificationEvent = ({ kind, data }: { kind: string; data: Record<string, unknown> }) => {
  const translate = useTranslate()
  const t = (key: string, options?: Record<string, unknown>) =>
    translate(`caseEvent.data.notification.${key}`, options)
  const channel =
    typeof data.channel === 'string' ? words(translate, 'notification.channel', data.channel) : ''
  const triggers = words(translate, 'notification.trigger', data.triggers)
  const reason =
    typeof data.reason === 'string'
      ? translate(`notification.reason.${data.reason}`, {
          status: String(data.ioStatus ?? ''),
          _: typeof data.explanation === 'string' ? data.explanation : data.reason,
        })
      : undefined
  const error = typeof data.error === 'string' ? data.error : undefined
  const code = data.smtpCode ?? data.status
  return (
    <Box>
      {channel && (
        <Line>
          {typeof data.recipient === 'string'
            ? t('recipient', { channel, recipient: data.recipient })
            : t('channel', { channel })}
          {kind === 'notification_failed' &&
            typeof data.attempts === 'number' &&
            ` ${t('attempts', { smart_count: data.attempts })}`}
        </Line>
      )}
      {triggers && (
        <Line>{t(kind === 'notification_skipped' ? 'notNotified' : 'updates', { triggers })}</Line>
      )}
      {typeof data.fallbackFrom === 'number' && <Line>{t('fallback')}</Line>}
      {reason && (
        <Typography variant="body2" component="div" color="text.secondary">
          {reason}
        </Typography>
      )}
      {kind === 'notification_status' && typeof data.status === 'string' && (
        <Line>{t('ioStatus', { status: words(translate, 'notification.ioStatus', data.status) })}</Line>
      )}
      {kind === 'notification_retried' && typeof data.previousState === 'string' && (
        <Line>
          {t('previousState', { state: words(translate, 'notification.state', data.previousState) })}
        </Line>
      )}
      {kind === 'notification_sent' && data.reconciled === true && <Line>{t('reconciled')}</Line>}
      {kind === 'notification_uncertain' && <Line>{t('uncertain')}</Line>}
      <ReplyFiles files={data.attachments} />
      {error && (
        <Typography variant="body2" component="div" color="error" sx={{ wordBreak: 'break-word' }}>
          {typeof code === 'number' ? t('errorCode', { code, error }) : t('error', { error })}
        </Typography>
      )}
    </Box>
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
    case 'updated':
      return (
        <Box>
          <Changes changes={data.changes} />
        </Box>
      )
    case 'assigned':
      return (
        <Box>
          <Line>
            {fieldLabel(translate, 'assigneeId')}: <Change field="assigneeId" from={data.from} to={data.to} />
          </Line>
          {typeof data.strategy === 'string' && (
            <Line>
              {translate('caseEvent.data.strategy', {
                strategy: translate(`routing.assignment.${data.strategy}`, { _: data.strategy }),
              })}
            </Line>
          )}
          <Explanation value={data.explanation} />
        </Box>
      )
    case 'unassigned':
      return (
        <Box>
          <Line>
            {fieldLabel(translate, 'assigneeId')}: <Change field="assigneeId" from={data.from} to={data.to} />
          </Line>
          {typeof data.reason === 'string' && (
            <Line>{translate(`caseEvent.data.reason.${data.reason}`, { _: data.reason })}</Line>
          )}
        </Box>
      )
    case 'status_changed':
    case 'reopened':
      return (
        <Box>
          <Line>
            <Change field="status" from={data.from} to={data.to} />
            {causeText(translate, data.cause)}
          </Line>
          <Quote text={data.comment} />
        </Box>
      )
    case 'routed': {
      const applied = isRecord(data.applied) ? data.applied : {}
      return (
        <Box>
          <Line>
            {typeof data.ruleName === 'string'
              ? translate('caseEvent.data.rule', { name: data.ruleName })
              : translate('caseEvent.data.defaultRouting')}
            {' · '}
            {translate('caseEvent.data.applied')}:{' '}
            {Object.keys(applied).length === 0
              ? translate('caseEvent.data.nothingApplied')
              : Object.entries(applied).map(([field, value], i) => (
                  <span key={field}>
                    {i > 0 && ', '}
                    {fieldLabel(translate, field)} <Value field={field} value={value} />
                  </span>
                ))}
          </Line>
          <Explanation value={data.explanation} />
        </Box>
      )
    }
    case 'sla_applied':
      return typeof data.policyName === 'string' ? (
        <Box>
          <Line>{translate('caseEvent.data.slaApplied', { name: data.policyName })}</Line>
          <Line>
            {translate('caseEvent.data.dues', {
              firstResponse:
                typeof data.firstResponseDueAt === 'string'
                  ? formatDateTime(data.firstResponseDueAt, locale)
                  : '—',
              resolution:
                typeof data.resolutionDueAt === 'string' ? formatDateTime(data.resolutionDueAt, locale) : '—',
            })}
          </Line>
        </Box>
      ) : (
        <Line>{translate('caseEvent.data.slaRemoved')}</Line>
      )
    case 'sla_paused':
      return <Line>{translate('caseEvent.data.slaPaused')}</Line>
    case 'sla_resumed':
      return (
        <Line>
          {translate('caseEvent.data.slaResumed', {
            duration: formatDuration(translate, locale, Number(data.pausedBusinessMinutes) || 0),
          })}
        </Line>
      )
    case 'sla_restarted':
      return <Line>{translate('caseEvent.data.slaRestarted')}</Line>
    case 'sla_warning':
      return <SlaTimer data={data} phase="warning" />
    case 'sla_breach':
    case 'sla_breached':
      return <SlaTimer data={data} phase="breach" />
    case 'escalated': {
      const timers = Array.isArray(data.timers)
        ? data.timers.filter((t): t is string => typeof t === 'string')
        : []
      return (
        <Box>
          <Changes changes={data.changes} />
          {timers.length > 0 && (
            <Line>
              {translate('caseEvent.data.escalatedBy', {
                timers: timers
                  .map((t) => {
                    const [target, phase] = t.split('.')
                    return `${targetName(translate, target)} (${translate(`caseEvent.kind.sla_${phase === 'breach' ? 'breach' : 'warning'}`)})`
                  })
                  .join(', '),
              })}
            </Line>
          )}
        </Box>
      )
    }
    case 'message_received':
      return (
        <Box>
          <Line>
            {translate('caseEvent.data.via', {
              channel: translate(`case.channel.${String(data.channel)}`, { _: String(data.channel) }),
            })}
            {data.autoReply === true && ` (${translate('caseEvent.data.autoReply')})`}
          </Line>
          <Quote text={data.subject} />
        </Box>
      )
    case 'follow_up_opened':
      return (
        <Line>
          {translate('caseEvent.data.followUpOpened')} <CaseRef id={data.followUpId} />
        </Line>
      )
    case 'follow_up_of':
      return (
        <Line>
          {translate('caseEvent.data.followUpOf')} <CaseRef id={data.caseId} number={data.number} />
        </Line>
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
    case 'notification_queued':
    case 'notification_skipped':
    case 'notification_sent':
    case 'notification_failed':
    case 'notification_uncertain':
    case 'notification_status':
    case 'notification_retried':
      return <NotificationEvent kind={event.kind} data={data} />
    case 'reply_queued':
      // A reply by notification: its channel (IO or email) is chosen by the workers, on the next events.
      if (data.via !== 'notification')
        return (
          <Box>
            <Generic data={withoutFiles(data)} />
            <ReplyFiles files={data.attachments} />
          </Box>
        )
      return (
        <Box>
          <Line>
            {translate('caseEvent.data.via', { channel: translate('reply.channels.notification') })}
          </Line>
          <Quote text={data.text} />
          <ReplyFiles files={data.attachments} />
        </Box>
      )
    case 'reply_sent':
      return (
        <Box>
          <Generic data={withoutFiles(data)} />
          <ReplyFiles files={data.attachments} />
        </Box>
      )
    default:
      return <Generic data={data} />
  }
}

/** The details of the case event in the current record context. */
export const CaseEventDetailsField = (_props: { source: 'data'; label?: string; sortable?: boolean }) => {
  const record = useRecordContext<CaseEvent>()
  return record ? <EventDetails event={record} /> : null
}
