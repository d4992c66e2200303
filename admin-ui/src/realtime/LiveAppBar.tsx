import LiveIcon from '@mui/icons-material/Sensors'
import OfflineIcon from '@mui/icons-material/SensorsOff'
import { Box, Tooltip } from '@mui/material'
import { useGetIdentity, useNotify, useTranslate } from 'react-admin'
import { useLiveEvent, useRealtimeStatus } from './useRealtime.ts'

/** Whether the console is receiving live updates, as an icon in the app bar. */
export const LiveStatusIndicator = () => {
  const translate = useTranslate()
  const status = useRealtimeStatus()
  const label = translate(`live.status.${status}`)
  return (
    <Tooltip title={label}>
      <Box
        role="status"
        aria-label={label}
        data-live-status={status}
        sx={{ display: 'flex', alignItems: 'center', px: 1, opacity: status === 'live' ? 0.8 : 1 }}
      >
        {status === 'live' ? <LiveIcon fontSize="small" /> : <OfflineIcon fontSize="small" color="warning" />}
      </Box>
    </Tooltip>
  )
}

/** A note that mentions the signed-in person pops up for a few seconds, whoever wrote it. */
export const MentionToasts = () => {
  const translate = useTranslate()
  const notify = useNotify()
  const { identity } = useGetIdentity()
  useLiveEvent(
    (event) => {
      const { kind, mentions, actorId, actorName, number } = event.data
      if (kind !== 'note' || !identity || actorId === identity.id) return
      if (!Array.isArray(mentions) || !mentions.includes(Number(identity.id))) return
      notify(
        translate('live.mentioned', {
          name: typeof actorName === 'string' ? actorName : translate('app.system'),
          case: typeof number === 'string' ? number : '',
        }),
        { type: 'info', autoHideDuration: 8000 },
      )
    },
    ['case.updated'],
  )
  return null
}
