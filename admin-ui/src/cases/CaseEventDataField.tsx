import { Typography } from '@mui/material'
import { type TranslateFunction, useRecordContext, useTranslate } from 'react-admin'
import type { CaseEvent } from '../types.ts'

/** Data keys whose values are case enums, and the i18n prefix that names them. */
const ENUM_KEYS: Record<string, string> = {
  status: 'case.status',
  priority: 'case.priority',
  channel: 'case.channel',
}

/** For "x_changed" events, `from`/`to` hold values of the field x. */
const changedField = (kind: string): string | undefined => kind.match(/^(\w+)_changed$/)?.[1]

const formatValue = (
  translate: TranslateFunction,
  value: unknown,
  enumPrefix: string | undefined,
): string => {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return enumPrefix ? translate(`${enumPrefix}.${value}`, { _: value }) : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map((v) => formatValue(translate, v, enumPrefix)).join(', ')
  return JSON.stringify(value)
}

const fieldLabel = (translate: TranslateFunction, key: string): string =>
  translate(`resources.cases.fields.${key}`, { _: key })

/** One line that says what an event's data holds, in the operator's words where we know them. */
export const summariseEventData = (translate: TranslateFunction, event: CaseEvent): string => {
  const data = event.data ?? {}
  const parts: string[] = []
  let entries = Object.entries(data)
  const field = changedField(event.kind)
  if (field && ('from' in data || 'to' in data)) {
    const prefix = ENUM_KEYS[field]
    parts.push(`${formatValue(translate, data.from, prefix)} → ${formatValue(translate, data.to, prefix)}`)
    entries = entries.filter(([key]) => key !== 'from' && key !== 'to')
  }
  for (const [key, value] of entries) {
    parts.push(`${fieldLabel(translate, key)}: ${formatValue(translate, value, ENUM_KEYS[key])}`)
  }
  return parts.join(' · ')
}

/** The data summary of the case event in the current record context. */
export const CaseEventDataField = (_props: { source: 'data'; label?: string }) => {
  const record = useRecordContext<CaseEvent>()
  const translate = useTranslate()
  if (!record) return null
  return (
    <Typography variant="body2" component="span">
      {summariseEventData(translate, record)}
    </Typography>
  )
}
