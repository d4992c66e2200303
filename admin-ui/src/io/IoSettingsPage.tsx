import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material'
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react'
import { Title, useDataProvider, useLocaleState, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDuration, formatNumber } from '../fields/format.ts'
import { detailsGrid } from '../layout/ShowSection.tsx'
import type { IoCheck, IoSettings } from '../types.ts'

/** IO's FiscalCode pattern (the API checks it too): the button waits for a code IO would accept. */
const FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/

const Setting = ({ label, children }: { label: string; children: ReactNode }) => {
  const translate = useTranslate()
  return (
    <Box>
      <Typography variant="body2" color="text.secondary">
        {translate(label)}
      </Typography>
      <Typography variant="body1" component="div" sx={{ wordBreak: 'break-all' }}>
        {children}
      </Typography>
    </Box>
  )
}

const Panel = ({ title, children }: { title: string; children: ReactNode }) => {
  const translate = useTranslate()
  const id = useId()
  return (
    <Card variant="outlined" component="section" aria-labelledby={id}>
      <CardContent>
        <Typography variant="h6" component="h2" id={id} sx={{ mb: 1 }}>
          {translate(title)}
        </Typography>
        {children}
      </CardContent>
    </Card>
  )
}

/** Notifications created in the last 24 hours and 7 days, by channel and state. */
const Deliveries = ({ counts }: { counts: IoSettings['counts'] }) => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  if (counts.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('ioSettings.noDeliveries')}
      </Typography>
    )
  return (
    <Table size="small" aria-label={translate('ioSettings.deliveries')}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('ioSettings.channel')}</TableCell>
          <TableCell>{translate('ioSettings.state')}</TableCell>
          <TableCell align="right">{translate('ioSettings.lastDay')}</TableCell>
          <TableCell align="right">{translate('ioSettings.lastWeek')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {counts.map((c) => (
          <TableRow key={`${c.channel}-${c.state}`}>
            <TableCell>{translate(`notification.channel.${c.channel}`)}</TableCell>
            <TableCell>{translate(`notification.state.${c.state}`)}</TableCell>
            <TableCell align="right">{formatNumber(c.lastDay, locale)}</TableCell>
            <TableCell align="right">{formatNumber(c.lastWeek, locale)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

const CheckResult = ({ result }: { result: IoCheck }) => {
  const translate = useTranslate()
  const severity = result.senderAllowed ? 'success' : result.outcome === 'forbidden' ? 'warning' : 'info'
  return (
    <Alert severity={severity} role="status" sx={{ mt: 2 }}>
      <Typography variant="body2" sx={{ fontWeight: 'bold' }}>
        {translate(`ioSettings.outcome.${result.outcome}`, { fiscalCode: result.fiscalCode })}
      </Typography>
      <Typography variant="body2">{result.message}</Typography>
      {result.preferredLanguages.length > 0 && (
        <Typography variant="body2">
          {translate('ioSettings.preferredLanguages', { languages: result.preferredLanguages.join(', ') })}
        </Typography>
      )}
    </Alert>
  )
}

/** The live check: IO asked now about one fiscal code (audited by the API). */
const ConnectionCheck = ({ configured }: { configured: boolean }) => {
  const translate = useTranslate()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [fiscalCode, setFiscalCode] = useState('')
  const [pending, setPending] = useState(false)
  const [result, setResult] = useState<IoCheck>()
  const [error, setError] = useState<string>()
  const valid = FISCAL_CODE.test(fiscalCode)
  const run = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid) return
    setPending(true)
    setResult(undefined)
    setError(undefined)
    try {
      setResult(await dataProvider.checkIo(fiscalCode))
    } catch (err) {
      setError(err instanceof Error ? err.message : 'ra.notification.http_error')
    } finally {
      setPending(false)
    }
  }
  return (
    <Panel title="ioSettings.check">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('ioSettings.checkHelp')}
      </Typography>
      <Box component="form" onSubmit={run} sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}>
        <TextField
          label={translate('ioSettings.fiscalCode')}
          value={fiscalCode}
          onChange={(e) => setFiscalCode(e.target.value.toUpperCase().replace(/\s/g, ''))}
          // Room for a code pasted with spaces: they are taken out as it is typed.
          slotProps={{ htmlInput: { maxLength: 32, autoComplete: 'off', spellCheck: false } }}
          error={fiscalCode.length >= 16 && !valid}
          helperText={translate(
            fiscalCode.length >= 16 && !valid ? 'ioSettings.fiscalCodeInvalid' : 'ioSettings.fiscalCodeHelp',
          )}
          size="small"
          sx={{ minWidth: 280 }}
        />
        <Button type="submit" variant="contained" disabled={!configured || !valid || pending}>
          {translate('ioSettings.run')}
        </Button>
      </Box>
      {!configured && (
        <Alert severity="info" sx={{ mt: 2 }}>
          {translate('ioSettings.checkNeedsKey')}
        </Alert>
      )}
      {error && (
        <Alert severity="error" role="alert" sx={{ mt: 2 }}>
          {translate(error, { _: error })}
        </Alert>
      )}
      {result && <CheckResult result={result} />}
    </Panel>
  )
}

/**
 * How citizens are notified, for admins: IO and the email sender as the deployment's
 * environment sets them (read only here; IO's key shown by its last 4 characters),
 * recent deliveries, and a live check of IO for a fiscal code.
 */
export const IoSettingsPage = () => {
  const translate = useTranslate()
  const [locale] = useLocaleState()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [settings, setSettings] = useState<IoSettings>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    dataProvider
      .getIoSettings()
      .then(setSettings, (err: unknown) =>
        setError(err instanceof Error ? err.message : 'ra.notification.http_error'),
      )
  }, [dataProvider])

  const duration = (ms: number) => formatDuration(ms, locale)
  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title={translate('ioSettings.title')} />
      {error && <Alert severity="error">{translate(error, { _: error })}</Alert>}
      {settings && (
        <>
          <Alert severity="info">{translate('ioSettings.fromEnvironment')}</Alert>
          <Panel title="ioSettings.io">
            <Box sx={detailsGrid}>
              <Setting label="ioSettings.status">
                <Chip
                  size="small"
                  color={settings.io.configured ? 'success' : 'default'}
                  label={translate(
                    settings.io.configured ? 'ioSettings.configured' : 'ioSettings.notConfigured',
                  )}
                />
              </Setting>
              <Setting label="ioSettings.apiUrl">{settings.io.apiUrl}</Setting>
              <Setting label="ioSettings.key">
                {settings.io.keyHint
                  ? translate('ioSettings.keyHint', { hint: settings.io.keyHint })
                  : translate('ioSettings.noKey')}
              </Setting>
              <Setting label="ioSettings.profileCache">
                {duration(settings.io.profileCacheSeconds * 1000)}
              </Setting>
              <Setting label="ioSettings.statusPoll">
                {duration(settings.io.statusPollSeconds * 1000)}
              </Setting>
            </Box>
          </Panel>
          <Panel title="ioSettings.email">
            <Box sx={detailsGrid}>
              <Setting label="ioSettings.smtpUrl">
                {settings.email.smtpUrl ?? translate('ioSettings.noSmtp')}
              </Setting>
              <Setting label="ioSettings.from">{settings.email.from}</Setting>
            </Box>
          </Panel>
          <Panel title="ioSettings.delivery">
            <Box sx={detailsGrid}>
              <Setting label="ioSettings.digest">{duration(settings.delivery.digestSeconds * 1000)}</Setting>
              <Setting label="ioSettings.maxAttempts">
                {formatNumber(settings.delivery.maxAttempts, locale)}
              </Setting>
              <Setting label="ioSettings.retryBase">{duration(settings.delivery.retryBaseMs)}</Setting>
            </Box>
          </Panel>
          <Panel title="ioSettings.deliveries">
            <Deliveries counts={settings.counts} />
          </Panel>
          <ConnectionCheck configured={settings.io.configured} />
        </>
      )}
    </Box>
  )
}
