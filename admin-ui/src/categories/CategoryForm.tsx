import {
  ArrayInput,
  AutocompleteInput,
  BooleanInput,
  Create,
  Edit,
  FormDataConsumer,
  maxLength,
  NumberInput,
  ReferenceInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import { type Category, type CategoryQuestion, QUESTION_DATATYPES } from '../types.ts'
import { RequiredSkillsInput } from './RequiredSkillsInput.tsx'
import { useCategoryName } from './useCategoryName.ts'

const LIST_DATATYPES: readonly string[] = ['singlevaluelist', 'multivaluelist']
const datatypeChoices = QUESTION_DATATYPES.map((id) => ({ id, name: `admin.datatype.${id}` }))
const validateCode = [required(), regex(/^[a-z0-9_.-]{2,80}$/, 'admin.hints.categoryCode')]
const validateName = [required(), maxLength(200)]

/** Choices belong only to list questions: the API refuses them on any other datatype. */
const cleanQuestions = <T extends { questions?: CategoryQuestion[] }>(data: T): T =>
  data.questions
    ? {
        ...data,
        questions: data.questions.map(({ values, ...q }) =>
          LIST_DATATYPES.includes(q.datatype) ? { ...q, values: values ?? [] } : q,
        ),
      }
    : data

const CategoryInputs = () => {
  const categoryName = useCategoryName()
  return (
    <>
      <TextInput source="code" validate={validateCode} helperText="admin.hints.categoryCode" />
      <TextInput source="nameIt" validate={validateName} fullWidth />
      <TextInput source="nameEn" validate={validateName} fullWidth />
      <ReferenceInput source="parentId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
        <AutocompleteInput optionText={(c: Category) => categoryName(c)} helperText="admin.hints.parent" />
      </ReferenceInput>
      <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
        <SelectInput optionText="name" />
      </ReferenceInput>
      <NumberInput source="sortOrder" />
      <BooleanInput source="active" />
      <RequiredSkillsInput />
      <ArrayInput source="questions">
        <SimpleFormIterator>
          <TextInput
            source="code"
            label="admin.question.code"
            validate={[required(), regex(/^[a-z][a-z0-9_]{0,39}$/, 'admin.hints.questionCode')]}
          />
          <TextInput source="labelIt" label="admin.question.labelIt" validate={validateName} fullWidth />
          <TextInput source="labelEn" label="admin.question.labelEn" validate={validateName} fullWidth />
          <SelectInput
            source="datatype"
            label="admin.question.datatype"
            defaultValue="string"
            choices={datatypeChoices}
            validate={required()}
          />
          <BooleanInput source="required" label="admin.question.required" defaultValue={false} />
          <NumberInput
            source="order"
            label="admin.question.order"
            defaultValue={0}
            min={0}
            max={1000}
            validate={required()}
          />
          <FormDataConsumer<CategoryQuestion>>
            {({ scopedFormData }) =>
              scopedFormData && LIST_DATATYPES.includes(scopedFormData.datatype) ? (
                <ArrayInput source="values" label="admin.question.values">
                  <SimpleFormIterator inline>
                    <TextInput
                      source="key"
                      label="admin.question.key"
                      validate={required()}
                      helperText={false}
                    />
                    <TextInput
                      source="nameIt"
                      label="admin.question.nameIt"
                      validate={validateName}
                      helperText={false}
                    />
                    <TextInput
                      source="nameEn"
                      label="admin.question.nameEn"
                      validate={validateName}
                      helperText={false}
                    />
                  </SimpleFormIterator>
                </ArrayInput>
              ) : null
            }
          </FormDataConsumer>
        </SimpleFormIterator>
      </ArrayInput>
    </>
  )
}

export const CategoryCreate = () => (
  <Create redirect="list" transform={cleanQuestions}>
    <SimpleForm defaultValues={{ active: true, sortOrder: 0, questions: [], requiredSkills: [] }}>
      <CategoryInputs />
    </SimpleForm>
  </Create>
)

export const CategoryEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError }} transform={cleanQuestions}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <CategoryInputs />
      </SimpleForm>
    </Edit>
  )
}
