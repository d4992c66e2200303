import { DateField, type DateFieldProps, useLocaleState } from 'react-admin'
import { intlLocale } from '../i18n/index.ts'

/** Times are shown on the Comune's clock, whatever the operator's browser says. */
const OPTIONS: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Rome',
}

/** A date and time in the console's locale (05/03/2026, 14:07) and the Europe/Rome time zone. */
export const DateTimeField = (props: Omit<DateFieldProps, 'showTime' | 'locales' | 'options'>) => {
  const [locale] = useLocaleState()
  return <DateField {...props} showTime locales={intlLocale(locale)} options={OPTIONS} />
}
