import { defineMessages } from '../../i18n.ts'

defineMessages({
  it: {
    field_token_invalid: 'Token dell’app non valido o scaduto: accedi di nuovo.',
    field_role_required: 'L’app sul campo è riservata agli operatori sul campo.',
  },
  en: {
    field_token_invalid: 'App token invalid or expired: sign in again.',
    field_role_required: 'The field app is for field workers only.',
  },
})
