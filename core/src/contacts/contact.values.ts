/** The values of a contact's enumerations: plain constants, shared with the console without pulling in TypeBox. */
export const CONTACT_KINDS = ['person', 'organisation'] as const
/** How a contact prefers to be answered; IO reaches a person through their codice fiscale. */
export const PREFERRED_CHANNELS = ['email', 'io', 'phone', 'pec'] as const
export const CONTACT_LANGUAGES = ['it', 'en'] as const
export const CONSENT_KINDS = ['privacy', 'io_messages', 'email_updates', 'sms'] as const
/** Why a contact is suggested as a duplicate of another. */
export const DUPLICATE_REASONS = ['fiscal_code', 'vat_number', 'email', 'phone', 'similar_name'] as const

export type ContactKind = (typeof CONTACT_KINDS)[number]
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number]
export type ConsentKind = (typeof CONSENT_KINDS)[number]
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number]
