import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    ingest_invalid: 'Messaggio in arrivo non valido: {field} ({detail}).',
    ingest_race:
      'Il messaggio {externalId} è stato registrato contemporaneamente da un altro processo: riprova.',
  },
  en: {
    ingest_invalid: 'Invalid inbound message: {field} ({detail}).',
    ingest_race: 'Message {externalId} was being stored by another process at the same time: try again.',
  },
})
