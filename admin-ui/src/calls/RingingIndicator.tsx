import RingingIcon from '@mui/icons-material/RingVolume'
import { Badge, IconButton, Tooltip } from '@mui/material'
import { useState } from 'react'
import { useTranslate } from 'react-admin'
import { useFollowQueues, useLiveEvent } from '../realtime/useRealtime.ts'
import type { Call } from '../types.ts'
import { useServedQueues } from '../workspace/useServedQueues.ts'

const callOf = (data: Record<string, unknown>): Call | undefined =>
  typeof data.call === 'object' && data.call !== null ? (data.call as Call) : undefined

/**
 * Calls ringing now on the queues the signed-in person serves (the queue channels it
 * follows), as a small indicator in the app bar; each call leaves it when answered or ended.
 */
export const RingingIndicator = () => {
  const translate = useTranslate()
  const { queues } = useServedQueues()
  useFollowQueues(queues.map((q) => q.id))
  const [ringing, setRinging] = useState<ReadonlyMap<number, Call>>(new Map())

  useLiveEvent(
    (event) => {
      const call = callOf(event.data)
      if (!call) return
      setRinging((prev) => {
        const next = new Map(prev)
        if (event.type === 'call.ringing' && call.state === 'ringing') next.set(call.id, call)
        else next.delete(call.id)
        return next
      })
    },
    ['call.ringing', 'call.answered', 'call.ended'],
  )

  if (ringing.size === 0) return null
  const calls = [...ringing.values()]
  const label = translate('calls.ringing', { smart_count: calls.length })
  const detail = calls
    .map((c) => [c.remoteNumber ?? c.from, c.queueName].filter(Boolean).join(' · '))
    .join('\n')
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{`${label}\n${detail}`}</span>}>
      <IconButton color="inherit" aria-label={label}>
        <Badge badgeContent={calls.length} color="warning">
          <RingingIcon />
        </Badge>
      </IconButton>
    </Tooltip>
  )
}
