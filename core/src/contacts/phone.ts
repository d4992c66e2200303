import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * Phone numbers are stored in E.164 (+390574123456): one spelling per number,
 * so lookups and duplicate checks compare strings. Numbers without a country
 * prefix are read as Italian, as citizens dictate them.
 */
export function toE164(input: string, defaultCountry: CountryCode = 'IT'): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry)
  return parsed?.isValid() ? parsed.number : null
}
