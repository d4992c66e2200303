import UploadIcon from '@mui/icons-material/UploadFileOutlined'
import {
  Box,
  Button,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material'
import { type ChangeEvent, useRef, useState } from 'react'
import {
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import { attachmentUrl, type FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime, formatSize } from '../fields/format.ts'
import { useRelated } from '../fields/useRelated.ts'
import type { Attachment, Case } from '../types.ts'

/** A case's files: listed with download links, uploaded from the operator's computer. */
export const CaseAttachmentsPanel = () => {
  const record = useRecordContext<Case>()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const notify = useNotify()
  const refresh = useRefresh()
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const input = useRef<HTMLInputElement>(null)
  const [pending, setPending] = useState(false)
  const { data: files, isPending } = useRelated<Attachment>('case-attachments', 'caseId', record?.id)
  if (!record) return null

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = [...(event.target.files ?? [])]
    event.target.value = ''
    if (chosen.length === 0) return
    setPending(true)
    try {
      const added = await dataProvider.uploadCaseAttachments(record.id, chosen)
      notify('case.attachments.uploaded', { type: 'success', messageArgs: { smart_count: added.length } })
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, alignItems: 'flex-start' }}>
      {!isPending && files.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('case.attachments.empty')}
        </Typography>
      ) : (
        <Table size="small" aria-label={translate('case.attachments.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('case.attachments.filename')}</TableCell>
              <TableCell>{translate('case.attachments.size')}</TableCell>
              <TableCell>{translate('case.attachments.uploadedBy')}</TableCell>
              <TableCell>{translate('case.attachments.createdAt')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {files.map((file) => (
              <TableRow key={file.id}>
                <TableCell>
                  <Link href={attachmentUrl(file.id)} download={file.filename}>
                    {file.filename}
                  </Link>
                </TableCell>
                <TableCell>{formatSize(file.sizeBytes, locale)}</TableCell>
                <TableCell>{file.uploadedByName ?? translate('app.system')}</TableCell>
                <TableCell>{formatDateTime(file.createdAt, locale)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!record.mergedIntoId && (
        <>
          <input ref={input} type="file" multiple hidden onChange={upload} data-testid="attachment-input" />
          <Button
            size="small"
            variant="outlined"
            startIcon={<UploadIcon />}
            disabled={pending}
            onClick={() => input.current?.click()}
          >
            {translate('case.attachments.upload')}
          </Button>
        </>
      )}
    </Box>
  )
}
