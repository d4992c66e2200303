import { useEffect } from 'react'
import { useLocaleState } from 'react-admin'

/** Keeps `<html lang>` on the console's locale, for screen readers and spell checkers. */
export const useDocumentLang = (): void => {
  const [locale] = useLocaleState()
  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])
}
