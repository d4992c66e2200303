import {
  Alert,
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@mui/material'
import { useEffect, useState } from 'react'
import { useLocaleState, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin'
import type { Case } from '../types.ts'
import { type CannedReplyView, replyApi } from './replyApi.ts'

/** Channels a reply can leave by: email from the case's mailbox, or a notification (IO, else email). */
type ReplyChannel = 'email' | 'notification'

const MAIL_CHANNELS = new Set(['email', 'pec'])

/**
 * The reply to the citizen: the channel, a canned reply filled in for this case, the
 * text. It goes through POST /cases/:id/replies; the API answers a case that came by
 * email by email (from its mailbox, threaded) and any other one as a notification (IO
 * when the citizen is reachable there, else email). The timeline shows it with its
 * delivery state. Attachments are not sent with replies: the API takes text only.
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
      })
      setText('')
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
        if (text.trim() && !pending) void send()
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
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <Button type="submit" variant="contained" size="small" disabled={pending || closed || !text.trim()}>
          {translate('reply.send')}
        </Button>
        <Typography variant="caption" color="text.secondary">
          {translate('reply.attachmentsHelp')}
        </Typography>
      </Box>
    </Box>
  )
}
