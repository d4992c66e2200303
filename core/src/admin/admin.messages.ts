import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    admin_version_required:
      'Indica la versione che hai letto (campo «version» o intestazione If-Match), così nessuna modifica altrui va persa.',
    admin_field_blank: 'Il campo «{field}» non può essere vuoto.',
    user_not_found: "L'utente {id} non esiste.",
    user_version_conflict:
      'Nel frattempo qualcun altro ha modificato questo utente (ora alla versione {version}): ricarica e riprova.',
    user_email_taken: "Esiste già un utente con l'email {email}.",
    user_password_short: 'La password deve avere almeno {min} caratteri.',
    user_office_required: 'Un utente con ruolo «personale d’ufficio» deve appartenere ad almeno un ufficio.',
    user_last_admin:
      "Non si può togliere il ruolo di amministratore né disattivare l'ultimo amministratore attivo: prima nominane un altro.",
    office_not_found: "L'ufficio {id} non esiste.",
    office_version_conflict:
      'Nel frattempo qualcun altro ha modificato questo ufficio (ora alla versione {version}): ricarica e riprova.',
    office_code_taken: 'Esiste già un ufficio con il codice «{code}».',
    category_not_found: 'La categoria {id} non esiste.',
    category_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa categoria (ora alla versione {version}): ricarica e riprova.',
    category_code_taken: 'Esiste già una categoria con il codice «{code}».',
    category_cycle: 'Una categoria non può stare sotto sé stessa o sotto una delle sue sottocategorie.',
    category_too_deep: 'Le categorie possono avere al massimo {max} livelli.',
    category_question_invalid: 'Le domande aggiuntive della categoria non sono nel formato previsto.',
    category_question_code_twice: 'Due domande aggiuntive hanno lo stesso codice «{code}».',
    category_question_values_required:
      'La domanda «{code}» è a scelta: indica almeno un valore tra cui scegliere.',
    category_question_values_unexpected:
      'La domanda «{code}» è di tipo «{datatype}» e non può avere valori tra cui scegliere.',
    category_question_value_twice: 'La domanda «{code}» ha due valori con la stessa chiave «{key}».',
    queue_not_found: 'La coda {id} non esiste.',
    queue_version_conflict:
      'Nel frattempo qualcun altro ha modificato questa coda (ora alla versione {version}): ricarica e riprova.',
    queue_code_taken: 'Esiste già una coda con il codice «{code}».',
  },
  en: {
    admin_version_required:
      'Send the version you read ("version" field or If-Match header), so nobody else’s change is lost.',
    admin_field_blank: 'The "{field}" field cannot be blank.',
    user_not_found: 'User {id} does not exist.',
    user_version_conflict:
      'Someone else changed this user meanwhile (now at version {version}): reload and try again.',
    user_email_taken: 'A user with the email {email} already exists.',
    user_password_short: 'The password must be at least {min} characters long.',
    user_office_required: 'A user with the office staff role must belong to at least one office.',
    user_last_admin:
      'The last active administrator cannot lose the role or be deactivated: appoint another one first.',
    office_not_found: 'Office {id} does not exist.',
    office_version_conflict:
      'Someone else changed this office meanwhile (now at version {version}): reload and try again.',
    office_code_taken: 'An office with the code "{code}" already exists.',
    category_not_found: 'Category {id} does not exist.',
    category_version_conflict:
      'Someone else changed this category meanwhile (now at version {version}): reload and try again.',
    category_code_taken: 'A category with the code "{code}" already exists.',
    category_cycle: 'A category cannot be placed under itself or under one of its subcategories.',
    category_too_deep: 'Categories can be at most {max} levels deep.',
    category_question_invalid: 'The extra questions of the category are not in the expected format.',
    category_question_code_twice: 'Two extra questions have the same code "{code}".',
    category_question_values_required:
      'Question "{code}" is a choice: give at least one value to choose from.',
    category_question_values_unexpected:
      'Question "{code}" is of type "{datatype}" and cannot have values to choose from.',
    category_question_value_twice: 'Question "{code}" has two values with the same key "{key}".',
    queue_not_found: 'Queue {id} does not exist.',
    queue_version_conflict:
      'Someone else changed this queue meanwhile (now at version {version}): reload and try again.',
    queue_code_taken: 'A queue with the code "{code}" already exists.',
  },
})
