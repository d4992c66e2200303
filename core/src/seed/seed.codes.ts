/**
 * Italian tax identifiers: the codice fiscale of a person and the partita IVA of
 * a business, with the check characters the Agenzia delle Entrate defines
 * (DM 23/12/1976 for the codice fiscale, DPR 633/1972 for the partita IVA).
 * Pure functions, no I/O: the seed builds valid codes with them and the CRM
 * will validate input with them.
 */

// Value of each character in an odd (1st, 3rd, … 15th) position; digits share the values of A…J.
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
]

const charIndex = (c: string): number => {
  const code = c.charCodeAt(0)
  return code <= 57 ? code - 48 : code - 65
}

/**
 * The 16th character of a codice fiscale, from its first 15. Characters in odd
 * positions are worth ODD_VALUES, in even positions their index (0–9, A=0 … Z=25);
 * the sum modulo 26 is the letter. Omocodia letters in digit places are valid input.
 */
export function fiscalCodeCheckChar(first15: string): string {
  if (!/^[A-Z0-9]{15}$/.test(first15)) {
    throw new RangeError(`a codice fiscale starts with 15 capital letters or digits (got "${first15}")`)
  }
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15.charAt(i))
    // i is 0-based: i = 0 is the 1st, odd, position.
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index
  }
  return String.fromCharCode(65 + (sum % 26))
}

// Digits may be replaced by these letters (omocodia) when two people would get the same code.
const DIGIT = '[0-9LMNPQRSTUV]'
const FISCAL_CODE = new RegExp(`^[A-Z]{6}${DIGIT}{2}[ABCDEHLMPRST]${DIGIT}{2}[A-Z]${DIGIT}{3}[A-Z]$`)

/** Whether a person's 16-character codice fiscale is well formed and its check character right. */
export function isValidFiscalCode(code: string): boolean {
  return FISCAL_CODE.test(code) && fiscalCodeCheckChar(code.slice(0, 15)) === code.charAt(15)
}

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

/**
 * The 11th digit of a partita IVA, from its first 10: digits in odd positions
 * are added as they are, digits in even positions doubled (minus 9 above 9);
 * the check digit brings the sum to a multiple of ten (the Luhn scheme).
 */
export function vatCheckDigit(first10: string): string {
  if (!/^\d{10}$/.test(first10))
    throw new RangeError(`a partita IVA starts with 10 digits (got "${first10}")`)
  let sum = 0
  for (let i = 0; i < 10; i++) {
    const digit = first10.charCodeAt(i) - 48
    if (i % 2 === 0) {
      sum += digit
    } else {
      const doubled = digit * 2
      sum += doubled > 9 ? doubled - 9 : doubled
    }
  }
  return String((10 - (sum % 10)) % 10)
}

/** Whether an 11-digit partita IVA has the right check digit. */
export function isValidVatNumber(vat: string): boolean {
  return /^\d{11}$/.test(vat) && vatCheckDigit(vat.slice(0, 10)) === vat.charAt(10)
}
