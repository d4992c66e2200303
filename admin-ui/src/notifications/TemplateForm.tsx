import { Box, Typography } from '@mui/material'
import {
  Datagrid,
  Edit,
  FormDataConsumer,
  FunctionField,
  List,
  maxLength,
  required,
  SelectField,
  SimpleForm,
  TextField,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { DateTimeField } from '../fields/DateTimeField.tsx'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import { languageChoices, TEMPLATE_VARIABLES, type TemplateView } from './notificationApi.ts'
import { TemplatePreviewPanel, type TemplateValues } from './TemplatePreviewPanel.tsx'

/** A template's trigger in words: "Risolta", "Riepilogo di più aggiornamenti"… */
export const TriggerLabel = ({ trigger }: { trigger: string }) => {
  const translate = useTranslate()
  return <>{translate(`notification.trigger.${trigger}`, { _: trigger })}</>
}

/** The API returns the templates whole, in a fixed order (trigger, then language): nothing to sort or page. */
export const TemplateList = () => (
  <List exporter={false} pagination={false}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <FunctionField<TemplateView>
        source="trigger"
        sortable={false}
        render={(r) => <TriggerLabel trigger={r.trigger} />}
      />
      <SelectField source="language" choices={languageChoices} sortable={false} />
      <TextField source="subject" sortable={false} />
      <DateTimeField source="updatedAt" sortable={false} />
    </Datagrid>
  </List>
)

const TemplateTitle = () => {
  const record = useRecordContext<TemplateView>()
  const translate = useTranslate()
  if (!record) return null
  return (
    <>
      {translate('notification.template.title', {
        trigger: translate(`notification.trigger.${record.trigger}`, { _: record.trigger }),
        language: translate(`notification.language.${record.language}`, { _: record.language }),
      })}
    </>
  )
}

const VariablesHelp = () => {
  const translate = useTranslate()
  return (
    <Typography variant="body2" color="text.secondary" data-testid="template-variables">
      {translate('notification.template.variables', {
        variables: TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', '),
      })}
    </Typography>
  )
}

const TemplateInputs = () => (
  <Box sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
    <VariablesHelp />
    <TextInput
      source="subject"
      validate={[required(), maxLength(200)]}
      helperText="notification.template.subjectHelp"
      fullWidth
    />
    <TextInput
      source="markdown"
      validate={[required(), maxLength(20_000)]}
      helperText="notification.template.markdownHelp"
      multiline
      minRows={6}
      fullWidth
    />
    <TextInput
      source="emailHtml"
      validate={[required(), maxLength(50_000)]}
      helperText="notification.template.emailHtmlHelp"
      multiline
      minRows={6}
      fullWidth
    />
    <TextInput
      source="emailText"
      validate={[required(), maxLength(20_000)]}
      multiline
      minRows={6}
      fullWidth
    />
  </Box>
)

/** The template's texts beside a live preview of what the citizen would receive. */
export const TemplateEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect={false} mutationOptions={{ onError }} title={<TemplateTitle />}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
            gap: 3,
            width: '100%',
          }}
        >
          <TemplateInputs />
          <FormDataConsumer<TemplateValues>>
            {({ formData }) => <TemplatePreviewPanel values={formData} />}
          </FormDataConsumer>
        </Box>
      </SimpleForm>
    </Edit>
  )
}
