import { Alert, Avatar, AvatarGroup, Box, Button, Tooltip, Typography } from '@mui/material'
import { useState } from 'react'
import {
  useEditContext,
  useGetIdentity,
  useListContext,
  useLocaleState,
  useRecordContext,
  useShowContext,
  useTranslate,
} from 'react-admin'
import { formatDateTime } from '../fields/format.ts'
import type { LiveEvent } from '../realtime/realtimeClient.ts'
import {
  CASE_EVENT_TYPES,
  caseIdOf,
  useCaseViewers,
  useDebounced,
  useHoldEdit,
  useLiveEvent,
  useLiveReload,
} from '../realtime/useRealtime.ts'
import type { Case } from '../types.ts'

/** How long a burst of events is gathered before a list or a case is read again. */
const LIST_DEBOUNCE_MS = 1000
const CASE_DEBOUNCE_MS = 300

/**
 * Keeps the case list current: it is read again (once per burst) when a case it
 * shows changes, when a case is created, or — when filtered or sorted by last change —
 * when any case changes, since that one may now belong on the page.
 */
export const CaseListLiveRefresh = () => {
  const { data, filterValues, sort, refetch } = useListContext<Case>()
  const again = useDebounced(() => void refetch(), LIST_DEBOUNCE_MS)
  useLiveEvent((event) => {
    const id = caseIdOf(event)
    if (id === undefined) return
    const shown = data?.some((c) => c.id === id) ?? false
    const filtered = Object.keys(filterValues ?? {}).length > 0
    if (shown || event.type === 'case.created' || filtered || sort.field === 'updatedAt') again()
  }, CASE_EVENT_TYPES)
  useLiveReload(again)
  return null
}

/** Inside a list of one case's things (its timeline): read again when the case has news. */
export const CaseRelatedLiveRefresh = ({ caseId }: { caseId: number }) => {
  const { refetch } = useListContext()
  const again = useDebounced(() => void refetch(), CASE_DEBOUNCE_MS)
  useLiveEvent((event) => {
    if (caseIdOf(event) === caseId) again()
  }, CASE_EVENT_TYPES)
  useLiveReload(again)
  return null
}

/** A change to the case made by someone else, as the notices tell it. */
export interface OthersChange {
  name: string | null
  at: string
  version: number
}

/** The last change someone else (or the system) made to the record after it was read. */
const useOthersChange = (
  record: Case | undefined,
): [OthersChange | undefined, (c: OthersChange | undefined) => void] => {
  const { identity } = useGetIdentity()
  const [change, setChange] = useState<OthersChange>()
  useLiveEvent((event: LiveEvent) => {
    if (!record || caseIdOf(event) !== record.id) return
    const version = event.data.version
    if (typeof version !== 'number' || version <= record.version) return
    if (identity && event.data.actorId === identity.id) return
    const name = typeof event.data.actorName === 'string' ? event.data.actorName : null
    setChange((prev) => (prev && prev.version >= version ? prev : { name, at: event.at, version }))
  }, CASE_EVENT_TYPES)
  return [change, setChange]
}

const useChangeWords = () => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  return (change: OthersChange) =>
    translate('live.changedBy', {
      name: change.name ?? translate('app.system'),
      time: formatDateTime(change.at, locale),
    })
}

/**
 * The case page follows the case: its record is read again when it changes, and a
 * change by someone else is said (who, when) until dismissed.
 */
export const CaseShowLive = () => {
  const { record, refetch } = useShowContext<Case>()
  const translate = useTranslate()
  const words = useChangeWords()
  const [change, setChange] = useOthersChange(record)
  const again = useDebounced(() => void refetch(), CASE_DEBOUNCE_MS)
  useLiveEvent((event) => {
    if (record && caseIdOf(event) === record.id) again()
  }, CASE_EVENT_TYPES)
  useLiveReload(again)
  if (!change) return null
  return (
    <Alert
      severity="info"
      role="status"
      onClose={() => setChange(undefined)}
      slotProps={{ closeButton: { title: translate('ra.action.close') } }}
    >
      {words(change)} {translate('live.showUpdated')}
    </Alert>
  )
}

/**
 * In the edit form: a change by someone else is never merged in silently. The
 * notice says who changed the case and offers to reload it (the operator's own
 * unsaved changes stay in the form); until then a save answers "version conflict".
 */
export const CaseEditLiveNotice = () => {
  const { record, refetch } = useEditContext<Case>()
  const translate = useTranslate()
  const words = useChangeWords()
  const [change, setChange] = useOthersChange(record)
  const [missed, setMissed] = useState(false)
  useHoldEdit()
  useLiveReload(() => setMissed(true))
  if (!change && !missed) return null
  return (
    <Alert
      severity="warning"
      role="alert"
      sx={{ mb: 2, width: '100%' }}
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => {
            void refetch?.()
            setChange(undefined)
            setMissed(false)
          }}
        >
          {translate('app.conflict.reload')}
        </Button>
      }
    >
      {change ? `${words(change)} ${translate('live.editChanged')}` : translate('live.editMissed')}
    </Alert>
  )
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('')

/** "Also viewing": colleagues with this case open now (the page tells the server it is open). */
export const CaseViewers = () => {
  const record = useRecordContext<Case>()
  const translate = useTranslate()
  const viewers = useCaseViewers(record?.id)
  if (viewers.length === 0) return null
  const names = viewers.map((v) => v.name).join(', ')
  return (
    <Box
      role="status"
      aria-label={translate('live.alsoViewing', { names })}
      sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
    >
      <Typography variant="body2" color="text.secondary">
        {translate('live.alsoViewingLabel')}
      </Typography>
      <AvatarGroup max={5} sx={{ '& .MuiAvatar-root': { width: 28, height: 28, fontSize: 13 } }}>
        {viewers.map((v) => (
          <Tooltip key={v.id} title={v.name}>
            <Avatar alt={v.name}>{initials(v.name)}</Avatar>
          </Tooltip>
        ))}
      </AvatarGroup>
      <Typography variant="body2">{names}</Typography>
    </Box>
  )
}
