import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  Edit,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  required,
  SearchInput,
  SelectField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useTranslate,
} from 'react-admin'
import type { CannedReplyView } from '../cases/replyApi.ts'
import { CategoryNameField } from '../categories/CategoryNameField.tsx'
import { DateTimeField } from '../fields/DateTimeField.tsx'

export const cannedLanguageChoices = [
  { id: 'it', name: 'canned.language.it' },
  { id: 'en', name: 'canned.language.en' },
]

/** The variables a canned reply may use, as the API lists them. */
export const CANNED_VARIABLES = [
  'numero',
  'oggetto',
  'nome',
  'link_stato',
  'stato',
  'categoria',
  'ufficio',
  'operatore',
  'data_apertura',
] as const

const BodyHelp = () => {
  const translate = useTranslate()
  return (
    <>
      {translate('canned.variablesHelp', {
        variables: CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', '),
      })}
    </>
  )
}

const CannedReplyFields = () => (
  <>
    <TextInput source="title" validate={required()} fullWidth />
    <SelectInput source="language" choices={cannedLanguageChoices} defaultValue="it" validate={required()} />
    <ReferenceInput source="categoryId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
      <SelectInput optionText="nameIt" helperText="canned.categoryHelp" />
    </ReferenceInput>
    <TextInput
      source="body"
      validate={required()}
      multiline
      minRows={6}
      fullWidth
      helperText={<BodyHelp />}
    />
    <BooleanInput source="active" defaultValue />
  </>
)

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="language" source="language" choices={cannedLanguageChoices} />,
]

export const CannedReplyList = () => (
  <List exporter={false} filters={filters} sort={{ field: 'title', order: 'ASC' }}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="title" />
      <SelectField source="language" choices={cannedLanguageChoices} />
      <ReferenceField source="categoryId" reference="categories" link={false} sortable={false}>
        <CategoryNameField />
      </ReferenceField>
      <FunctionField<CannedReplyView>
        source="variables"
        sortable={false}
        render={(r) => r.variables.map((v) => `{{${v}}}`).join(' ')}
      />
      <BooleanField source="active" sortable={false} />
      <DateTimeField source="updatedAt" />
    </Datagrid>
  </List>
)

export const CannedReplyCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <CannedReplyFields />
    </SimpleForm>
  </Create>
)

export const CannedReplyEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <CannedReplyFields />
    </SimpleForm>
  </Edit>
)
