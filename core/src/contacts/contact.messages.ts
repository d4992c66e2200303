import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    contact_not_found: 'Il contatto {id} non esiste.',
    contact_merged: 'Il contatto {id} è stato unito al contatto {mergedIntoId}.',
    contact_edit_forbidden: 'Il tuo ruolo può consultare i contatti ma non modificarli.',
    contact_name_required: 'Indica il nome o il cognome della persona.',
    organisation_name_required: "Indica la ragione sociale dell'organizzazione.",
    fiscal_code_format:
      'Il codice fiscale {value} non è valido: servono 16 caratteri (es. RSSMRA85T10A562S) oppure 11 cifre.',
    fiscal_code_check: 'Il codice fiscale {value} ha il carattere di controllo errato (atteso {expected}).',
    fiscal_code_taken: 'Il codice fiscale {fiscalCode} è già del contatto {id}.',
    vat_number_format: 'La partita IVA {value} non è valida: servono 11 cifre.',
    vat_number_check: 'La partita IVA {value} ha la cifra di controllo errata (attesa {expected}).',
    email_invalid: "L'indirizzo email «{value}» non è valido.",
    phone_invalid: 'Il numero di telefono «{value}» non è valido.',
    email_primary_twice: 'Un solo indirizzo email può essere il principale.',
    phone_primary_twice: 'Un solo numero di telefono può essere il principale.',
    membership_not_organisation: "Il contatto {id} non è un'organizzazione.",
    membership_person_only: 'Solo una persona può essere collegata a organizzazioni.',
    contact_version_required:
      'Indica la versione che hai letto (campo «version» o intestazione If-Match) per modificare il contatto.',
    contact_version_conflict:
      'Il contatto è stato modificato da qualcun altro nel frattempo (versione attuale {current}): ricarica e riprova.',
    merge_same_contact: 'Un contatto non può essere unito a sé stesso.',
    merge_kind_mismatch: "Non si può unire una persona con un'organizzazione.",
  },
  en: {
    contact_not_found: 'Contact {id} does not exist.',
    contact_merged: 'Contact {id} was merged into contact {mergedIntoId}.',
    contact_edit_forbidden: 'Your role may read contacts but not change them.',
    contact_name_required: "Give the person's first or last name.",
    organisation_name_required: "Give the organisation's registered name.",
    fiscal_code_format:
      'The codice fiscale {value} is not valid: it has 16 characters (e.g. RSSMRA85T10A562S) or 11 digits.',
    fiscal_code_check: 'The codice fiscale {value} has the wrong check character (expected {expected}).',
    fiscal_code_taken: 'The codice fiscale {fiscalCode} already belongs to contact {id}.',
    vat_number_format: 'The partita IVA {value} is not valid: it has 11 digits.',
    vat_number_check: 'The partita IVA {value} has the wrong check digit (expected {expected}).',
    email_invalid: 'The email address "{value}" is not valid.',
    phone_invalid: 'The phone number "{value}" is not valid.',
    email_primary_twice: 'Only one email address can be the primary one.',
    phone_primary_twice: 'Only one phone number can be the primary one.',
    membership_not_organisation: 'Contact {id} is not an organisation.',
    membership_person_only: 'Only a person can be linked to organisations.',
    contact_version_required:
      'Give the version you read ("version" field or If-Match header) to change the contact.',
    contact_version_conflict:
      'Someone else changed the contact in the meantime (current version {current}): reload and try again.',
    merge_same_contact: 'A contact cannot be merged into itself.',
    merge_kind_mismatch: 'A person cannot be merged with an organisation.',
  },
})
