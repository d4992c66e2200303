import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    unauthenticated: 'Accesso richiesto: effettua il login.',
    forbidden: 'Non hai i permessi per questa operazione.',
    invalid_credentials: 'Email o password non corretti.',
    too_many_attempts: 'Troppi tentativi di accesso non riusciti. Riprova tra {minutes} minuti.',
    account_disabled: 'Questo account è disattivato.',
  },
  en: {
    unauthenticated: 'Please log in.',
    forbidden: 'You are not allowed to do this.',
    invalid_credentials: 'Wrong email or password.',
    too_many_attempts: 'Too many failed login attempts. Try again in {minutes} minutes.',
    account_disabled: 'This account is disabled.',
  },
})
