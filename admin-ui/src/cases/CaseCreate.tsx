import {
  AutocompleteInput,
  Create,
  maxLength,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin'
import { useCategoryName } from '../categories/useCategoryName.ts'
import { channelChoices, priorityChoices } from './caseChoices.ts'

// The same limits as the database's check constraints, so the operator hears about them before saving.
const validateSubject = [required(), maxLength(300)]
const validateDescription = maxLength(20000)
// react-admin turns an emptied input into null; the API wants a description string, possibly empty.
const keepEmptyString = (value: string) => value

/** A case opened by an operator, e.g. while on the phone with a citizen. */
export const CaseCreate = () => {
  const categoryName = useCategoryName()
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ channel: 'phone', priority: 'normal' }}>
        <TextInput source="subject" validate={validateSubject} fullWidth />
        <TextInput
          source="description"
          validate={validateDescription}
          parse={keepEmptyString}
          multiline
          minRows={4}
          fullWidth
        />
        <SelectInput source="channel" choices={channelChoices} validate={required()} />
        <SelectInput source="priority" choices={priorityChoices} validate={required()} />
        <ReferenceInput source="categoryId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
          <AutocompleteInput optionText={categoryName} />
        </ReferenceInput>
        <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput optionText="name" />
        </ReferenceInput>
      </SimpleForm>
    </Create>
  )
}
