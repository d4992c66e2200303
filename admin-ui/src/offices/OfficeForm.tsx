import {
  BooleanInput,
  Create,
  Edit,
  email,
  maxLength,
  regex,
  required,
  SimpleForm,
  TextInput,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'

// The API's patterns, so the administrator hears about them before saving.
const validateCode = [required(), regex(/^[a-z0-9_-]{2,40}$/, 'admin.hints.officeCode')]
const validatePhone = regex(/^\+?[0-9 ./-]{3,30}$/, 'admin.hints.phone')

const OfficeInputs = () => (
  <>
    <TextInput source="code" validate={validateCode} helperText="admin.hints.officeCode" />
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
    <TextInput source="email" type="email" validate={[email(), maxLength(254)]} />
    <TextInput source="phone" validate={validatePhone} />
    <BooleanInput source="active" />
  </>
)

export const OfficeCreate = () => (
  <Create redirect="list">
    <SimpleForm defaultValues={{ active: true }}>
      <OfficeInputs />
    </SimpleForm>
  </Create>
)

export const OfficeEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError }}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <OfficeInputs />
      </SimpleForm>
    </Edit>
  )
}
