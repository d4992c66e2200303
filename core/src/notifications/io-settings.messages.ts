import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    io_settings_admin_only: 'Solo gli amministratori vedono e verificano la configurazione di IO.',
    io_not_configured:
      'IO non è configurato: manca IO_API_KEY nell’ambiente del servizio. I cittadini ricevono le notifiche via email.',
    io_check_key_refused:
      'IO ha rifiutato la chiave del servizio ({status}): controlla IO_API_KEY nell’ambiente del servizio.',
    io_check_unreachable: 'IO non risponde all’indirizzo {url}: riprova tra poco o controlla IO_API_URL.',
    io_check_throttled: 'IO chiede di rallentare (429): riprova tra qualche minuto.',
    io_check_failed: 'IO ha risposto con un errore ({status}): riprova tra poco.',
    'io_check.sender_allowed': 'Il cittadino usa l’app IO e può ricevere i messaggi del Comune.',
    'io_check.sender_not_allowed': 'Il cittadino usa l’app IO ma ha disattivato i messaggi del Comune.',
    'io_check.no_profile': 'Questo codice fiscale non ha un profilo su IO: riceverà le notifiche via email.',
    'io_check.forbidden':
      'IO non permette a questo servizio di scrivere a questo codice fiscale (403): se il servizio è in prova, il codice fiscale va aggiunto ai destinatari autorizzati.',
  },
  en: {
    io_settings_admin_only: 'Only administrators see and check the IO configuration.',
    io_not_configured:
      "IO is not configured: IO_API_KEY is missing from the service's environment. Citizens are notified by email.",
    io_check_key_refused:
      "IO refused the service's key ({status}): check IO_API_KEY in the service's environment.",
    io_check_unreachable: 'IO does not answer at {url}: try again shortly or check IO_API_URL.',
    io_check_throttled: 'IO asks to slow down (429): try again in a few minutes.',
    io_check_failed: 'IO answered with an error ({status}): try again shortly.',
    'io_check.sender_allowed': "The citizen uses the IO app and can receive the Comune's messages.",
    'io_check.sender_not_allowed': "The citizen uses the IO app but turned off the Comune's messages.",
    'io_check.no_profile': 'This fiscal code has no IO profile: notifications will go by email.',
    'io_check.forbidden':
      'IO does not let this service write to this fiscal code (403): while the service is in testing, the fiscal code must be added to its authorised recipients.',
  },
})
