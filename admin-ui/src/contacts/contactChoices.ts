import { CONSENT_KINDS, CONTACT_KINDS, CONTACT_LANGUAGES, PREFERRED_CHANNELS } from '../types.ts'

/** Choices whose names are i18n keys: react-admin translates them in inputs and fields. */
const choicesOf = (values: readonly string[], prefix: string) =>
  values.map((id) => ({ id, name: `${prefix}.${id}` }))

export const kindChoices = choicesOf(CONTACT_KINDS, 'contact.kind')
export const preferredChannelChoices = choicesOf(PREFERRED_CHANNELS, 'contact.preferredChannel')
export const languageChoices = choicesOf(CONTACT_LANGUAGES, 'contact.language')
export const consentChoices = choicesOf(CONSENT_KINDS, 'contact.consent')
