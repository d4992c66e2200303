import {
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Button as MuiButton,
  Radio,
  RadioGroup,
  TextField,
} from '@mui/material'
import { useState } from 'react'
import {
  Button,
  useGetList,
  useGetMany,
  useListContext,
  useNotify,
  useRefresh,
  useTranslate,
  useUnselectAll,
} from 'react-admin'
import type { Case, Queue, User } from '../types.ts'
import { type BulkReassignResult, replyApi } from './replyApi.ts'

type Target = 'agent' | 'queue'

/**
 * The supervisors' bulk action on the case list: assign the selected cases to an agent
 * or move them to a queue in one call (POST /cases/bulk-reassign). Each case carries
 * the version the list showed; the dialog then says what became of each one.
 */
export const CaseBulkReassignButton = () => {
  const { selectedIds, resource } = useListContext<Case>()
  const translate = useTranslate()
  const notify = useNotify()
  const refresh = useRefresh()
  const unselectAll = useUnselectAll(resource ?? 'cases')
  const [open, setOpen] = useState(false)
  const [target, setTarget] = useState<Target>('agent')
  const [assigneeId, setAssigneeId] = useState<number | ''>('')
  const [queueId, setQueueId] = useState<number | ''>('')
  const [pending, setPending] = useState(false)
  const [result, setResult] = useState<BulkReassignResult | null>(null)
  // The numbers of the cases sent: the selection is cleared once they are all done.
  const [numbers, setNumbers] = useState<Record<number, string>>({})
  const { data: selected = [] } = useGetMany<Case>('cases', { ids: selectedIds }, { enabled: open })
  const { data: agents = [] } = useGetList<User>(
    'users',
    {
      pagination: { page: 1, perPage: 200 },
      sort: { field: 'fullName', order: 'ASC' },
      filter: { active: true },
    },
    { enabled: open },
  )
  const { data: queues = [] } = useGetList<Queue>(
    'queues',
    { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' }, filter: {} },
    { enabled: open },
  )
  const numberOf = (id: number) => numbers[id] ?? `#${id}`
  const chosen = target === 'agent' ? assigneeId : queueId

  const close = () => {
    setOpen(false)
    setResult(null)
  }

  const apply = async () => {
    if (chosen === '') return
    setPending(true)
    setNumbers(Object.fromEntries(selected.map((c) => [Number(c.id), c.number])))
    try {
      const answer = await replyApi.bulkReassign({
        cases: selected.map((c) => ({ id: Number(c.id), version: c.version })),
        ...(target === 'agent' ? { assigneeId: Number(chosen) } : { queueId: Number(chosen) }),
      })
      setResult(answer)
      notify('bulk.summary', {
        type: answer.failed ? 'warning' : 'success',
        messageArgs: { updated: answer.updated, failed: answer.failed, smart_count: answer.updated },
      })
      if (!answer.failed) unselectAll()
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <>
      <Button label="bulk.button" onClick={() => setOpen(true)} />
      <Dialog open={open} onClose={close} aria-labelledby="bulk-reassign-title" fullWidth maxWidth="sm">
        <DialogTitle id="bulk-reassign-title">
          {translate('bulk.title', { smart_count: result ? result.results.length : selectedIds.length })}
        </DialogTitle>
        <DialogContent>
          {result ? (
            <List dense aria-label={translate('bulk.results')}>
              {result.results.map((r) => (
                <ListItem key={r.id}>
                  <ListItemText
                    primary={`${numberOf(r.id)} — ${translate(`bulk.outcome.${r.outcome}`)}`}
                    secondary={r.message ?? undefined}
                  />
                </ListItem>
              ))}
            </List>
          ) : (
            <>
              <RadioGroup row value={target} onChange={(e) => setTarget(e.target.value as Target)}>
                <FormControlLabel value="agent" control={<Radio />} label={translate('bulk.toAgent')} />
                <FormControlLabel value="queue" control={<Radio />} label={translate('bulk.toQueue')} />
              </RadioGroup>
              {target === 'agent' ? (
                <TextField
                  select
                  fullWidth
                  id="bulk-assignee"
                  label={translate('bulk.agent')}
                  value={assigneeId}
                  onChange={(e) => setAssigneeId(Number(e.target.value))}
                >
                  {agents
                    .filter((u) => u.role !== 'field_worker')
                    .map((u) => (
                      <MenuItem key={u.id} value={u.id}>
                        {u.fullName}
                      </MenuItem>
                    ))}
                </TextField>
              ) : (
                <TextField
                  select
                  fullWidth
                  id="bulk-queue"
                  label={translate('bulk.queue')}
                  helperText={translate('bulk.queueHelp')}
                  value={queueId}
                  onChange={(e) => setQueueId(Number(e.target.value))}
                >
                  {queues.map((q) => (
                    <MenuItem key={q.id} value={q.id}>
                      {q.name}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            </>
          )}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>{translate(result ? 'bulk.close' : 'ra.action.cancel')}</MuiButton>
          {!result && (
            <MuiButton
              variant="contained"
              disabled={pending || chosen === '' || selected.length === 0}
              onClick={() => void apply()}
            >
              {translate('bulk.apply')}
            </MuiButton>
          )}
        </DialogActions>
      </Dialog>
    </>
  )
}
