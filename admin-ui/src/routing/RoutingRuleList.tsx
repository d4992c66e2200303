import { Alert, TextField as MuiTextField, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import {
  BooleanField,
  CreateButton,
  Datagrid,
  List,
  NumberField,
  TextField,
  TopToolbar,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUpdate,
} from 'react-admin'
import { canAdminister } from '../layout/permissions.ts'
import { RuleTester } from './RuleTester.tsx'
import type { RoutingRule } from './ruleForm.ts'
import { useActionsSummary, useConditionsSummary } from './useRuleSummary.ts'

/** The rule's conditions and actions in one line a person reads. */
const RuleSummaryField = (_props: { label?: string }) => {
  const rule = useRecordContext<RoutingRule>()
  const when = useConditionsSummary(rule?.conditions)
  const then = useActionsSummary(rule?.actions)
  const translate = useTranslate()
  return rule ? (
    <Typography variant="body2" component="span">
      {when} {translate('routing.summary.arrow')} {then}
    </Typography>
  ) : null
}

/**
 * The rule's order, edited in place: a new number is saved when the field is left
 * (or on Enter) with the version read, and the list is read again in its new order.
 */
const PositionInput = (_props: { label?: string }) => {
  const rule = useRecordContext<RoutingRule>()
  const translate = useTranslate()
  const notify = useNotify()
  const refresh = useRefresh()
  const [update, { isPending }] = useUpdate()
  const [value, setValue] = useState(String(rule?.position ?? ''))
  useEffect(() => setValue(String(rule?.position ?? '')), [rule?.position])
  if (!rule) return null
  const save = () => {
    const position = Number(value)
    if (value.trim() === '' || !Number.isInteger(position) || position < 0 || position > 1_000_000) {
      setValue(String(rule.position))
      return
    }
    if (position === rule.position) return
    update(
      'routing-rules',
      { id: rule.id, data: { position }, previousData: rule },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          notify('routing.position.saved', { messageArgs: { name: rule.name } })
          refresh()
        },
        onError: (error) => {
          notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
          setValue(String(rule.position))
          refresh()
        },
      },
    )
  }
  return (
    <MuiTextField
      size="small"
      type="number"
      value={value}
      disabled={isPending}
      onChange={(e) => setValue(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur()
      }}
      // The row opens the rule when clicked; the order is edited without leaving the list.
      onClick={(e) => e.stopPropagation()}
      slotProps={{
        htmlInput: {
          min: 0,
          max: 1_000_000,
          step: 10,
          'aria-label': translate('routing.position.label', { name: rule.name }),
        },
      }}
      sx={{ width: 100 }}
    />
  )
}

const Actions = () => (
  <TopToolbar>
    <CreateButton />
  </TopToolbar>
)

/**
 * Routing rules in the order they are tried, each summarised in one line, and the
 * rule tester below. Administrators edit (the order right in the list); supervisors read.
 */
export const RoutingRuleList = () => {
  const { permissions } = usePermissions<string>()
  const translate = useTranslate()
  const admin = canAdminister(permissions)
  return (
    <>
      <List
        exporter={false}
        sort={{ field: 'position', order: 'ASC' }}
        perPage={200}
        pagination={false}
        actions={admin ? <Actions /> : false}
      >
        {!admin && (
          <Alert severity="info" sx={{ m: 1 }}>
            {translate('routing.readOnly')}
          </Alert>
        )}
        <Datagrid rowClick={admin ? 'edit' : false} bulkActionButtons={false}>
          {admin ? (
            <PositionInput label="resources.routing-rules.fields.position" />
          ) : (
            <NumberField source="position" sortable={false} />
          )}
          <TextField source="name" sortable={false} />
          <BooleanField source="enabled" sortable={false} />
          <RuleSummaryField label="resources.routing-rules.fields.summary" />
        </Datagrid>
      </List>
      <RuleTester />
    </>
  )
}
