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
  },
})
