import { STAFF_ROLES } from '../types.ts'

export const roleChoices = STAFF_ROLES.map((id) => ({ id, name: `staff.role.${id}` }))
export const userLanguageChoices = [
  { id: 'it', name: 'contact.language.it' },
  { id: 'en', name: 'contact.language.en' },
]
