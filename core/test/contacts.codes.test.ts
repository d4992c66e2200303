import { describe, expect, it } from 'vitest'
import '../src/contacts/contact.messages.ts'
import {
  checkFiscalCode,
  fiscalCodeCheckChar,
  isValidFiscalCode,
  withoutOmocodia,
} from '../src/contacts/codice-fiscale.ts'
import {
  normaliseEmail,
  normaliseEmails,
  normaliseFiscalCode,
  normalisePhone,
  normalisePhones,
  normaliseVatNumber,
} from '../src/contacts/contact.input.ts'
import { checkVatNumber, isValidVatNumber } from '../src/contacts/partita-iva.ts'
import { toE164 } from '../src/contacts/phone.ts'
import { DomainError } from '../src/errors.ts'
import { translate } from '../src/i18n.ts'

/** The error a call throws, so a test can look at its code and translated message. */
function failure(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a DomainError')
}

describe('codice fiscale', () => {
  it('accepts a valid code in any case and with spaces, normalised to upper case', () => {
    expect(checkFiscalCode('RSSMRA85T10A562S')).toEqual({
      ok: true,
      value: 'RSSMRA85T10A562S',
      kind: 'person',
    })
    expect(normaliseFiscalCode(' rssmra 85t10 a562s ')).toBe('RSSMRA85T10A562S')
    // A woman (day + 40), born in Prato (G999).
    expect(normaliseFiscalCode('BNCLRA90E45D612E')).toBe('BNCLRA90E45D612E')
  })

  it('names the right check character when it is wrong', () => {
    expect(checkFiscalCode('RSSMRA85T10A562X')).toEqual({ ok: false, reason: 'check', expected: 'S' })
    const err = failure(() => normaliseFiscalCode('RSSMRA85T10A562X'))
    expect(err.code).toBe('fiscal_code_check')
    expect(translate('it', err.code, err.params)).toBe(
      'Il codice fiscale RSSMRA85T10A562X ha il carattere di controllo errato (atteso S).',
    )
    expect(translate('en', err.code, err.params)).toBe(
      'The codice fiscale RSSMRA85T10A562X has the wrong check character (expected S).',
    )
  })

  it('refuses malformed codes: length, month letter, day of birth, letters where digits go', () => {
    for (const bad of [
      'RSSMRA85T10A562',
      'RSSMRA85Z10A562S',
      'RSSMRA85T99A562S',
      'RSSMRA85T00A562S',
      'RSSMRAA5T10A562S',
      '',
    ]) {
      expect(checkFiscalCode(bad), bad).toEqual({ ok: false, reason: 'format' })
    }
    expect(failure(() => normaliseFiscalCode('ABC')).code).toBe('fiscal_code_format')
  })

  it('accepts omocodia: digits replaced by LMNPQRSTUV from the right, with their own check character', () => {
    // 2 → N in position 15; then 6 → S in position 14; then every digit replaced.
    for (const code of ['RSSMRA85T10A56NH', 'RSSMRA85T10A5SNT', 'RSSMRAURTMLARSNL']) {
      expect(checkFiscalCode(code.toLowerCase()), code).toEqual({ ok: true, value: code, kind: 'person' })
      expect(isValidFiscalCode(code)).toBe(true)
      expect(withoutOmocodia(code)).toBe('RSSMRA85T10A562S')
    }
    // The original check character does not fit the omocodic code.
    expect(checkFiscalCode('RSSMRA85T10A56NS')).toEqual({ ok: false, reason: 'check', expected: 'H' })
    // Omocodia letters only stand in for digits, not elsewhere: a V in the month place is no month.
    expect(checkFiscalCode('RSSMRA85V10A562S')).toEqual({ ok: false, reason: 'format' })
  })

  it("accepts a company's 11-digit code with the partita IVA's check digit", () => {
    expect(checkFiscalCode('01234567897')).toEqual({ ok: true, value: '01234567897', kind: 'numeric' })
    expect(checkFiscalCode('01234567890')).toEqual({ ok: false, reason: 'check', expected: '7' })
  })

  it('keeps the check character of the first 15 characters as the seed computes it', () => {
    expect(fiscalCodeCheckChar('RSSMRA85T10A562')).toBe('S')
    expect(() => fiscalCodeCheckChar('rssmra85t10a562')).toThrow(RangeError)
  })
})

describe('partita IVA', () => {
  it('accepts eleven digits with the right check digit, also typed with IT and spaces', () => {
    expect(isValidVatNumber('01234567897')).toBe(true)
    expect(isValidVatNumber('02423060488')).toBe(true)
    expect(normaliseVatNumber('IT 024 2306 0488')).toBe('02423060488')
  })

  it('names the expected check digit, and refuses other lengths', () => {
    expect(checkVatNumber('02423060480')).toEqual({ ok: false, reason: 'check', expected: '8' })
    const err = failure(() => normaliseVatNumber('02423060480'))
    expect(translate('it', err.code, err.params)).toBe(
      'La partita IVA 02423060480 ha la cifra di controllo errata (attesa 8).',
    )
    expect(failure(() => normaliseVatNumber('1234567')).code).toBe('vat_number_format')
    expect(failure(() => normaliseVatNumber('0242306048A')).code).toBe('vat_number_format')
  })
})

describe('phones and emails', () => {
  it('stores phone numbers in E.164, reading numbers without a prefix as Italian', () => {
    expect(toE164('055 123 4567')).toBe('+390551234567')
    expect(toE164('+39 333 123 4567')).toBe('+393331234567')
    expect(toE164('0574/123456')).toBe('+390574123456')
    expect(toE164('0039 333 1234567')).toBe('+393331234567')
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958')
    expect(toE164('333')).toBeNull()
    expect(toE164('chiamami')).toBeNull()
  })

  it('explains an invalid phone number in both languages', () => {
    const err = failure(() => normalisePhone('12'))
    expect(err).toMatchObject({ kind: 'invalid', code: 'phone_invalid' })
    expect(translate('it', err.code, err.params)).toBe('Il numero di telefono «12» non è valido.')
    expect(translate('en', err.code, err.params)).toBe('The phone number "12" is not valid.')
  })

  it('lower-cases and trims emails and refuses what is not an address', () => {
    expect(normaliseEmail('  Mario.Rossi@Example.COM ')).toBe('mario.rossi@example.com')
    for (const bad of ['mario', 'mario@', '@example.com', 'mario rossi@example.com', 'mario@example']) {
      expect(failure(() => normaliseEmail(bad)).code, bad).toBe('email_invalid')
    }
  })

  it('de-duplicates a list and makes exactly one address primary', () => {
    expect(
      normalisePhones([
        { phone: '333 1234567' },
        { phone: '+393331234567', verified: true },
        { phone: '0574 123456' },
      ]),
    ).toEqual([
      { value: '+393331234567', label: null, isPrimary: true, verified: true },
      { value: '+390574123456', label: null, isPrimary: false, verified: false },
    ])
    expect(
      normaliseEmails([
        { email: 'a@example.com' },
        { email: 'B@example.com', isPrimary: true, label: 'lavoro' },
      ]),
    ).toEqual([
      { value: 'a@example.com', label: null, isPrimary: false, verified: false },
      { value: 'b@example.com', label: 'lavoro', isPrimary: true, verified: false },
    ])
    expect(
      failure(() =>
        normaliseEmails([
          { email: 'a@example.com', isPrimary: true },
          { email: 'b@example.com', isPrimary: true },
        ]),
      ).code,
    ).toBe('email_primary_twice')
  })
})
