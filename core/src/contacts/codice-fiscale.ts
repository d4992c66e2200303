/**
 * The codice fiscale (DM 23/12/1976): 16 characters for a person, 11 digits for
 * a business or a provisional code (then the partita IVA's rules apply). Pure
 * functions, no I/O: the seed builds valid codes with them and the CRM
 * validates input with them.
 */
import { vatCheckDigit } from './partita-iva.ts'

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

/**
 * Omocodia: when two people would get the same code, the Agenzia replaces digits
 * (from the right) with these letters, L for 0 … V for 9, in positions 7, 8, 10,
 * 11, 13, 14 and 15.
 */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV'
/** 0-based indexes of the characters omocodia may replace. */
export const OMOCODIA_POSITIONS = [6, 7, 9, 10, 12, 13, 14] as const

const DIGIT = '[0-9LMNPQRSTUV]'
const FISCAL_CODE = new RegExp(`^[A-Z]{6}${DIGIT}{2}[ABCDEHLMPRST]${DIGIT}{2}[A-Z]${DIGIT}{3}[A-Z]$`)

/** The digit an omocodia letter stands for (digits stay as they are). */
const digitOf = (c: string): string => {
  const i = OMOCODIA_LETTERS.indexOf(c)
  return i >= 0 ? String(i) : c
}

/** Whether a person's 16-character codice fiscale is well formed and its check character right. */
export function isValidFiscalCode(code: string): boolean {
  return FISCAL_CODE.test(code) && fiscalCodeCheckChar(code.slice(0, 15)) === code.charAt(15)
}

/** The code as first assigned: omocodia letters turned back into digits, check character recomputed. */
export function withoutOmocodia(code: string): string {
  const chars = [...code.slice(0, 15)]
  for (const i of OMOCODIA_POSITIONS) chars[i] = digitOf(chars[i] ?? '')
  const first15 = chars.join('')
  return first15 + fiscalCodeCheckChar(first15)
}

/** What is wrong with a codice fiscale, or its normal form. */
export type FiscalCodeCheck =
  | { ok: true; value: string; kind: 'person' | 'numeric' }
  | { ok: false; reason: 'format' }
  | { ok: false; reason: 'check'; expected: string }

/**
 * Checks a codice fiscale as a person types it (spaces ignored, any case): the
 * format, the day of birth (1–31, women 41–71) read through omocodia, and the
 * check character; an 11-digit code follows the partita IVA's check digit.
 * Omocodic codes are valid and kept as given: they are the person's real code.
 */
export function checkFiscalCode(input: string): FiscalCodeCheck {
  const value = input.replace(/\s/g, '').toUpperCase()
  if (/^\d{11}$/.test(value)) {
    const expected = vatCheckDigit(value.slice(0, 10))
    return expected === value.charAt(10)
      ? { ok: true, value, kind: 'numeric' }
      : { ok: false, reason: 'check', expected }
  }
  if (!FISCAL_CODE.test(value)) return { ok: false, reason: 'format' }
  const day = Number(digitOf(value.charAt(9)) + digitOf(value.charAt(10)))
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return { ok: false, reason: 'format' }
  const expected = fiscalCodeCheckChar(value.slice(0, 15))
  return expected === value.charAt(15)
    ? { ok: true, value, kind: 'person' }
    : { ok: false, reason: 'check', expected }
}
