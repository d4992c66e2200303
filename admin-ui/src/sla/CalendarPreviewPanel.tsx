import { Alert, Box, Button, List, ListItem, ListItemText, Paper, TextField, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import { type Identifier, useDataProvider, useLocaleState, useNotify, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime } from '../fields/format.ts'
import { intlLocale } from '../i18n/index.ts'
import type { CalendarPreview } from '../types.ts'
import { formatDuration } from './duration.ts'
import { romeNowLocal, romeToIso } from './romeTime.ts'

/** A closure's date (`2026-04-06`) with its weekday, as people read it: "lunedì 6 aprile". */
const formatDay = (date: string, locale: string): string => {
  const [y, m, d] = date.split('-').map(Number)
  return new Intl.DateTimeFormat(intlLocale(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1)))
}

/**
 * What the saved calendar means, computed by the server: the closures of a year
 * (national holidays, Easter Monday, local closures) and a deadline so many
 * business minutes after a moment. `version` refreshes it after each save.
 */
export const CalendarPreviewPanel = ({ id, version }: { id: Identifier; version: number }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const notify = useNotify()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [year, setYear] = useState(new Date().getFullYear())
  const [preview, setPreview] = useState<CalendarPreview>()
  const [from, setFrom] = useState(romeNowLocal())
  const [hours, setHours] = useState(9)
  const [minutes, setMinutes] = useState(0)
  const [deadline, setDeadline] = useState<CalendarPreview['deadline']>()

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version (a save) means new closures
  useEffect(() => {
    if (year < 2000 || year > 2100) return
    let live = true
    dataProvider
      .previewCalendar(id, { year })
      .then((p) => live && setPreview(p))
      .catch((err: Error) => notify(err.message, { type: 'error' }))
    return () => {
      live = false
    }
  }, [dataProvider, id, year, version, notify])

  // A deadline already shown is computed again on the saved calendar after each save.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new version recomputes it
  useEffect(() => {
    if (deadline) void compute()
  }, [version])

  const compute = async () => {
    const iso = romeToIso(from)
    if (!iso) return
    try {
      const p = await dataProvider.previewCalendar(id, { year, from: iso, minutes: hours * 60 + minutes })
      setDeadline(p.deadline)
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' })
    }
  }

  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={translate('sla.preview.title')}
      sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}
    >
      <Box>
        <Typography variant="h6" component="h2">
          {translate('sla.preview.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate('sla.preview.help')}
        </Typography>
      </Box>

      <Box>
        <Typography variant="subtitle1" component="h3">
          {translate('sla.preview.deadline')}
        </Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', mt: 1 }}>
          <TextField
            type="datetime-local"
            size="small"
            label={translate('sla.preview.from')}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            type="number"
            size="small"
            label={translate('sla.hours')}
            value={hours}
            onChange={(e) => setHours(Math.max(0, Number(e.target.value) || 0))}
            slotProps={{ htmlInput: { min: 0 } }}
            sx={{ width: 100 }}
          />
          <TextField
            type="number"
            size="small"
            label={translate('sla.minutes')}
            value={minutes}
            onChange={(e) => setMinutes(Math.max(0, Number(e.target.value) || 0))}
            slotProps={{ htmlInput: { min: 0 } }}
            sx={{ width: 100 }}
          />
          <Button variant="outlined" onClick={() => void compute()}>
            {translate('sla.preview.compute')}
          </Button>
        </Box>
        {deadline && (
          <Alert severity="info" role="status" sx={{ mt: 1 }}>
            {translate('sla.preview.result', {
              duration: formatDuration(translate, locale, deadline.minutes),
              from: formatDateTime(deadline.from, locale),
              dueAt: formatDateTime(deadline.dueAt, locale),
            })}
          </Alert>
        )}
      </Box>

      <Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Typography variant="subtitle1" component="h3">
            {translate('sla.preview.closures', { year })}
          </Typography>
          <TextField
            type="number"
            size="small"
            label={translate('sla.preview.year')}
            value={year}
            onChange={(e) => setYear(Number(e.target.value) || new Date().getFullYear())}
            slotProps={{ htmlInput: { min: 2000, max: 2100 } }}
            sx={{ width: 110 }}
          />
        </Box>
        {preview && preview.year === year && (
          <List dense aria-label={translate('sla.preview.closures', { year })}>
            {preview.closures.length === 0 && <ListItem>{translate('sla.preview.noClosures')}</ListItem>}
            {preview.closures.map((c) => (
              <ListItem key={`${c.date}-${c.name}`} disableGutters>
                <ListItemText primary={`${formatDay(c.date, locale)} — ${c.name}`} />
              </ListItem>
            ))}
          </List>
        )}
      </Box>
    </Paper>
  )
}
