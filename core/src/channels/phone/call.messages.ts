import { defineMessages } from '../../i18n.ts'

defineMessages({
  it: {
    cti_token_invalid: 'Token CTI non valido: chiedi all’amministratore l’indirizzo corretto del webhook.',
    cti_rate_limited: 'Troppe richieste al webhook CTI: riprova tra {minutes} minuti.',
    cti_call_id_required: 'Evento CTI senza callId: ogni evento deve indicare la chiamata.',
    cti_number_required: 'Evento CTI {event} senza «{field}»: il numero è obbligatorio.',
    cti_token_not_found: 'Il token CTI {id} non esiste.',
    cti_blocked_number_not_found: 'Il numero bloccato {id} non esiste.',
    cti_blocked_number_taken: 'Il numero {number} è già nella lista dei bloccati.',
    cti_blocked_number_invalid: '«{number}» non è un numero di telefono (né «anonymous»).',
    call_not_found: 'La chiamata {id} non esiste.',
    call_case_forbidden: 'Il tuo ruolo non può aprire pratiche da una chiamata.',
    call_has_case: 'Da questa chiamata è già stata aperta la pratica {number}.',
    user_extension_taken: 'L’interno {extension} è già assegnato a un altro utente.',
  },
  en: {
    cti_token_invalid: 'Invalid CTI token: ask your administrator for the right webhook address.',
    cti_rate_limited: 'Too many requests to the CTI webhook: try again in {minutes} minutes.',
    cti_call_id_required: 'CTI event without a callId: every event must name its call.',
    cti_number_required: 'CTI {event} event without "{field}": the number is required.',
    cti_token_not_found: 'CTI token {id} does not exist.',
    cti_blocked_number_not_found: 'Blocked number {id} does not exist.',
    cti_blocked_number_taken: 'Number {number} is already on the block list.',
    cti_blocked_number_invalid: '"{number}" is not a phone number (nor "anonymous").',
    call_not_found: 'Call {id} does not exist.',
    call_case_forbidden: 'Your role may not open cases from a call.',
    call_has_case: 'Case {number} was already opened from this call.',
    user_extension_taken: 'Extension {extension} is already assigned to another user.',
  },
})
