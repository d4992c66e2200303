import { Alert, Box, Chip, LinearProgress, Paper, TextField, Typography } from '@mui/material'
import { Fragment, type ReactNode, useEffect, useState } from 'react'
import { useRecordContext, useTranslate } from 'react-admin'
import { notificationApi, type PreviewBody, type PreviewView, type TemplateView } from './notificationApi.ts'

/** Long enough for a pause in typing, short enough to feel live. */
const PREVIEW_DEBOUNCE_MS = 400

export type TemplateValues = Pick<TemplateView, 'subject' | 'markdown' | 'emailHtml' | 'emailText'>

const Part = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box component="section" aria-label={title}>
    <Typography variant="subtitle2" component="h3" color="text.secondary">
      {title}
    </Typography>
    {children}
  </Box>
)

const Text = ({ children, testId }: { children: string; testId: string }) => (
  <Typography
    variant="body2"
    component="div"
    data-testid={testId}
    sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: 'monospace', fontSize: 13 }}
  >
    {children}
  </Typography>
)

/**
 * What the citizen would receive with the template as it is being edited, rendered
 * by the server (IO's limits applied, values escaped) with sample values or a real
 * case's. The email's HTML is shown in a sandboxed frame: no script, no same origin.
 */
export const TemplatePreviewPanel = ({ values }: { values: Partial<TemplateValues> }) => {
  const translate = useTranslate()
  const record = useRecordContext<TemplateView>()
  const [caseId, setCaseId] = useState('')
  const [preview, setPreview] = useState<PreviewView>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(false)

  const trigger = record?.trigger
  const language = record?.language
  const { subject, markdown, emailHtml, emailText } = values
  const caseNumber = /^\d+$/.test(caseId.trim()) ? Number(caseId.trim()) : undefined

  useEffect(() => {
    if (!trigger || !language) return
    let live = true
    // Blank fields are the form's to refuse; the preview shows the stored text for them meanwhile.
    const edited = Object.fromEntries(
      Object.entries({ subject, markdown, emailHtml, emailText }).filter(
        ([, v]) => typeof v === 'string' && v.trim() !== '',
      ),
    )
    const body: PreviewBody = { trigger, language, ...edited, ...(caseNumber ? { caseId: caseNumber } : {}) }
    const timer = setTimeout(() => {
      setLoading(true)
      notificationApi
        .preview(body)
        .then((p) => {
          if (!live) return
          setPreview(p)
          setError(undefined)
        })
        .catch((err: Error) => live && setError(err.message))
        .finally(() => live && setLoading(false))
    }, PREVIEW_DEBOUNCE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [trigger, language, subject, markdown, emailHtml, emailText, caseNumber])

  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={translate('notification.preview.title')}
      sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}
    >
      <Box>
        <Typography variant="h6" component="h2">
          {translate('notification.preview.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate('notification.preview.help')}
        </Typography>
      </Box>
      <TextField
        label={translate('notification.preview.caseId')}
        helperText={translate('notification.preview.caseIdHelp')}
        value={caseId}
        onChange={(e) => setCaseId(e.target.value)}
        size="small"
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        sx={{ maxWidth: 320 }}
      />
      <Box sx={{ height: 4 }}>{loading && <LinearProgress />}</Box>
      {error && <Alert severity="error">{error}</Alert>}
      {preview && (
        <>
          <Part title={translate('notification.preview.values')}>
            <Box
              component="dl"
              sx={{
                m: 0,
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 2,
                rowGap: 0.5,
              }}
            >
              {Object.entries(preview.variables).map(([name, value]) => (
                <Fragment key={name}>
                  <Typography component="dt" variant="body2" sx={{ fontFamily: 'monospace' }}>
                    {`{{${name}}}`}
                  </Typography>
                  <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
                    {value || '—'}
                  </Typography>
                </Fragment>
              ))}
            </Box>
          </Part>
          <Typography variant="subtitle1" component="h3">
            {translate('notification.preview.io')}
          </Typography>
          <Part title={translate('notification.preview.subject')}>
            <Text testId="preview-io-subject">{preview.io.subject}</Text>
          </Part>
          <Part title={translate('notification.preview.markdown')}>
            <Text testId="preview-io-markdown">{preview.io.markdown}</Text>
          </Part>
          {preview.io.adjusted.length > 0 && (
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
              <Typography variant="body2">{translate('notification.preview.adjusted')}:</Typography>
              {preview.io.adjusted.map((a) => (
                <Chip
                  key={a}
                  size="small"
                  color="warning"
                  variant="outlined"
                  label={translate(`notification.adjusted.${a}`, { _: a })}
                />
              ))}
            </Box>
          )}
          <Typography variant="subtitle1" component="h3">
            {translate('notification.preview.email')}
          </Typography>
          <Part title={translate('notification.preview.subject')}>
            <Text testId="preview-email-subject">{preview.email.subject}</Text>
          </Part>
          <Part title={translate('notification.preview.html')}>
            <Box
              component="iframe"
              title={translate('notification.preview.html')}
              sandbox=""
              srcDoc={preview.email.html}
              sx={{ width: '100%', height: 260, border: 1, borderColor: 'divider', bgcolor: 'white' }}
            />
          </Part>
          <Part title={translate('notification.preview.text')}>
            <Text testId="preview-email-text">{preview.email.text}</Text>
          </Part>
        </>
      )}
    </Paper>
  )
}
