import { defineMessages } from '../../i18n.ts'

// Open311 answers in English only (its clients are apps); these are for our own admin API.
defineMessages({
  it: {
    open311_key_not_found: 'Chiave Open311 {id} non trovata.',
  },
  en: {
    open311_key_not_found: 'Open311 key {id} not found.',
  },
})

defineMessages({
  it: { open311_notice: 'Segnalazione {number} registrata. Stato:' },
  en: { open311_notice: 'Request {number} received. Status:' },
})
