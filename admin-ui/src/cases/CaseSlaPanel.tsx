import { Box, Paper, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import {
  ReferenceField,
  TextField,
  useLocaleState,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { formatDateTime } from '../fields/format.ts'
import { canReadSla } from '../layout/permissions.ts'
import { formatSpan } from '../sla/duration.ts'
import { SlaStateChip } from '../sla/SlaChip.tsx'
import { type Clock, clocksOf } from '../sla/slaClock.ts'
import type { Case } from '../types.ts'

/** The wall clock, ticking every 30 seconds: enough for countdowns shown in minutes. */
const useNow = (everyMs = 30_000): number => {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}

const ClockCard = ({ clock, now, pausedAt }: { clock: Clock; now: number; pausedAt: string | null }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const label = translate(
    clock.target === 'first_response' ? 'sla.clock.firstResponse' : 'sla.clock.resolution',
  )
  const left = new Date(clock.dueAt).getTime() - now
  let detail: string
  if (clock.metAt) {
    detail = translate(clock.target === 'first_response' ? 'sla.clock.responded' : 'sla.clock.resolved', {
      date: formatDateTime(clock.metAt, locale),
    })
  } else if (clock.state === 'paused' && pausedAt) {
    detail = translate('sla.clock.paused', { date: formatDateTime(pausedAt, locale) })
  } else {
    detail = translate(left >= 0 ? 'sla.clock.dueIn' : 'sla.clock.overdueBy', {
      time: formatSpan(left, locale),
    })
  }
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={label}
      sx={{
        p: 1.5,
        display: 'flex',
        flexDirection: 'column',
        gap: 0.5,
        borderLeftWidth: 4,
        borderLeftColor: (theme) =>
          clock.state === 'breached'
            ? theme.palette.error.main
            : clock.state === 'at_risk' || clock.state === 'late'
              ? theme.palette.warning.main
              : clock.state === 'paused'
                ? theme.palette.grey[500]
                : theme.palette.success.main,
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, justifyContent: 'space-between' }}>
        <Typography variant="subtitle2" component="h3">
          {label}
        </Typography>
        <SlaStateChip state={clock.state} />
      </Box>
      <Typography variant="body1" sx={{ fontWeight: 500 }}>
        {detail}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('sla.clock.dueAt', { date: formatDateTime(clock.dueAt, locale) })}
        {clock.warnAt &&
          !clock.metAt &&
          ` · ${translate('sla.clock.warnAt', { date: formatDateTime(clock.warnAt, locale) })}`}
      </Typography>
    </Paper>
  )
}

/**
 * The case's SLA: a card per clock with its deadline, how long is left (or how
 * late it is) on the wall clock, and its state — on time, at risk past the
 * warning, breached, paused while waiting for the citizen, or met.
 */
export const CaseSlaPanel = () => {
  const record = useRecordContext<Case>()
  const translate = useTranslate()
  const { permissions } = usePermissions<string>()
  const now = useNow()
  if (!record) return null
  const clocks = clocksOf(record, now)
  if (record.slaPolicyId === null || clocks.length === 0) {
    return <Typography variant="body2">{translate('sla.clock.none')}</Typography>
  }
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {canReadSla(permissions) && (
        <Typography variant="body2">
          {translate('resources.cases.fields.slaPolicyId')}:{' '}
          <ReferenceField source="slaPolicyId" reference="sla-policies" link="show">
            <TextField source="name" />
          </ReferenceField>
        </Typography>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: 2 }}>
        {clocks.map((clock) => (
          <ClockCard key={clock.target} clock={clock} now={now} pausedAt={record.slaPausedAt} />
        ))}
      </Box>
      <Typography variant="caption" color="text.secondary">
        {translate('sla.clock.wallClock')}
      </Typography>
    </Box>
  )
}
