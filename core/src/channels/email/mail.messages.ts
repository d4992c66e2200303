import { defineMessages } from '../../i18n.ts'

defineMessages({
  it: {
    mailbox_not_found: 'La casella di posta {id} non esiste.',
    mailbox_name_taken: 'Esiste già una casella di posta chiamata «{name}».',
    mailbox_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa casella (ora alla versione {version}): ricarica e riprova.',
    mailbox_move_to_required: 'Indica la cartella in cui spostare i messaggi importati.',
    reply_forbidden: 'Il tuo ruolo non può rispondere ai cittadini per email.',
    reply_no_mailbox:
      'Nessuna casella da cui rispondere: il caso non è arrivato per email; indica mailboxId.',
    reply_mailbox_disabled: 'La casella di posta {id} è disattivata: non può inviare risposte.',
    reply_no_recipient: 'Nessun destinatario: il cittadino non ha un indirizzo email; indica to.',
    mail_outbound_not_found: 'Il messaggio in uscita {id} non esiste.',
  },
  en: {
    mailbox_not_found: 'Mailbox {id} does not exist.',
    mailbox_name_taken: 'A mailbox named “{name}” already exists.',
    mailbox_version_conflict:
      'Someone else changed this mailbox in the meantime (it is now at version {version}): reload and try again.',
    mailbox_move_to_required: 'Say which folder imported messages are moved to.',
    reply_forbidden: 'Your role may not reply to citizens by email.',
    reply_no_mailbox: 'No mailbox to reply from: the case did not come in by email; give mailboxId.',
    reply_mailbox_disabled: 'Mailbox {id} is disabled: it cannot send replies.',
    reply_no_recipient: 'No recipient: the citizen has no email address; give to.',
    mail_outbound_not_found: 'Outbound message {id} does not exist.',
  },
})
