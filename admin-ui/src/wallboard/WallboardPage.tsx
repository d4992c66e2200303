import {
  Alert,
  Box,
  Card,
  CardContent,
  Chip,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useCallback, useEffect, useState } from 'react'
import { Title, useDataProvider, useLocaleState, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime } from '../fields/format.ts'
import { intlLocale } from '../i18n/index.ts'
import { CASE_EVENT_TYPES, useDebounced, useLiveEvent, useLiveReload } from '../realtime/useRealtime.ts'
import { PRESENCE_STATES, type Wallboard } from '../types.ts'

/** Figures are read again at most this often while things change, and at least this often when quiet. */
const REFETCH_DEBOUNCE_MS = 3000
const REFETCH_EVERY_MS = 60_000

/** Seconds as m:ss, or h:mm:ss past an hour. */
export const formatWait = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

const Tile = ({
  label,
  value,
  tone,
  href,
}: {
  label: string
  value: string
  tone?: 'warning' | 'error'
  href?: string
}) => (
  <Card variant="outlined" role="group" aria-label={label} sx={{ minWidth: 170, flex: '1 1 170px' }}>
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography
        variant="h3"
        component="p"
        data-figure
        color={tone ? `${tone}.main` : undefined}
        sx={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {href ? (
          <Link href={href} underline="hover" color="inherit">
            {value}
          </Link>
        ) : (
          value
        )}
      </Typography>
    </CardContent>
  </Card>
)

/** The longest wait ticks on between readings, from the last reading's figure. */
const useTickingWait = (board: Wallboard | undefined): number => {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!board?.calls.waiting) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [board])
  if (!board || board.calls.waiting === 0) return 0
  return board.calls.longestWaitSeconds + Math.max(0, (now - Date.parse(board.at)) / 1000)
}

const caseListHref = (filter: Record<string, unknown>) =>
  `#/cases?${new URLSearchParams({ filter: JSON.stringify(filter) })}`

/**
 * The call centre's wallboard: calls waiting and the longest wait, today's calls,
 * open and unassigned cases per queue, SLAs at risk and breached, agents by state.
 * GET /api/v1/wallboard, read again on live events (call figures arrive with the
 * `wallboard` event itself).
 */
export const WallboardPage = () => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [board, setBoard] = useState<Wallboard>()
  const [error, setError] = useState<string>()
  const number = (n: number) => new Intl.NumberFormat(intlLocale(locale)).format(n)

  const load = useCallback(async () => {
    try {
      setBoard(await dataProvider.getWallboard())
      setError(undefined)
    } catch (err) {
      setError(err instanceof Error ? err.message : 'ra.notification.http_error')
    }
  }, [dataProvider])

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFETCH_EVERY_MS)
    return () => clearInterval(timer)
  }, [load])

  const again = useDebounced(() => void load(), REFETCH_DEBOUNCE_MS)
  useLiveEvent(
    (event) => {
      const calls = event.data.calls
      if (event.type === 'wallboard' && typeof calls === 'object' && calls !== null) {
        // The call figures come with the event: shown at once, the rest read again.
        setBoard((prev) => prev && { ...prev, at: event.at, calls: calls as Wallboard['calls'] })
      }
      again()
    },
    ['wallboard', 'presence', 'call.ringing', 'call.answered', 'call.ended', ...CASE_EVENT_TYPES],
  )
  useLiveReload(again)
  const longest = useTickingWait(board)

  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title={translate('wallboard.title')} />
      {error && <Alert severity="error">{translate(error, { _: error })}</Alert>}
      {board && (
        <>
          <Typography variant="body2" color="text.secondary" role="status">
            {translate('wallboard.updatedAt', { time: formatDateTime(board.at, locale) })}
          </Typography>
          <Box component="section" aria-label={translate('wallboard.calls')}>
            <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
              {translate('wallboard.calls')}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
              <Tile
                label={translate('wallboard.waiting')}
                value={number(board.calls.waiting)}
                tone={board.calls.waiting > 0 ? 'warning' : undefined}
              />
              <Tile label={translate('wallboard.longestWait')} value={formatWait(longest)} />
              <Tile label={translate('wallboard.active')} value={number(board.calls.active)} />
              <Tile label={translate('wallboard.today.inbound')} value={number(board.calls.today.inbound)} />
              <Tile
                label={translate('wallboard.today.answered')}
                value={number(board.calls.today.answered)}
              />
              <Tile
                label={translate('wallboard.today.missed')}
                value={number(board.calls.today.missed + board.calls.today.abandoned)}
              />
              <Tile
                label={translate('wallboard.today.averageWait')}
                value={
                  board.calls.today.averageWaitSeconds === null
                    ? '—'
                    : formatWait(board.calls.today.averageWaitSeconds)
                }
              />
            </Box>
          </Box>
          <Box component="section" aria-label={translate('wallboard.sla')}>
            <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
              {translate('wallboard.sla')}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
              <Tile
                label={translate('wallboard.atRisk')}
                value={number(board.sla.atRisk)}
                tone={board.sla.atRisk > 0 ? 'warning' : undefined}
                href={caseListHref({ slaState: 'at_risk' })}
              />
              <Tile
                label={translate('wallboard.breached')}
                value={number(board.sla.breached)}
                tone={board.sla.breached > 0 ? 'error' : undefined}
                href={caseListHref({ slaState: 'breached' })}
              />
            </Box>
            {!board.sla.exact && (
              <Typography variant="caption" color="text.secondary">
                {translate('wallboard.estimate')}
              </Typography>
            )}
          </Box>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'flex-start' }}>
            <Card variant="outlined" sx={{ flex: '2 1 480px' }}>
              <CardContent>
                <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
                  {translate('wallboard.queues')}
                </Typography>
                <Table size="small" aria-label={translate('wallboard.queues')}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{translate('wallboard.queue')}</TableCell>
                      <TableCell align="right">{translate('wallboard.open')}</TableCell>
                      <TableCell align="right">{translate('wallboard.unassigned')}</TableCell>
                      <TableCell align="right">{translate('wallboard.callsWaiting')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {board.queues.map((q) => (
                      <TableRow key={q.queueId}>
                        <TableCell>
                          <Link href={caseListHref({ queueId: q.queueId })} underline="hover" color="inherit">
                            {q.name}
                          </Link>
                        </TableCell>
                        <TableCell align="right">{number(q.open)}</TableCell>
                        <TableCell align="right">{number(q.unassigned)}</TableCell>
                        <TableCell align="right">{number(q.callsWaiting)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
            <Card variant="outlined" sx={{ flex: '1 1 320px' }}>
              <CardContent>
                <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
                  {translate('wallboard.agents')}
                </Typography>
                <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 1 }}>
                  {PRESENCE_STATES.map((s) => (
                    <Chip
                      key={s}
                      size="small"
                      label={`${translate(`presence.state.${s}`)}: ${number(board.agents.byState[s] ?? 0)}`}
                    />
                  ))}
                </Box>
                <Table size="small" aria-label={translate('wallboard.agents')}>
                  <TableBody>
                    {board.agents.list.map((a) => (
                      <TableRow key={a.id}>
                        <TableCell>{a.fullName}</TableCell>
                        <TableCell>
                          {translate(`presence.state.${a.state}`)}
                          {a.onCallId !== null && ` · ${translate('wallboard.onCall')}`}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          </Box>
        </>
      )}
    </Box>
  )
}
