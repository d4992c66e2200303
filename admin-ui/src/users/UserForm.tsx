import { Button } from '@mui/material'
import { useState } from 'react'
import {
  AutocompleteArrayInput,
  BooleanInput,
  Create,
  Edit,
  email,
  maxLength,
  minLength,
  NumberInput,
  PasswordInput,
  ReferenceArrayInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import { roleChoices, userLanguageChoices } from './userChoices.ts'

/** NIST SP 800-63B, as the API checks it: long rather than clever. */
const PASSWORD_MIN_LENGTH = 12
const validatePassword = [minLength(PASSWORD_MIN_LENGTH), maxLength(200)]
const skillPattern = /^[a-z0-9_.-]{1,40}$/
const validateSkills = (skills: unknown) =>
  Array.isArray(skills) && skills.some((s) => typeof s !== 'string' || !skillPattern.test(s))
    ? 'staff.hints.skills'
    : undefined
const skillsFormat = (skills: unknown) => (Array.isArray(skills) ? skills.join(', ') : '')
const skillsParse = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

const CommonInputs = () => (
  <>
    <TextInput source="fullName" validate={[required(), maxLength(200)]} fullWidth />
    <TextInput source="email" type="email" validate={[required(), email(), maxLength(254)]} fullWidth />
    <SelectInput source="role" choices={roleChoices} validate={required()} />
    <ReferenceArrayInput source="officeIds" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
      <AutocompleteArrayInput optionText="name" helperText="staff.hints.offices" fullWidth />
    </ReferenceArrayInput>
    <SelectInput source="language" choices={userLanguageChoices} validate={required()} />
    <TextInput
      source="skills"
      format={skillsFormat}
      parse={skillsParse}
      validate={validateSkills}
      helperText="staff.hints.skillsHelp"
      fullWidth
    />
    <NumberInput source="capacity" min={0} max={1000} />
    <TextInput
      source="extension"
      parse={(v: string) => v.trim() || null}
      validate={[maxLength(60), regex(/^[0-9A-Za-z*#+._@-]*$/, 'staff.hints.extensionInvalid')]}
      helperText="staff.hints.extension"
    />
    <BooleanInput source="active" />
  </>
)

/** A new staff user, with an initial password. */
export const UserCreate = () => (
  <Create redirect="list">
    <SimpleForm defaultValues={{ language: 'it', role: 'operator', active: true, officeIds: [], skills: [] }}>
      <CommonInputs />
      <PasswordInput
        source="password"
        autoComplete="new-password"
        validate={[required(), ...validatePassword]}
        helperText="staff.hints.password"
      />
    </SimpleForm>
  </Create>
)

/** The password field appears only when the administrator asks to change it. */
const ChangePassword = () => {
  const translate = useTranslate()
  const [open, setOpen] = useState(false)
  return open ? (
    <PasswordInput
      source="password"
      autoComplete="new-password"
      validate={validatePassword}
      helperText="staff.hints.newPassword"
    />
  ) : (
    <Button size="small" onClick={() => setOpen(true)} sx={{ mb: 2 }}>
      {translate('staff.changePassword')}
    </Button>
  )
}

/** A staff user's role, offices, language and status; the password only on request. */
export const UserEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError }}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <CommonInputs />
        <ChangePassword />
      </SimpleForm>
    </Edit>
  )
}
