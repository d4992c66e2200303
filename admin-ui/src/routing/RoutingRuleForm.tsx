import { Box, Divider, Typography } from '@mui/material'
import { type ReactNode, useMemo } from 'react'
import {
  ArrayInput,
  AutocompleteArrayInput,
  AutocompleteInput,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  Edit,
  FormDataConsumer,
  HttpError,
  Loading,
  maxLength,
  maxValue,
  minValue,
  NullableBooleanInput,
  NumberInput,
  ReferenceArrayInput,
  ReferenceInput,
  regex,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  Toolbar,
  useGetList,
  useInput,
  useRecordContext,
  useTranslate,
} from 'react-admin'
import { channelChoices, priorityChoices } from '../cases/caseChoices.ts'
import { useCategoryName } from '../categories/useCategoryName.ts'
import { detailsGrid } from '../layout/ShowSection.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import { CONTACT_LANGUAGES } from '../types.ts'
import {
  AREA_CUSTOM,
  type AreaPreset,
  ASSIGNMENT_STRATEGIES,
  changedValue,
  fromFormValues,
  newRuleValues,
  type RoutingRule,
  type RuleFormValues,
  toFormValues,
  validateGeoJson,
  WEEKDAYS,
} from './ruleForm.ts'
import { useAreaPresets } from './useAreaPresets.ts'

const languageChoices = CONTACT_LANGUAGES.map((id) => ({ id, name: `contact.language.${id}` }))
const assignmentChoices = ASSIGNMENT_STRATEGIES.map((id) => ({ id, name: `routing.assignment.${id}` }))
const weekdayChoices = WEEKDAYS.map((id) => ({ id, name: `routing.weekday.${id}` }))
const validateTime = regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'routing.section.timeHelp')
const validatePosition = [required(), minValue(0), maxValue(1_000_000)]
const tristate = { nullLabel: 'routing.indifferent', trueLabel: 'routing.yes', falseLabel: 'routing.no' }
const shrunkLabel = { inputLabel: { shrink: true } }

/** A titled part of the form, with a line on how it works. */
const Heading = ({ title, help }: { title: string; help?: string }) => {
  const translate = useTranslate()
  return (
    <Box sx={{ width: '100%', mt: 2 }}>
      <Divider sx={{ mb: 1 }} />
      <Typography variant="h6" component="h2">
        {translate(title)}
      </Typography>
      {help && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate(help)}
        </Typography>
      )}
    </Box>
  )
}

/** A list of words (or tags), one box each; the group is named by the list's label for assistive technology. */
const StringListInput = ({ source, itemLabel }: { source: string; itemLabel: string }) => {
  const translate = useTranslate()
  return (
    <Box
      role="group"
      aria-label={translate(`resources.routing-rules.fields.${source}`)}
      sx={{ width: '100%' }}
    >
      <ArrayInput source={source}>
        <SimpleFormIterator inline disableReordering disableClear>
          <TextInput source="" label={itemLabel} helperText={false} validate={maxLength(80)} />
        </SimpleFormIterator>
      </ArrayInput>
    </Box>
  )
}

/** Where: anywhere, one of Prato's circoscrizioni, or a custom GeoJSON shape checked before saving. */
const AreaInputs = ({ presets }: { presets: readonly AreaPreset[] }) => {
  const translate = useTranslate()
  const { field: mode } = useInput({ source: 'areaMode' })
  const { field: geoJson } = useInput({ source: 'areaGeoJson' })
  // A custom area starts from the circoscrizione chosen before (or the first), rather than from nothing.
  const choose = (event: unknown) => {
    if (changedValue(event) !== AREA_CUSTOM || String(geoJson.value ?? '').trim()) return
    const start = presets.find((p) => p.id === mode.value) ?? presets[0]
    if (start) geoJson.onChange(JSON.stringify(start.geometry, null, 2))
  }
  const choices = [
    ...presets.map((p) => ({ id: p.id, name: p.name })),
    { id: AREA_CUSTOM, name: 'routing.area.custom' },
  ]
  return (
    <>
      <SelectInput
        source="areaMode"
        choices={choices}
        onChange={choose}
        emptyText="routing.area.none"
        emptyValue=""
        helperText={false}
      />
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('routing.area.approximate')}
      </Typography>
      <FormDataConsumer<RuleFormValues>>
        {({ formData }) =>
          formData.areaMode === AREA_CUSTOM && (
            <TextInput
              source="areaGeoJson"
              multiline
              minRows={6}
              fullWidth
              validate={validateGeoJson}
              helperText="routing.area.geoJsonHelp"
              sx={{ '& textarea': { fontFamily: 'monospace' } }}
            />
          )
        }
      </FormDataConsumer>
    </>
  )
}

/**
 * The SLA policy to apply. The list of policies comes from another part of the API;
 * while it cannot be read, the policy is given by its id (and an existing one is kept).
 */
const SlaPolicyInput = () => {
  const sort = { field: 'id', order: 'ASC' } as const
  const { error, isPending } = useGetList(
    'sla-policies',
    { pagination: { page: 1, perPage: 25 }, sort },
    { retry: false },
  )
  if (isPending) return null
  if (error)
    return (
      <NumberInput
        source="actions.slaPolicyId"
        label="routing.sla.byId"
        helperText="routing.sla.unavailable"
        min={1}
      />
    )
  return (
    <ReferenceInput source="actions.slaPolicyId" reference="sla-policies" sort={sort}>
      <SelectInput optionText="name" />
    </ReferenceInput>
  )
}

const RuleInputs = ({ presets, top }: { presets: readonly AreaPreset[]; top?: ReactNode }) => {
  const categoryName = useCategoryName()
  return (
    <>
      {top}
      <TextInput source="name" validate={[required(), maxLength(120)]} fullWidth />
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <NumberInput source="position" validate={validatePosition} step={10} />
        <BooleanInput source="enabled" />
      </Box>

      <Heading title="routing.section.conditions" help="routing.section.conditionsHelp" />
      <CheckboxGroupInput source="conditions.channel" choices={channelChoices} />
      <ReferenceArrayInput
        source="conditions.categoryIds"
        reference="categories"
        sort={{ field: 'nameIt', order: 'ASC' }}
        perPage={500}
      >
        <AutocompleteArrayInput optionText={categoryName} fullWidth />
      </ReferenceArrayInput>

      <Heading title="routing.section.words" help="routing.section.wordsHelp" />
      <StringListInput source="conditions.words.any" itemLabel="routing.word" />
      <StringListInput source="conditions.words.all" itemLabel="routing.word" />
      <StringListInput source="conditions.words.none" itemLabel="routing.word" />

      <Heading title="routing.section.contact" />
      <Box sx={detailsGrid}>
        <NullableBooleanInput source="conditions.contact.hasFiscalCode" {...tristate} />
        <NullableBooleanInput source="conditions.contact.isOrganisation" {...tristate} />
        <SelectInput
          source="conditions.contact.language"
          choices={languageChoices}
          emptyText="routing.indifferent"
          emptyValue=""
        />
      </Box>

      <Heading title="routing.section.area" />
      <AreaInputs presets={presets} />

      <Heading title="routing.section.time" help="routing.section.timeHelp" />
      <CheckboxGroupInput source="conditions.timeWindow.days" choices={weekdayChoices} />
      <Box sx={{ display: 'flex', gap: 2 }}>
        <TextInput
          source="conditions.timeWindow.from"
          type="time"
          validate={validateTime}
          slotProps={shrunkLabel}
        />
        <TextInput
          source="conditions.timeWindow.to"
          type="time"
          validate={validateTime}
          slotProps={shrunkLabel}
        />
      </Box>

      <Heading title="routing.section.actions" help="routing.section.actionsHelp" />
      <Box sx={detailsGrid}>
        <ReferenceInput source="actions.queueId" reference="queues" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput optionText="name" />
        </ReferenceInput>
        <ReferenceInput source="actions.officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput optionText="name" />
        </ReferenceInput>
        <ReferenceInput
          source="actions.categoryId"
          reference="categories"
          sort={{ field: 'nameIt', order: 'ASC' }}
        >
          <AutocompleteInput optionText={categoryName} />
        </ReferenceInput>
      </Box>
      <Box sx={detailsGrid}>
        <SelectInput source="actions.priority" choices={priorityChoices} />
        <SelectInput source="actions.assignment" choices={assignmentChoices} />
        <SlaPolicyInput />
      </Box>
      <StringListInput source="actions.tags" itemLabel="routing.tag" />
    </>
  )
}

/** The API named the fields it refused: the form shows them, so no notification on top. */
const hasSubmissionErrors = (error: unknown): boolean =>
  error instanceof HttpError &&
  typeof error.body === 'object' &&
  error.body !== null &&
  'errors' in error.body &&
  error.body.errors != null

const useTransform = (presets: readonly AreaPreset[]) => (values: unknown) =>
  fromFormValues(values as RuleFormValues, presets)

/**
 * Save without Delete (rules are disabled, not deleted), always enabled: after a
 * version conflict the reload keeps the administrator's changes in the form but
 * react-hook-form no longer counts them as dirty, and they must still be savable.
 */
const EditToolbar = () => (
  <Toolbar>
    <SaveButton alwaysEnable />
  </Toolbar>
)

/** The rule read, as the form edits it (memoised: a new object would reset the form). */
const RuleEditForm = ({ presets, alert }: { presets: readonly AreaPreset[]; alert: ReactNode }) => {
  const rule = useRecordContext<RoutingRule>()
  const values = useMemo(() => (rule ? toFormValues(rule, presets) : undefined), [rule, presets])
  if (!values) return null
  return (
    <SimpleForm record={values} resetOptions={keepDirtyOnReload} toolbar={<EditToolbar />}>
      <RuleInputs presets={presets} top={alert} />
    </SimpleForm>
  )
}

/**
 * A rule's conditions and actions, with a real input for each. The save sends only
 * what changed with the version read; a stale version shows the conflict alert, and
 * the API's objections appear on the fields they concern.
 */
export const RoutingRuleEdit = () => {
  const { onError, alert } = useVersionConflict()
  const { presets, isPending } = useAreaPresets()
  const transform = useTransform(presets)
  return (
    <Edit
      mutationMode="pessimistic"
      redirect="list"
      transform={transform}
      mutationOptions={{
        onError: (error: unknown) => {
          if (!hasSubmissionErrors(error)) onError(error)
        },
      }}
    >
      {isPending ? <Loading /> : <RuleEditForm presets={presets} alert={alert} />}
    </Edit>
  )
}

/** A new rule, placed after the last one unless the administrator says otherwise. */
export const RoutingRuleCreate = () => {
  const { presets, isPending } = useAreaPresets()
  const transform = useTransform(presets)
  const { data: last, isPending: lastPending } = useGetList<RoutingRule>('routing-rules', {
    pagination: { page: 1, perPage: 1 },
    sort: { field: 'position', order: 'DESC' },
  })
  if (isPending || lastPending) return <Loading />
  const after = last?.[0] ? last[0].position + 10 : 10
  return (
    <Create redirect="list" transform={transform}>
      <SimpleForm defaultValues={newRuleValues(Math.min(after, 1_000_000))}>
        <RuleInputs presets={presets} />
      </SimpleForm>
    </Create>
  )
}
