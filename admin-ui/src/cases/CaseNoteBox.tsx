import { Box, Button, TextField } from '@mui/material'
import { useState } from 'react'
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import type { Case } from '../types.ts'

/** An internal note (never shown to the citizen); `@handle` mentions a colleague. */
export const CaseNoteBox = () => {
  const record = useRecordContext<Case>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const [text, setText] = useState('')
  const [pending, setPending] = useState(false)
  if (!record) return null

  const add = async () => {
    setPending(true)
    try {
      await dataProvider.addCaseNote(record.id, text.trim())
      setText('')
      notify('case.note.added', { type: 'success' })
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, alignItems: 'flex-start' }}>
      <TextField
        id="case-note-text"
        label={translate('case.note.label')}
        helperText={translate('case.note.help')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        multiline
        minRows={2}
        fullWidth
        slotProps={{ htmlInput: { maxLength: 10000 } }}
      />
      <Button variant="contained" size="small" disabled={pending || !text.trim()} onClick={add}>
        {translate('case.note.add')}
      </Button>
    </Box>
  )
}
