import { Box, Button } from '@mui/material'
import {
  AutocompleteInput,
  Form,
  type Identifier,
  ReferenceInput,
  SelectInput,
  useGetIdentity,
  useGetList,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUpdate,
} from 'react-admin'
import { useCategoryName } from '../categories/useCategoryName.ts'
import type { Case, Queue, User } from '../types.ts'
import { priorityChoices } from './caseChoices.ts'

type TriageField = 'priority' | 'categoryId' | 'officeId' | 'assigneeId'

const userName = (user: User) => user.fullName

/**
 * Triage in place: priority, category, office and assignee change as soon as they are
 * chosen, each saved alone with the version on screen. When someone else changed the
 * case first the API refuses (409), the operator is told, and the page shows the case
 * as it now is. Assignees are offered from the case's office when it has one.
 *
 * Sending a case to another office also moves it into that office's queue (as the
 * default routing would have), unless it already waits in a queue of that office.
 */
export const CaseQuickActions = () => {
  const record = useRecordContext<Case>()
  const categoryName = useCategoryName()
  const { identity } = useGetIdentity()
  const [update, { isPending }] = useUpdate<Case>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const { data: queues } = useGetList<Queue>('queues', {
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'name', order: 'ASC' },
    filter: { active: true },
  })
  if (!record || record.mergedIntoId) return null

  /** The queue a case sent to `officeId` should wait in, when its current one is not that office's. */
  const queueFor = (officeId: Identifier | null): Partial<Case> => {
    const current = queues?.find((q) => q.id === record.queueId)
    if (officeId === null || current?.officeId === officeId) return {}
    const target = queues?.find((q) => q.officeId === officeId)
    return target ? { queueId: Number(target.id) } : {}
  }

  const save = (field: TriageField, value: Identifier | string | null | undefined) => {
    const next = value === '' || value === undefined ? null : value
    if (next === (record[field] ?? null)) return
    const data: Partial<Case> = { [field]: next, ...(field === 'officeId' ? queueFor(next) : {}) }
    update(
      'cases',
      { id: record.id, data, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () =>
          notify('case.quick.saved', {
            type: 'success',
            messageArgs: { field: translate(`resources.cases.fields.${field}`) },
          }),
        onError: (error) => {
          notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
          refresh()
        },
      },
    )
  }

  const mine = identity?.id !== undefined && record.assigneeId === Number(identity.id)
  return (
    // Re-mounted on every version: what shows is always the case as last read.
    <Form key={record.version} record={record} noValidate>
      <Box
        role="group"
        aria-label={translate('case.quick.title')}
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}
      >
        <SelectInput
          source="priority"
          choices={priorityChoices}
          disabled={isPending}
          helperText={false}
          fullWidth={false}
          sx={{ minWidth: 140 }}
          onChange={(event) => save('priority', event.target.value)}
        />
        <ReferenceInput source="categoryId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
          <AutocompleteInput
            optionText={categoryName}
            disabled={isPending}
            helperText={false}
            sx={{ width: 300 }}
            onChange={(value) => save('categoryId', value)}
          />
        </ReferenceInput>
        <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput
            optionText="name"
            disabled={isPending}
            helperText={false}
            fullWidth={false}
            sx={{ minWidth: 220 }}
            onChange={(event) => save('officeId', event.target.value)}
          />
        </ReferenceInput>
        <ReferenceInput
          source="assigneeId"
          reference="users"
          sort={{ field: 'fullName', order: 'ASC' }}
          filter={{ active: true, ...(record.officeId ? { officeId: record.officeId } : {}) }}
        >
          <AutocompleteInput
            optionText={userName}
            disabled={isPending}
            helperText={false}
            sx={{ width: 240 }}
            onChange={(value) => save('assigneeId', value)}
          />
        </ReferenceInput>
        {identity && !mine && (
          <Button
            id="case-assign-to-me"
            variant="outlined"
            disabled={isPending}
            onClick={() => save('assigneeId', Number(identity.id))}
          >
            {translate('case.quick.assignToMe')}
          </Button>
        )}
      </Box>
    </Form>
  )
}
