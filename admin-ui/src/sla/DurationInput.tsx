import { Box, FormHelperText, FormLabel, TextField } from '@mui/material'
import { type InputProps, useInput, useTranslate } from 'react-admin'
import { splitMinutes } from './duration.ts'

const atLeastOneMinute = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 ? undefined : 'sla.hints.duration'

/**
 * A target in business minutes, entered as hours and minutes: the form's value
 * (what the API takes) stays a whole number of minutes.
 */
export const DurationInput = (props: InputProps & { max: number }) => {
  const { max, ...inputProps } = props
  const translate = useTranslate()
  const { field, fieldState, id, isRequired } = useInput({
    ...inputProps,
    validate: [atLeastOneMinute, ...(Array.isArray(props.validate) ? props.validate : [])],
  })
  const total = typeof field.value === 'number' ? field.value : 0
  const { hours, minutes } = splitMinutes(total)
  const set = (h: number, m: number) => {
    const value = Math.min(max, Math.max(0, h) * 60 + Math.max(0, m))
    field.onChange(value)
  }
  const label = translate(
    typeof props.label === 'string' ? props.label : `resources.sla-policies.fields.${props.source}`,
  )
  const error = fieldState.invalid && fieldState.error?.message
  return (
    <Box role="group" aria-labelledby={`${id}-label`} sx={{ mb: 2 }}>
      <FormLabel id={`${id}-label`} error={Boolean(error)} sx={{ display: 'block', mb: 1 }}>
        {label}
        {isRequired && ' *'}
      </FormLabel>
      <Box sx={{ display: 'flex', gap: 1 }}>
        <TextField
          id={id}
          type="number"
          size="small"
          label={translate('sla.hours')}
          value={hours}
          onChange={(e) => set(Number(e.target.value) || 0, minutes)}
          onBlur={field.onBlur}
          slotProps={{ htmlInput: { min: 0, step: 1, 'aria-label': `${label}: ${translate('sla.hours')}` } }}
          sx={{ width: 120 }}
        />
        <TextField
          type="number"
          size="small"
          label={translate('sla.minutes')}
          value={minutes}
          onChange={(e) => set(hours, Number(e.target.value) || 0)}
          onBlur={field.onBlur}
          slotProps={{
            htmlInput: { min: 0, max: 59, step: 1, 'aria-label': `${label}: ${translate('sla.minutes')}` },
          }}
          sx={{ width: 120 }}
        />
      </Box>
      {error && <FormHelperText error>{translate(error)}</FormHelperText>}
    </Box>
  )
}
