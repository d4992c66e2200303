import CircleIcon from '@mui/icons-material/Circle'
import { Button, ListItemIcon, ListItemText, Menu, MenuItem, Tooltip } from '@mui/material'
import { useEffect, useState } from 'react'
import { useDataProvider, useNotify, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { PRESENCE_STATES, type PresenceState } from '../types.ts'

const COLOR: Record<PresenceState, string> = {
  available: '#2e7d32',
  busy: '#ed6c02',
  away: '#fbc02d',
  offline: '#9e9e9e',
}

const Dot = ({ state }: { state: PresenceState }) => (
  <CircleIcon fontSize="small" sx={{ color: COLOR[state], fontSize: 14 }} />
)

/**
 * The signed-in person's presence in the app bar: queues assign cases only to
 * those who are available. Read on load, changed with PUT /me/presence.
 */
export const PresenceMenu = () => {
  const translate = useTranslate()
  const notify = useNotify()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [state, setState] = useState<PresenceState>()
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)

  useEffect(() => {
    let live = true
    dataProvider
      .getMyPresence()
      .then((p) => live && setState(p.state))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [dataProvider])

  const choose = async (next: PresenceState) => {
    setAnchor(null)
    try {
      const presence = await dataProvider.setMyPresence(next)
      setState(presence.state)
      const stateName = translate(`presence.state.${presence.state}`)
      notify(translate('presence.changed', { state: stateName }), { type: 'info' })
      if (presence.released) notify(translate('presence.released', { smart_count: presence.released }))
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' })
    }
  }

  if (!state) return null
  const label = `${translate('presence.label')}: ${translate(`presence.state.${state}`)}`
  return (
    <>
      <Tooltip title={translate('presence.help')}>
        <Button
          color="inherit"
          aria-label={label}
          aria-haspopup="menu"
          onClick={(e) => setAnchor(e.currentTarget)}
          startIcon={<Dot state={state} />}
          sx={{ textTransform: 'none' }}
        >
          {translate(`presence.state.${state}`)}
        </Button>
      </Tooltip>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {PRESENCE_STATES.map((s) => (
          <MenuItem key={s} selected={s === state} onClick={() => void choose(s)}>
            <ListItemIcon>
              <Dot state={s} />
            </ListItemIcon>
            <ListItemText>{translate(`presence.state.${s}`)}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  )
}
