/**
 * The partita IVA of a business (DPR 633/1972): eleven digits, the last a check
 * digit. Pure functions, no I/O: the seed builds valid numbers with them and the
 * CRM validates input with them.
 */

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

/** What is wrong with a partita IVA, or its normal form. */
export type VatNumberCheck =
  | { ok: true; value: string }
  | { ok: false; reason: 'format' }
  | { ok: false; reason: 'check'; expected: string }

/**
 * Checks a partita IVA as a person types it: spaces, dots and an "IT" prefix
 * (how it is printed on invoices) are dropped first.
 */
export function checkVatNumber(input: string): VatNumberCheck {
  const value = input.replace(/[\s.-]/g, '').replace(/^IT/i, '')
  if (!/^\d{11}$/.test(value)) return { ok: false, reason: 'format' }
  const expected = vatCheckDigit(value.slice(0, 10))
  return expected === value.charAt(10) ? { ok: true, value } : { ok: false, reason: 'check', expected }
}
