import { AutocompleteArrayInput, useGetList, useRecordContext } from 'react-admin'
import type { Category, User } from '../types.ts'

const SKILL = /^[a-z0-9_.-]{1,40}$/

const validateSkills = (skills: unknown) =>
  Array.isArray(skills) && (skills.length > 20 || skills.some((s) => typeof s !== 'string' || !SKILL.test(s)))
    ? 'staff.hints.skills'
    : undefined

/**
 * The skills an agent needs for the category's cases: picked from the skills staff
 * already have, or typed as a new one.
 */
export const RequiredSkillsInput = () => {
  const record = useRecordContext<Category>()
  const { data: users = [] } = useGetList<User>('users', {
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'fullName', order: 'ASC' },
    filter: { active: true },
  })
  const known = new Set<string>([...(record?.requiredSkills ?? []), ...users.flatMap((u) => u.skills ?? [])])
  const choices = [...known].sort().map((skill) => ({ id: skill, name: skill }))
  return (
    <AutocompleteArrayInput
      source="requiredSkills"
      choices={choices}
      validate={validateSkills}
      helperText="queue.hints.requiredSkills"
      noOptionsText="ra.navigation.no_results"
      onCreate={(text?: string) => {
        const skill = (text ?? '').trim().toLowerCase()
        return SKILL.test(skill) ? { id: skill, name: skill } : undefined
      }}
      fullWidth
    />
  )
}
