import {
  BooleanInput,
  Create,
  Edit,
  maxLength,
  ReferenceInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'

const validateCode = [required(), regex(/^[a-z0-9_-]{2,40}$/, 'admin.hints.officeCode')]

const QueueInputs = () => (
  <>
    <TextInput source="code" validate={validateCode} helperText="admin.hints.officeCode" />
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
    <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
      <SelectInput optionText="name" />
    </ReferenceInput>
    <BooleanInput source="active" />
  </>
)

export const QueueCreate = () => (
  <Create redirect="list">
    <SimpleForm defaultValues={{ active: true }}>
      <QueueInputs />
    </SimpleForm>
  </Create>
)

export const QueueEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError }}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <QueueInputs />
      </SimpleForm>
    </Edit>
  )
}
