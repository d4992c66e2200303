import InboxIcon from '@mui/icons-material/InboxOutlined'
import PersonIcon from '@mui/icons-material/PersonOutlined'
import { Box, Chip } from '@mui/material'
import { Menu, useGetIdentity, useGetList, useTranslate } from 'react-admin'
import { CASE_EVENT_TYPES, useDebounced, useLiveEvent, useLiveReload } from '../realtime/useRealtime.ts'
import type { Case } from '../types.ts'
import { OPEN_STATUSES, useServedQueues } from './useServedQueues.ts'

/** Counts are read again at most this often while cases change (one request per queue: kept modest for a busy centre). */
const COUNT_DEBOUNCE_MS = 5000

/** The case list filtered as the menu item says. */
const listLink = (filter: Record<string, unknown>) =>
  `/cases?${new URLSearchParams({
    filter: JSON.stringify(filter),
    sort: 'createdAt',
    order: 'DESC',
  })}`

/** How many open cases match `filter` (the list's Content-Range total), kept current by live events. */
const useLiveCount = (filter: Record<string, unknown>, enabled = true): number | undefined => {
  const { total, refetch } = useGetList<Case>(
    'cases',
    { filter, pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'DESC' } },
    { enabled },
  )
  const again = useDebounced(() => void refetch(), COUNT_DEBOUNCE_MS)
  useLiveEvent(again, CASE_EVENT_TYPES)
  useLiveReload(again)
  return total
}

/** The name cut short when the sidebar is narrow; the count always shows. */
const Label = ({ text, count, label }: { text: string; count: number | undefined; label: string }) => (
  <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, width: '100%', minWidth: 0 }}>
    <Box
      component="span"
      title={text}
      sx={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
    >
      {text}
    </Box>
    {count !== undefined && <Chip size="small" label={count} aria-label={label} sx={{ flexShrink: 0 }} />}
  </Box>
)

const MyCasesItem = () => {
  const translate = useTranslate()
  const { identity } = useGetIdentity()
  const filter = { assigneeId: identity?.id, status: OPEN_STATUSES }
  const count = useLiveCount(filter, identity !== undefined)
  const text = translate('workspace.myCases')
  return (
    <Menu.Item
      to={listLink(filter)}
      leftIcon={<PersonIcon />}
      primaryText={
        <Label text={text} count={count} label={translate('workspace.count', { smart_count: count ?? 0 })} />
      }
      aria-label={`${text}: ${count ?? ''}`}
    />
  )
}

const QueueItem = ({ id, name }: { id: number; name: string }) => {
  const translate = useTranslate()
  const filter = { queueId: id, status: OPEN_STATUSES }
  const count = useLiveCount(filter)
  return (
    <Menu.Item
      to={listLink(filter)}
      leftIcon={<InboxIcon />}
      primaryText={
        <Label text={name} count={count} label={translate('workspace.count', { smart_count: count ?? 0 })} />
      }
      aria-label={`${name}: ${count ?? ''}`}
    />
  )
}

/**
 * The operator's workspace in the menu: their own open cases and the queues they
 * serve, each with how many open cases it holds, counted live.
 */
export const QueueMenu = () => {
  const { queues } = useServedQueues()
  return (
    <>
      <MyCasesItem />
      {queues.map((q) => (
        <QueueItem key={q.id} id={q.id} name={q.name} />
      ))}
    </>
  )
}
