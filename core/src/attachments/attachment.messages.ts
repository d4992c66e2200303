import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    attachment_not_found: "L'allegato {id} non esiste o non è visibile per te.",
    attachment_too_large: 'Il file «{filename}» supera il limite di {mb} MB per allegato.',
    attachment_type_not_allowed:
      'Il file «{filename}» è di tipo {type}, che non è ammesso. Sono ammessi immagini (JPEG, PNG, WebP, GIF, HEIC), PDF, documenti Office e OpenDocument, testo (.txt, .csv) ed email (.eml).',
    attachment_empty: 'Il file «{filename}» è vuoto.',
    attachment_missing: 'Nessun file nella richiesta: allega almeno un file.',
    attachment_too_many_files: 'Troppi file in una richiesta: al massimo {max}.',
    attachment_delete_forbidden: 'Solo amministratori e supervisori possono rimuovere un allegato.',
    reply_attachments_too_many: 'Troppi allegati per una risposta: {count}, al massimo {max}.',
    reply_attachments_too_large:
      'Gli allegati della risposta pesano {mb} MB in tutto: il limite è {max} MB. Togline qualcuno o invia il resto con una seconda risposta.',
    reply_attachment_not_on_case:
      "L'allegato {id} non è un allegato di questo caso: caricalo prima sul caso.",
    reply_attachment_removed: "L'allegato «{filename}» è stato rimosso dal caso: non può essere inviato.",
  },
  en: {
    attachment_not_found: 'Attachment {id} does not exist or is not visible to you.',
    attachment_too_large: 'The file "{filename}" is over the limit of {mb} MB per attachment.',
    attachment_type_not_allowed:
      'The file "{filename}" is of type {type}, which is not allowed. Allowed: images (JPEG, PNG, WebP, GIF, HEIC), PDF, Office and OpenDocument documents, text (.txt, .csv) and email (.eml).',
    attachment_empty: 'The file "{filename}" is empty.',
    attachment_missing: 'No file in the request: attach at least one file.',
    attachment_too_many_files: 'Too many files in one request: at most {max}.',
    attachment_delete_forbidden: 'Only administrators and supervisors can remove an attachment.',
    reply_attachments_too_many: 'Too many attachments for one reply: {count}, at most {max}.',
    reply_attachments_too_large:
      'The reply’s attachments come to {mb} MB in all: the limit is {max} MB. Remove some or send the rest in a second reply.',
    reply_attachment_not_on_case:
      'Attachment {id} is not an attachment of this case: upload it to the case first.',
    reply_attachment_removed: 'The attachment "{filename}" was removed from the case: it cannot be sent.',
  },
})
