/**
 * Italian tax identifiers for the demo data: the codice fiscale a person would be
 * assigned. The validators live with the contacts (CRM) module and are
 * re-exported here for the seed's callers.
 */
import { fiscalCodeCheckChar } from '../contacts/codice-fiscale.ts'

export { fiscalCodeCheckChar, isValidFiscalCode } from '../contacts/codice-fiscale.ts'
export { isValidVatNumber, vatCheckDigit } from '../contacts/partita-iva.ts'

/** Month letters of the codice fiscale, January to December. */
const MONTH_LETTERS = 'ABCDEHLMPRST'

/** Upper-case A–Z only: accents dropped (Niccolò → NICCOLO), apostrophes and spaces removed. */
const lettersOf = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '')

const splitLetters = (name: string): { consonants: string; vowels: string } => {
  const letters = lettersOf(name)
  return { consonants: letters.replace(/[AEIOU]/g, ''), vowels: letters.replace(/[^AEIOU]/g, '') }
}

function surnamePart(lastName: string): string {
  const { consonants, vowels } = splitLetters(lastName)
  return `${consonants}${vowels}XXX`.slice(0, 3)
}

function namePart(firstName: string): string {
  const { consonants, vowels } = splitLetters(firstName)
  // With four or more consonants the second is skipped: GIANFRANCO → GFR.
  if (consonants.length >= 4) return `${consonants[0]}${consonants[2]}${consonants[3]}`
  return `${consonants}${vowels}XXX`.slice(0, 3)
}

export interface FiscalCodeInput {
  firstName: string
  lastName: string
  sex: 'M' | 'F'
  /** Calendar date of birth: year, month 1–12, day 1–31. */
  birthYear: number
  birthMonth: number
  birthDay: number
  /** Codice catastale (Belfiore) of the comune of birth, or Z… for a foreign country: G999 is Prato. */
  birthPlace: string
}

/** The codice fiscale of a person, without omocodia (the first code the Agenzia would assign). */
export function fiscalCode(person: FiscalCodeInput): string {
  if (!/^[A-Z]\d{3}$/.test(person.birthPlace)) {
    throw new RangeError(`a birth place code is a letter and three digits (got "${person.birthPlace}")`)
  }
  const month = MONTH_LETTERS.charAt(person.birthMonth - 1)
  if (!month || person.birthDay < 1 || person.birthDay > 31) {
    throw new RangeError(`invalid date of birth ${person.birthYear}-${person.birthMonth}-${person.birthDay}`)
  }
  // Women's day of birth is written plus 40, which is how the code carries the sex.
  const day = person.sex === 'F' ? person.birthDay + 40 : person.birthDay
  const first15 =
    surnamePart(person.lastName) +
    namePart(person.firstName) +
    String(person.birthYear % 100).padStart(2, '0') +
    month +
    String(day).padStart(2, '0') +
    person.birthPlace
  return first15 + fiscalCodeCheckChar(first15)
}
