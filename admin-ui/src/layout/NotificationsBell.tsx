import NotificationsIcon from '@mui/icons-material/NotificationsOutlined'
import {
  Badge,
  Box,
  Button,
  Divider,
  IconButton,
  List,
  ListItem,
  ListItemButton,
  ListItemText,
  Popover,
  Tooltip,
  Typography,
} from '@mui/material'
import { useCallback, useEffect, useState } from 'react'
import { useDataProvider, useLocaleState, useNotify, useRedirect, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime } from '../fields/format.ts'
import { useLiveEvent, useLiveReload } from '../realtime/useRealtime.ts'
import type { StaffNotification } from '../types.ts'

/** News arrive live; the bell still asks now and then, in case the live connection missed some. */
const POLL_MS = 5 * 60_000

/** Notifications that also pop up for a few seconds when they arrive. */
const TOASTED = new Set(['sla_warning', 'sla_breach'])

/** What a notification is about, in a line under its title. */
const useDescribe = () => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  return (n: StaffNotification): string => {
    const data = n.data
    if ((n.kind === 'sla_warning' || n.kind === 'sla_breach') && typeof data.target === 'string') {
      const target = translate(`caseEvent.data.target.${data.target}`, { _: data.target })
      return typeof data.dueAt === 'string'
        ? translate('inbox.due', { target, date: formatDateTime(data.dueAt, locale) })
        : target
    }
    if (n.kind === 'message_received' && typeof data.channel === 'string') {
      const via = translate('inbox.viaChannel', { channel: translate(`case.channel.${data.channel}`) })
      return typeof data.subject === 'string' && data.subject ? `${data.subject} (${via})` : via
    }
    return ''
  }
}

/**
 * The bell in the app bar: how many notifications are unread (pushed live),
 * and the list of them, each opening its case; mark one or all read.
 */
export const NotificationsBell = () => {
  const translate = useTranslate()
  const notify = useNotify()
  const redirect = useRedirect()
  const [locale] = useLocaleState()
  const describe = useDescribe()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [rows, setRows] = useState<StaffNotification[]>([])
  const [unread, setUnread] = useState(0)
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)

  const load = useCallback(async (): Promise<StaffNotification[]> => {
    try {
      const inbox = await dataProvider.getMyNotifications()
      setRows(inbox.rows)
      setUnread(inbox.unread)
      return inbox.rows
    } catch {
      // A missed poll is retried at the next one.
      return []
    }
  }, [dataProvider])

  // A notification for me: the bell reads its list again, and SLA trouble pops up.
  useLiveEvent(
    (event) => {
      void load().then((fresh) => {
        const n = fresh.find((r) => r.id === event.data.id)
        if (!n || n.readAt || !TOASTED.has(n.kind)) return
        const what = translate(`inbox.kind.${n.kind}`, { _: n.kind })
        notify([what, n.caseNumber, n.caseSubject].filter(Boolean).join(' · '), {
          type: n.kind === 'sla_breach' ? 'error' : 'warning',
          autoHideDuration: 8000,
        })
      })
    },
    ['notification'],
  )
  useLiveReload(() => void load())

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), POLL_MS)
    return () => clearInterval(timer)
  }, [load])

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work()
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' })
    }
    await load()
  }

  const open = (n: StaffNotification) => {
    setAnchor(null)
    if (!n.readAt) void act(() => dataProvider.markNotificationRead(n.id))
    if (n.caseId !== null) redirect('show', 'cases', n.caseId)
  }

  const label = translate('inbox.button', { smart_count: unread })
  return (
    <>
      <Tooltip title={label}>
        <IconButton
          color="inherit"
          aria-label={label}
          onClick={(e) => {
            setAnchor(e.currentTarget)
            void load()
          }}
        >
          <Badge badgeContent={unread} color="error" max={99}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 420, maxHeight: 520 } } }}
      >
        <Box
          role="dialog"
          aria-label={translate('inbox.title')}
          sx={{ display: 'flex', flexDirection: 'column' }}
        >
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', px: 2, py: 1 }}>
            <Typography variant="subtitle1" component="h2">
              {translate('inbox.title')}
            </Typography>
            <Button
              size="small"
              disabled={unread === 0}
              onClick={() => void act(() => dataProvider.markAllNotificationsRead())}
            >
              {translate('inbox.markAllRead')}
            </Button>
          </Box>
          <Divider />
          {rows.length === 0 ? (
            <Typography variant="body2" sx={{ p: 2 }}>
              {translate('inbox.empty')}
            </Typography>
          ) : (
            <List dense disablePadding>
              {rows.map((n) => (
                <ListItem
                  key={n.id}
                  disablePadding
                  secondaryAction={
                    !n.readAt && (
                      <Button
                        size="small"
                        onClick={() => void act(() => dataProvider.markNotificationRead(n.id))}
                      >
                        {translate('inbox.markRead')}
                      </Button>
                    )
                  }
                  sx={{ bgcolor: n.readAt ? undefined : 'action.hover' }}
                >
                  <ListItemButton onClick={() => open(n)} sx={{ pr: n.readAt ? 2 : 14 }}>
                    <ListItemText
                      primary={`${translate(`inbox.kind.${n.kind}`, { _: n.kind })}${n.caseNumber ? ` · ${n.caseNumber}` : ''}`}
                      secondary={[n.caseSubject, describe(n), formatDateTime(n.createdAt, locale)]
                        .filter(Boolean)
                        .join(' — ')}
                      slotProps={{ primary: { sx: { fontWeight: n.readAt ? 400 : 600 } } }}
                    />
                  </ListItemButton>
                </ListItem>
              ))}
            </List>
          )}
        </Box>
      </Popover>
    </>
  )
}
