import { DomainError } from '../errors.ts'
import { checkFiscalCode } from './codice-fiscale.ts'
import type { EmailInput, PhoneInput } from './contact.schemas.ts'
import { checkVatNumber } from './partita-iva.ts'
import { toE164 } from './phone.ts'

/**
 * Input as people type it, turned into the one spelling Filo stores, or a
 * DomainError('invalid') saying what is wrong in words the caller can show.
 */

/** A codice fiscale in upper case without spaces; omocodic codes are kept as they are. */
export function normaliseFiscalCode(raw: string): string {
  const result = checkFiscalCode(raw)
  const value = raw.trim().toUpperCase()
  if (result.ok) return result.value
  if (result.reason === 'check') {
    throw new DomainError('invalid', 'fiscal_code_check', `codice fiscale ${value}: check character`, {
      params: { value, expected: result.expected },
    })
  }
  throw new DomainError('invalid', 'fiscal_code_format', `codice fiscale ${value}: format`, {
    params: { value },
  })
}

/** A partita IVA as its 11 digits. */
export function normaliseVatNumber(raw: string): string {
  const result = checkVatNumber(raw)
  const value = raw.trim()
  if (result.ok) return result.value
  if (result.reason === 'check') {
    throw new DomainError('invalid', 'vat_number_check', `partita IVA ${value}: check digit`, {
      params: { value, expected: result.expected },
    })
  }
  throw new DomainError('invalid', 'vat_number_format', `partita IVA ${value}: format`, { params: { value } })
}

// Deliberately loose: a mailbox, an @ and a domain with a dot. Whether it exists only a message can tell.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An email address trimmed and in lower case. */
export function normaliseEmail(raw: string): string {
  const value = raw.trim().toLowerCase()
  if (!EMAIL.test(value) || value.length > 254) {
    throw new DomainError('invalid', 'email_invalid', `email ${raw}`, { params: { value: raw.trim() } })
  }
  return value
}

/** A phone number in E.164, read as Italian when it has no country prefix. */
export function normalisePhone(raw: string): string {
  const value = toE164(raw)
  if (!value)
    throw new DomainError('invalid', 'phone_invalid', `phone ${raw}`, { params: { value: raw.trim() } })
  return value
}

/** One address of a contact after normalisation. */
export interface AddressEntry {
  value: string
  label: string | null
  isPrimary: boolean
  verified: boolean
}

/**
 * A list of addresses normalised and de-duplicated (the same number typed twice
 * is one), with exactly one primary when the list is not empty: the one marked,
 * else the first.
 */
function addressList<T>(
  items: readonly T[],
  read: (item: T) => { raw: string; label?: string | null; isPrimary?: boolean; verified?: boolean },
  normalise: (raw: string) => string,
  primaryTwice: string,
): AddressEntry[] {
  const byValue = new Map<string, AddressEntry>()
  for (const item of items) {
    const { raw, label, isPrimary, verified } = read(item)
    const value = normalise(raw)
    const seen = byValue.get(value)
    if (seen) {
      seen.isPrimary ||= isPrimary === true
      seen.verified ||= verified === true
      seen.label ??= label ?? null
    } else {
      byValue.set(value, {
        value,
        label: label ?? null,
        isPrimary: isPrimary === true,
        verified: verified === true,
      })
    }
  }
  const entries = [...byValue.values()]
  const primaries = entries.filter((e) => e.isPrimary).length
  if (primaries > 1) throw new DomainError('invalid', primaryTwice, 'more than one primary')
  const first = entries[0]
  if (primaries === 0 && first) first.isPrimary = true
  return entries
}

export const normaliseEmails = (items: readonly EmailInput[]): AddressEntry[] =>
  addressList(items, (e) => ({ ...e, raw: e.email }), normaliseEmail, 'email_primary_twice')

export const normalisePhones = (items: readonly PhoneInput[]): AddressEntry[] =>
  addressList(items, (p) => ({ ...p, raw: p.phone }), normalisePhone, 'phone_primary_twice')

/** Trimmed text, or null when nothing is left. */
export const cleanText = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim().replace(/\s+/g, ' ')
  return trimmed ? trimmed : null
}
