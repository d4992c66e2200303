import {
  Checkbox,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { useEffect, useState } from 'react'
import {
  Button,
  List,
  Loading,
  useGetManyAggregate,
  useListContext,
  useNotify,
  useTranslate,
  useUpdate,
} from 'react-admin'
import { useCategoryName } from '../categories/useCategoryName.ts'
import type { Category } from '../types.ts'
import { type CategorySettingView, NOTIFICATION_TRIGGERS } from './notificationApi.ts'

type Trigger = (typeof NOTIFICATION_TRIGGERS)[number]
/** A category's setting as the console reads it: known by its category. */
type CategorySetting = CategorySettingView & { id: number }

const sameTriggers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t) => b.includes(t))

/** One category: a checkbox per trigger, saved on its own with the version read. */
const SettingRow = ({ setting }: { setting: CategorySetting }) => {
  const translate = useTranslate()
  const notify = useNotify()
  const { refetch } = useListContext<CategorySetting>()
  const [update, { isPending }] = useUpdate<CategorySetting>()
  // The API names the category in Italian: the console's language comes from the category itself
  // (one request for all the rows).
  const categoryName = useCategoryName()
  const { data: categories } = useGetManyAggregate<Category>('categories', { ids: [setting.categoryId] })
  const category = categories?.[0]
  const name = category ? categoryName(category) : setting.categoryName
  const [triggers, setTriggers] = useState<readonly Trigger[]>(setting.triggers)
  // A save (or someone else's, on reload) brings a new version: the row shows what is stored.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new version resets the row
  useEffect(() => setTriggers(setting.triggers), [setting.version])
  const changed = !sameTriggers(triggers, setting.triggers)
  const toggle = (trigger: Trigger, on: boolean) =>
    setTriggers((current) => NOTIFICATION_TRIGGERS.filter((t) => (t === trigger ? on : current.includes(t))))
  const save = () =>
    update(
      'notification-settings',
      { id: setting.id, data: { triggers: [...triggers] }, previousData: setting },
      {
        mutationMode: 'pessimistic',
        onSuccess: () =>
          notify('notification.settings.saved', {
            type: 'success',
            messageArgs: { name },
          }),
        onError: (error) => {
          notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
          void refetch()
        },
      },
    )
  return (
    <TableRow hover aria-label={name}>
      <TableCell component="th" scope="row">
        {name}
      </TableCell>
      {NOTIFICATION_TRIGGERS.map((trigger) => (
        <TableCell key={trigger} padding="checkbox" align="center">
          <Checkbox
            checked={triggers.includes(trigger)}
            onChange={(e) => toggle(trigger, e.target.checked)}
            slotProps={{
              input: {
                'aria-label': translate('notification.settings.checkbox', {
                  trigger: translate(`notification.trigger.${trigger}`),
                  category: name,
                }),
              },
            }}
          />
        </TableCell>
      ))}
      <TableCell>
        <Chip
          size="small"
          variant={setting.custom ? 'filled' : 'outlined'}
          color={setting.custom ? 'primary' : 'default'}
          label={translate(setting.custom ? 'notification.settings.custom' : 'notification.settings.default')}
        />
      </TableCell>
      <TableCell>
        <Button label="ra.action.save" disabled={!changed || isPending} onClick={save} variant="outlined" />
      </TableCell>
    </TableRow>
  )
}

const SettingsTable = () => {
  const translate = useTranslate()
  const { data, isPending } = useListContext<CategorySetting>()
  if (isPending) return <Loading />
  return (
    <TableContainer>
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
        {translate('notification.settings.help')}
      </Typography>
      <Table size="small" aria-label={translate('resources.notification-settings.name', { smart_count: 2 })}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.notification-settings.fields.categoryName')}</TableCell>
            {NOTIFICATION_TRIGGERS.map((trigger) => (
              <TableCell key={trigger} align="center" sx={{ lineHeight: 1.2 }}>
                {translate(`notification.trigger.${trigger}`)}
              </TableCell>
            ))}
            <TableCell>{translate('resources.notification-settings.fields.custom')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(data ?? []).map((setting) => (
            <SettingRow key={setting.id} setting={setting} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  )
}

/** Which changes of a case each category tells the citizen about; a category never set notifies them all. */
export const CategorySettingsList = () => (
  <List exporter={false} pagination={false}>
    <SettingsTable />
  </List>
)
