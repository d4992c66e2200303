import AddIcon from '@mui/icons-material/AddCircleOutlineOutlined'
import RemoveIcon from '@mui/icons-material/RemoveCircleOutlineOutlined'
import { Box, FormHelperText, FormLabel, IconButton, TextField, Tooltip, Typography } from '@mui/material'
import { useInput, useLocaleState, useTranslate } from 'react-admin'
import {
  CALENDAR_WEEKDAYS,
  type CalendarInterval,
  type CalendarSettings,
  type CalendarWeekday,
} from '../types.ts'
import { formatDuration } from './duration.ts'

type WeeklyHours = CalendarSettings['weeklyHours']

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** Problems of one interval of a day (i18n keys), or none. */
const intervalProblem = (
  interval: CalendarInterval,
  day: readonly CalendarInterval[],
): string | undefined => {
  if (!TIME.test(interval.from) || !TIME.test(interval.to) || interval.from === '24:00')
    return 'sla.calendar.badTime'
  if (minutesOf(interval.to) <= minutesOf(interval.from)) return 'sla.calendar.toAfterFrom'
  const overlaps = day.some(
    (other) =>
      other !== interval &&
      TIME.test(other.from) &&
      TIME.test(other.to) &&
      minutesOf(other.from) < minutesOf(interval.to) &&
      minutesOf(interval.from) < minutesOf(other.to),
  )
  return overlaps ? 'sla.calendar.overlap' : undefined
}

const validateWeek = (value: unknown): string | undefined => {
  const week = value as WeeklyHours | undefined
  if (!week) return 'ra.validation.required'
  for (const day of CALENDAR_WEEKDAYS) {
    for (const interval of week[day] ?? []) {
      const problem = intervalProblem(interval, week[day] ?? [])
      if (problem) return problem
    }
  }
  return undefined
}

const EMPTY_WEEK: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }

/** Business minutes a week: what the targets of a policy are measured in. */
export const weeklyMinutes = (week: WeeklyHours | undefined): number =>
  CALENDAR_WEEKDAYS.reduce(
    (sum, day) =>
      sum +
      (week?.[day] ?? []).reduce(
        (s, i) =>
          TIME.test(i.from) && TIME.test(i.to) ? s + Math.max(0, minutesOf(i.to) - minutesOf(i.from)) : s,
        0,
      ),
    0,
  )

/**
 * Opening hours per weekday: a row per day with its intervals (several for split
 * shifts), each added and removed in place; a day without intervals is closed.
 */
export const WeeklyHoursInput = ({ source }: { source: string }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const { field, fieldState } = useInput({ source, validate: validateWeek, defaultValue: EMPTY_WEEK })
  const week: WeeklyHours = { ...EMPTY_WEEK, ...(field.value as WeeklyHours | undefined) }
  const setDay = (day: CalendarWeekday, intervals: CalendarInterval[]) =>
    field.onChange({ ...week, [day]: intervals })
  const error = fieldState.error?.message

  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2, width: '100%' }}>
      <FormLabel component="legend" error={Boolean(error)}>
        {translate('resources.business-calendars.fields.settings.weeklyHours')}
      </FormLabel>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1, maxWidth: 720 }}>
        {translate('sla.calendar.weeklyHoursHelp')}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: '120px 1fr', rowGap: 1, alignItems: 'center' }}>
        {CALENDAR_WEEKDAYS.map((day) => {
          const dayName = translate(`sla.weekday.${day}`)
          const intervals = week[day] ?? []
          return (
            <Box key={day} role="group" aria-label={dayName} sx={{ display: 'contents' }}>
              <Typography variant="body2" sx={{ fontWeight: 500 }}>
                {dayName}
              </Typography>
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center' }}>
                {intervals.length === 0 && (
                  <Typography variant="body2" color="text.secondary">
                    {translate('sla.calendar.closed')}
                  </Typography>
                )}
                {intervals.map((interval, i) => {
                  const problem = intervalProblem(interval, intervals)
                  const change = (key: 'from' | 'to', value: string) =>
                    setDay(
                      day,
                      intervals.map((it, j) => (j === i ? { ...it, [key]: value } : it)),
                    )
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity but their place
                    <Box key={i} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
                      {(['from', 'to'] as const).map((key) => (
                        <TextField
                          key={key}
                          size="small"
                          value={interval[key]}
                          placeholder="08:30"
                          error={Boolean(problem)}
                          onChange={(e) => change(key, e.target.value.trim())}
                          onBlur={field.onBlur}
                          label={translate(`sla.calendar.${key}`)}
                          slotProps={{
                            htmlInput: {
                              'aria-label': `${dayName}: ${translate(`sla.calendar.${key}`)} (${i + 1})`,
                              inputMode: 'numeric',
                              maxLength: 5,
                            },
                          }}
                          sx={{ width: 92 }}
                        />
                      ))}
                      <Tooltip
                        title={translate('sla.calendar.removeInterval', {
                          day: dayName,
                          from: interval.from,
                          to: interval.to,
                        })}
                      >
                        <IconButton
                          size="small"
                          aria-label={translate('sla.calendar.removeInterval', {
                            day: dayName,
                            from: interval.from,
                            to: interval.to,
                          })}
                          onClick={() =>
                            setDay(
                              day,
                              intervals.filter((_, j) => j !== i),
                            )
                          }
                        >
                          <RemoveIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                      {problem && (
                        <FormHelperText error sx={{ alignSelf: 'center', m: 0 }}>
                          {translate(problem)}
                        </FormHelperText>
                      )}
                    </Box>
                  )
                })}
                <Tooltip title={translate('sla.calendar.addInterval', { day: dayName })}>
                  <IconButton
                    size="small"
                    color="primary"
                    aria-label={translate('sla.calendar.addInterval', { day: dayName })}
                    onClick={() => setDay(day, [...intervals, { from: '', to: '' }])}
                  >
                    <AddIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
              </Box>
            </Box>
          )
        })}
      </Box>
      <Typography variant="body2" sx={{ mt: 1 }}>
        {translate('sla.calendar.weeklyTotal', {
          duration: formatDuration(translate, locale, weeklyMinutes(week)),
        })}
      </Typography>
      {error && <FormHelperText error>{translate(error)}</FormHelperText>}
    </Box>
  )
}
