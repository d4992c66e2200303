import AttachIcon from '@mui/icons-material/AttachFileOutlined'
import {
  Alert,
  Box,
  Button,
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@mui/material'
import { type ChangeEvent, useEffect, useRef, useState } from 'react'
import {
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatSize } from '../fields/format.ts'
import { useRelated } from '../fields/useRelated.ts'
import type { Attachment, Case } from '../types.ts'
import { type CannedReplyView, replyApi } from './replyApi.ts'

/** The API's limits on a reply's files (MAX_REPLY_ATTACHMENTS, MAX_REPLY_ATTACHMENT_BYTES): said before sending. */
const MAX_FILES = 10
const MAX_BYTES = 20 * 1024 * 1024

/** Channels a reply can leave by: email from the case's mailbox, or a notification (IO, else email). */
type ReplyChannel = 'email' | 'notification'

const MAIL_CHANNELS = new Set(['email', 'pec'])

/**
 * The reply to the citizen: the channel, a canned reply filled in for this case, the
 * text. It goes through POST /cases/:id/replies; the API answers a case that came by
 * email by email (from its mailbox, threaded) and any other one as a notification (IO
 * when the citizen is reachable there, else email). The timeline shows it with its
 * delivery state. Files go with it: chosen among the case's attachments, or uploaded
 * here (to the case first, then chosen); by email they are attached, on IO the citizen
 * downloads them from the status page.
 */
export const CaseReplyBox = () => {
  const record = useRecordContext<Case>()
  const translate = useTranslate()
  const notify = useNotify()
  const refresh = useRefresh()
  const [locale = 'it'] = useLocaleState()
  const [canned, setCanned] = useState<CannedReplyView[]>([])
  const [cannedId, setCannedId] = useState<number | ''>('')
  const [text, setText] = useState('')
  const [to, setTo] = useState('')
  const [missing, setMissing] = useState<string[]>([])
  const [pending, setPending] = useState(false)
  const [chosen, setChosen] = useState<number[]>([])
  const [uploading, setUploading] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const dataProvider = useDataProvider<FiloDataProvider>()
  const { data: caseFiles } = useRelated<Attachment>('case-attachments', 'caseId', record?.id)

  useEffect(() => {
    let current = true
    replyApi.cannedReplies(locale).then(
      (rows) => current && setCanned(rows),
      () => current && setCanned([]),
    )
    return () => {
      current = false
    }
  }, [locale])

  if (!record) return null
  const channel: ReplyChannel = MAIL_CHANNELS.has(record.channel) ? 'email' : 'notification'
  const closed = Boolean(record.mergedIntoId)
  // A file removed from the case meanwhile drops out of the reply.
  const files = chosen
    .map((id) => caseFiles.find((f) => f.id === id))
    .filter((f): f is Attachment => f !== undefined)
  const totalBytes = files.reduce((sum, f) => sum + f.sizeBytes, 0)
  const overLimit = files.length > MAX_FILES || totalBytes > MAX_BYTES

  const uploadAndAttach = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = [...(event.target.files ?? [])]
    event.target.value = ''
    if (picked.length === 0) return
    setUploading(true)
    try {
      const added = await dataProvider.uploadCaseAttachments(record.id, picked)
      setChosen((current) => [...current, ...added.map((a) => a.id).filter((id) => !current.includes(id))])
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setUploading(false)
    }
  }

  const insertCanned = async (id: number | '') => {
    setCannedId(id)
    if (id === '') return
    try {
      const filled = await replyApi.renderCanned(id, Number(record.id))
      setText((current) => (current.trim() ? `${current.trimEnd()}\n\n${filled.text}` : filled.text))
      setMissing(filled.missing)
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    }
  }

  const send = async () => {
    setPending(true)
    try {
      await replyApi.send(Number(record.id), {
        text: text.trim(),
        ...(channel === 'email' && to.trim() ? { to: to.trim() } : {}),
        ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}),
      })
      setText('')
      setChosen([])
      setCannedId('')
      setMissing([])
      notify('reply.sent', { type: 'success' })
      refresh()
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <Box
      component="form"
      aria-label={translate('reply.title')}
      onSubmit={(e) => {
        e.preventDefault()
        if (text.trim() && !pending && !uploading && !overLimit) void send()
      }}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}
    >
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <FormControl size="small" sx={{ minWidth: 220 }}>
          <InputLabel id="reply-channel-label">{translate('reply.channel')}</InputLabel>
          <Select
            labelId="reply-channel-label"
            id="reply-channel"
            label={translate('reply.channel')}
            value={channel}
            readOnly
          >
            <MenuItem value="email">{translate('reply.channels.email')}</MenuItem>
            <MenuItem value="notification">{translate('reply.channels.notification')}</MenuItem>
          </Select>
        </FormControl>
        <FormControl size="small" sx={{ minWidth: 280 }}>
          <InputLabel id="reply-canned-label">{translate('reply.canned')}</InputLabel>
          <Select
            labelId="reply-canned-label"
            id="reply-canned"
            label={translate('reply.canned')}
            value={cannedId === '' ? '' : String(cannedId)}
            onChange={(e) => {
              const value = String(e.target.value)
              void insertCanned(value === '' ? '' : Number(value))
            }}
          >
            <MenuItem value="">
              <em>{translate('reply.noCanned')}</em>
            </MenuItem>
            {canned.map((c) => (
              <MenuItem key={c.id} value={String(c.id)}>
                {c.title} ({c.language.toUpperCase()})
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        {channel === 'email' && (
          <TextField
            size="small"
            type="email"
            id="reply-to"
            label={translate('reply.to')}
            helperText={translate('reply.toHelp')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            sx={{ minWidth: 260 }}
          />
        )}
      </Box>
      <Typography variant="caption" color="text.secondary">
        {translate(channel === 'email' ? 'reply.channelHelp.email' : 'reply.channelHelp.notification')}
      </Typography>
      {missing.length > 0 && (
        <Alert severity="warning">
          {translate('reply.missing', { variables: missing.map((v) => `{{${v}}}`).join(', ') })}
        </Alert>
      )}
      <TextField
        id="reply-text"
        label={translate('reply.text')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        multiline
        minRows={4}
        fullWidth
        disabled={closed}
        slotProps={{ htmlInput: { maxLength: 50000 } }}
      />
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', flexWrap: 'wrap' }}>
        <FormControl size="small" sx={{ minWidth: 280 }} disabled={closed}>
          <InputLabel id="reply-attachments-label">{translate('reply.attachFromCase')}</InputLabel>
          <Select
            labelId="reply-attachments-label"
            id="reply-attachments"
            label={translate('reply.attachFromCase')}
            multiple
            value={files.map((f) => String(f.id))}
            onChange={(e) => {
              const value = e.target.value
              setChosen((typeof value === 'string' ? value.split(',') : value).map(Number))
            }}
            renderValue={(selected) => translate('reply.attachedCount', { smart_count: selected.length })}
          >
            {caseFiles.length === 0 && (
              <MenuItem disabled value="">
                <em>{translate('case.attachments.empty')}</em>
              </MenuItem>
            )}
            {caseFiles.map((f) => (
              <MenuItem key={f.id} value={String(f.id)}>
                {f.filename} ({formatSize(f.sizeBytes, locale)})
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={uploadAndAttach}
          data-testid="reply-attachment-input"
        />
        <Button
          size="small"
          variant="outlined"
          startIcon={<AttachIcon />}
          disabled={closed || uploading}
          onClick={() => input.current?.click()}
        >
          {translate('reply.uploadAndAttach')}
        </Button>
      </Box>
      {files.length > 0 && (
        <Box
          sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}
          role="list"
          aria-label={translate('reply.attachments')}
        >
          {files.map((f) => (
            <Chip
              key={f.id}
              role="listitem"
              size="small"
              icon={<AttachIcon />}
              label={`${f.filename} (${formatSize(f.sizeBytes, locale)})`}
              onDelete={() => setChosen((current) => current.filter((id) => id !== f.id))}
            />
          ))}
          <Typography variant="caption" color="text.secondary">
            {translate('reply.attachmentsTotal', { size: formatSize(totalBytes, locale) })}
          </Typography>
        </Box>
      )}
      {overLimit && (
        <Alert severity="warning">
          {translate('reply.attachmentsOverLimit', { max: MAX_FILES, mb: MAX_BYTES / (1024 * 1024) })}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <Button
          type="submit"
          variant="contained"
          size="small"
          disabled={pending || uploading || closed || overLimit || !text.trim()}
        >
          {translate('reply.send')}
        </Button>
        <Typography variant="caption" color="text.secondary">
          {translate(
            channel === 'email' ? 'reply.attachmentsHelp.email' : 'reply.attachmentsHelp.notification',
          )}
        </Typography>
      </Box>
    </Box>
  )
}
