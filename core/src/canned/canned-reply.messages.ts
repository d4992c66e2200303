import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    canned_reply_not_found: 'La risposta predefinita {id} non esiste.',
    canned_reply_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa risposta predefinita (ora alla versione {version}): ricarica e riprova.',
    canned_reply_title_taken: 'Esiste già una risposta predefinita «{title}» in questa lingua.',
    canned_reply_unknown_variable: 'La variabile «{{{name}}}» non esiste. Variabili ammesse: {allowed}.',
    canned_reply_blank: 'Il campo «{field}» non può essere vuoto.',
    canned_reply_inactive: 'La risposta predefinita «{title}» è disattivata.',
  },
  en: {
    canned_reply_not_found: 'Canned reply {id} does not exist.',
    canned_reply_version_conflict:
      'Someone else changed this canned reply in the meantime (it is now at version {version}): reload and try again.',
    canned_reply_title_taken: 'A canned reply "{title}" already exists in this language.',
    canned_reply_unknown_variable: 'There is no variable "{{{name}}}". Allowed: {allowed}.',
    canned_reply_blank: 'The "{field}" field cannot be blank.',
    canned_reply_inactive: 'The canned reply "{title}" is deactivated.',
  },
})
