import MergeIcon from '@mui/icons-material/CallMergeOutlined'
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material'
import { useState } from 'react'
import {
  AutocompleteInput,
  Form,
  ReferenceInput,
  required,
  SaveButton,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
} from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import type { Case } from '../types.ts'

/** A case in a picker: its number and subject. */
export const caseOption = (c: Case) => `${c.number} — ${c.subject}`

/**
 * Merges the case on screen (a duplicate) into `targetId` with the version read, then
 * shows the surviving case; a refusal is told in the server's words. True when merged.
 */
export const useMergeCase = () => {
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const redirect = useRedirect()
  const refresh = useRefresh()
  return async (record: Case, targetId: number): Promise<boolean> => {
    try {
      const target = await dataProvider.mergeCase(record.id, { targetId, version: record.version })
      notify('case.merge.done', { type: 'success', messageArgs: { number: target.number } })
      refresh()
      redirect('show', 'cases', target.id)
      return true
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
      return false
    }
  }
}

/** "Unisci a…": this case is a duplicate; it is closed and its timeline moves to the chosen case. */
export const CaseMergeButton = () => {
  const record = useRecordContext<Case>()
  const merge = useMergeCase()
  const translate = useTranslate()
  const [open, setOpen] = useState(false)
  if (!record || record.mergedIntoId) return null

  const submit = async (values: { targetId?: number }) => {
    if (values.targetId && (await merge(record, values.targetId))) setOpen(false)
  }

  return (
    <>
      <Button size="small" startIcon={<MergeIcon />} onClick={() => setOpen(true)}>
        {translate('case.merge.button')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <Form onSubmit={submit}>
          <DialogTitle>{translate('case.merge.title', { number: record.number })}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>{translate('case.merge.help')}</DialogContentText>
            <ReferenceInput source="targetId" reference="cases" sort={{ field: 'createdAt', order: 'DESC' }}>
              <AutocompleteInput
                label="case.merge.target"
                optionText={caseOption}
                validate={required()}
                fullWidth
              />
            </ReferenceInput>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
            <SaveButton label="case.merge.confirm" icon={<MergeIcon />} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  )
}
