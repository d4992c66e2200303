import {
  AutocompleteArrayInput,
  BooleanInput,
  Create,
  Edit,
  maxLength,
  ReferenceArrayInput,
  ReferenceInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import { ASSIGNMENT_STRATEGIES, type User } from '../types.ts'

const strategyChoices = ASSIGNMENT_STRATEGIES.map((id) => ({ id, name: `routing.assignment.${id}` }))
const userName = (user: User) => user.fullName

const validateCode = [required(), regex(/^[a-z0-9_-]{2,40}$/, 'admin.hints.officeCode')]

const QueueInputs = () => (
  <>
    <TextInput source="code" validate={validateCode} helperText="admin.hints.officeCode" />
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
    <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
      <SelectInput optionText="name" />
    </ReferenceInput>
    <BooleanInput source="active" />
    <SelectInput
      source="assignmentStrategy"
      choices={strategyChoices}
      validate={required()}
      helperText="queue.hints.assignmentStrategy"
    />
    <BooleanInput source="releaseOnOffline" helperText="queue.hints.releaseOnOffline" />
    <ReferenceArrayInput
      source="memberIds"
      reference="users"
      sort={{ field: 'fullName', order: 'ASC' }}
      filter={{ active: true }}
      perPage={200}
    >
      <AutocompleteArrayInput
        optionText={userName}
        helperText="queue.hints.memberIds"
        noOptionsText="ra.navigation.no_results"
        fullWidth
      />
    </ReferenceArrayInput>
  </>
)

export const QueueCreate = () => (
  <Create redirect="list">
    <SimpleForm
      defaultValues={{ active: true, assignmentStrategy: 'manual', releaseOnOffline: true, memberIds: [] }}
    >
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
