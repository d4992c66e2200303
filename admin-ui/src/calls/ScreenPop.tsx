import PhoneIcon from '@mui/icons-material/PhoneInTalkOutlined'
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItemButton,
  ListItemText,
  Radio,
  RadioGroup,
  Typography,
} from '@mui/material'
import { useState } from 'react'
import { useDataProvider, useLocaleState, useNotify, useRedirect, useTranslate } from 'react-admin'
import type { FiloDataProvider } from '../dataProvider.ts'
import { formatDateTime } from '../fields/format.ts'
import { useLiveEvent } from '../realtime/useRealtime.ts'
import type { Contact, ScreenPop as ScreenPopData } from '../types.ts'

const isScreenPop = (data: Record<string, unknown>): data is ScreenPopData & Record<string, unknown> =>
  typeof data.call === 'object' &&
  data.call !== null &&
  typeof data.recognition === 'string' &&
  Array.isArray(data.openCases)

const Heading = ({ children }: { children: string }) => (
  <Typography variant="subtitle2" component="h3" sx={{ mt: 2, mb: 0.5 }}>
    {children}
  </Typography>
)

/** Who is calling: name, codice fiscale or partita IVA, phones and emails. */
const ContactCard = ({ contact }: { contact: Contact }) => {
  const translate = useTranslate()
  const redirect = useRedirect()
  const details = [
    contact.fiscalCode ?? contact.vatNumber,
    contact.phones.map((p) => p.phone).join(', '),
    contact.emails.map((e) => e.email).join(', '),
  ].filter(Boolean)
  return (
    <Box
      role="group"
      aria-label={translate('screenPop.contact')}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}
    >
      <Typography variant="h6" component="p">
        {contact.displayName}
      </Typography>
      {details.map((d) => (
        <Typography key={d} variant="body2" color="text.secondary">
          {d}
        </Typography>
      ))}
      <Button size="small" sx={{ mt: 1, px: 0 }} onClick={() => redirect('show', 'contacts', contact.id)}>
        {translate('screenPop.openContact')}
      </Button>
    </Box>
  )
}

/**
 * The incoming call's screen-pop: when the PBX says the signed-in operator answered,
 * the caller's card (or the contacts the number may belong to), their open cases and
 * last interactions, and "new case from this call" in one click — the case opens
 * linked to the call and to the caller.
 */
export const ScreenPopDialog = () => {
  const translate = useTranslate()
  const notify = useNotify()
  const redirect = useRedirect()
  const [locale] = useLocaleState()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const [pop, setPop] = useState<ScreenPopData>()
  const [contactId, setContactId] = useState<number | null>(null)
  const [pending, setPending] = useState(false)
  const [ended, setEnded] = useState(false)

  useLiveEvent(
    (event) => {
      if (!isScreenPop(event.data)) return
      setPop(event.data)
      setEnded(false)
      setContactId(event.data.contact?.id ?? event.data.candidates[0]?.id ?? null)
    },
    ['call.screen_pop'],
  )
  // The caller hung up: the card stays, so the case can still be opened from the call.
  useLiveEvent(
    (event) => {
      const call = event.data.call
      if (pop && typeof call === 'object' && call !== null && (call as { id?: unknown }).id === pop.call.id)
        setEnded(true)
    },
    ['call.ended'],
  )

  if (!pop) return null
  const { call } = pop
  const number = call.remoteNumber ?? call.from
  const close = () => setPop(undefined)
  const openCase = (id: number) => {
    close()
    redirect('show', 'cases', id)
  }

  const createCase = async () => {
    setPending(true)
    try {
      const result = await dataProvider.createCaseFromCall(call.id, {
        ...(pop.recognition === 'probable' && contactId !== null ? { contactId } : {}),
      })
      notify(result.created ? 'screenPop.caseCreated' : 'screenPop.caseExisting', {
        type: 'success',
        messageArgs: { number: result.case.number },
      })
      openCase(result.case.id)
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }

  return (
    <Dialog open onClose={close} fullWidth maxWidth="md" aria-labelledby="screen-pop-title">
      <DialogTitle id="screen-pop-title" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <PhoneIcon color="primary" />
        {translate('screenPop.title', { number: number || translate('screenPop.anonymous') })}
        <Chip
          size="small"
          color={
            pop.recognition === 'known' ? 'success' : pop.recognition === 'probable' ? 'warning' : 'default'
          }
          label={translate(`screenPop.recognition.${pop.recognition}`, {
            smart_count: pop.candidates.length,
          })}
        />
      </DialogTitle>
      <DialogContent dividers>
        {ended && <Chip size="small" label={translate('screenPop.ended')} sx={{ mb: 1 }} />}
        {call.queueName && (
          <Typography variant="body2" color="text.secondary">
            {translate('screenPop.queue', { queue: call.queueName })}
          </Typography>
        )}
        {pop.contact && <ContactCard contact={pop.contact} />}
        {pop.recognition === 'probable' && (
          <>
            <Heading>{translate('screenPop.candidates')}</Heading>
            <RadioGroup
              aria-label={translate('screenPop.candidates')}
              value={contactId === null ? '' : String(contactId)}
              onChange={(e) => setContactId(Number(e.target.value))}
            >
              {pop.candidates.map((c) => (
                <FormControlLabel
                  key={c.id}
                  value={String(c.id)}
                  control={<Radio size="small" />}
                  label={[c.displayName, c.fiscalCode ?? c.vatNumber, c.email].filter(Boolean).join(' · ')}
                />
              ))}
            </RadioGroup>
          </>
        )}
        {pop.recognition === 'unknown' && (
          <Typography variant="body2">{translate('screenPop.unknownHelp')}</Typography>
        )}
        <Heading>{translate('screenPop.openCases', { smart_count: pop.openCases.length })}</Heading>
        {pop.openCases.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate('screenPop.noOpenCases')}
          </Typography>
        ) : (
          <List dense disablePadding aria-label={translate('screenPop.openCases', { smart_count: 2 })}>
            {pop.openCases.map((c) => (
              <ListItemButton key={c.id} onClick={() => openCase(c.id)}>
                <ListItemText
                  primary={`${c.number} — ${c.subject}`}
                  secondary={`${translate(`case.status.${c.status}`)} · ${formatDateTime(c.updatedAt, locale)}`}
                />
              </ListItemButton>
            ))}
          </List>
        )}
        <Heading>{translate('screenPop.lastInteractions')}</Heading>
        {pop.lastInteractions.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate('screenPop.noInteractions')}
          </Typography>
        ) : (
          <List dense disablePadding>
            {pop.lastInteractions.map((i) => (
              <ListItemButton
                key={`${i.kind}-${i.at}-${i.caseId ?? ''}`}
                disabled={i.caseId === null}
                onClick={() => i.caseId !== null && openCase(i.caseId)}
              >
                <ListItemText
                  primary={[
                    translate(`case.channel.${i.channel}`, { _: i.channel }),
                    translate(`screenPop.direction.${i.direction}`, { _: i.direction }),
                    i.kind === 'call'
                      ? translate(`screenPop.outcome.${i.summary}`, { _: i.summary })
                      : i.summary,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                  secondary={[formatDateTime(i.at, locale), i.caseNumber].filter(Boolean).join(' — ')}
                />
              </ListItemButton>
            ))}
          </List>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{translate('ra.action.close')}</Button>
        <Button
          variant="contained"
          disabled={pending || (pop.recognition === 'probable' && contactId === null)}
          onClick={() => void createCase()}
        >
          {translate(call.caseId ? 'screenPop.openCallCase' : 'screenPop.newCase')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
