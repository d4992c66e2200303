import { useLocaleState } from 'react-admin'
import type { Category } from '../types.ts'

/** A category's name in the console's language (categories carry both). */
export const useCategoryName = (): ((category: Category) => string) => {
  const [locale] = useLocaleState()
  return (category) => (locale === 'en' ? category.nameEn : category.nameIt)
}
