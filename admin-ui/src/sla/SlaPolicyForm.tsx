import { Box, Typography } from '@mui/material'
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  Edit,
  maxLength,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin'
import { priorityChoices } from '../cases/caseChoices.ts'
import { useCategoryName } from '../categories/useCategoryName.ts'
import { escalationInput } from '../dataProvider.ts'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import type { Category, SlaPolicy } from '../types.ts'
import { DurationInput } from './DurationInput.tsx'

const orNull = (value: unknown) => (value === '' || value === undefined ? null : value)

const Heading = ({ title, help }: { title: string; help?: string }) => {
  const translate = useTranslate()
  return (
    <>
      <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
        {translate(title)}
      </Typography>
      {help && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1, maxWidth: 720 }}>
          {translate(help)}
        </Typography>
      )}
    </>
  )
}

/** The actions of one timer, grouped under its title so each input is named by it too. */
const EscalationInputs = ({ source, title }: { source: 'onWarning' | 'onBreach'; title: string }) => {
  const translate = useTranslate()
  return (
    <Box role="group" aria-label={translate(title)} sx={{ display: 'flex', flexDirection: 'column' }}>
      <Heading title={title} help="sla.section.escalationHelp" />
      <BooleanInput
        source={`${source}.notifySupervisors`}
        label="sla.escalation.notifySupervisors"
        helperText={false}
      />
      <BooleanInput
        source={`${source}.raisePriority`}
        label="sla.escalation.raisePriority"
        helperText={false}
      />
      <ReferenceInput
        source={`${source}.moveToQueueId`}
        reference="queues"
        sort={{ field: 'name', order: 'ASC' }}
      >
        <SelectInput optionText="name" label="sla.escalation.moveToQueueId" parse={orNull} />
      </ReferenceInput>
    </Box>
  )
}

const SlaPolicyInputs = () => {
  const categoryName = useCategoryName()
  return (
    <>
      <TextInput source="name" validate={[required(), maxLength(120)]} fullWidth />
      <Heading title="sla.section.scope" help="sla.section.scopeHelp" />
      <ReferenceInput source="categoryId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
        <AutocompleteInput
          optionText={(c: Category) => categoryName(c)}
          helperText="sla.hints.category"
          noOptionsText="ra.navigation.no_results"
          parse={orNull}
        />
      </ReferenceInput>
      <SelectInput
        source="priority"
        choices={priorityChoices}
        emptyText="sla.anyPriority"
        helperText="sla.hints.priority"
        parse={orNull}
      />
      <ReferenceInput
        source="calendarId"
        reference="business-calendars"
        sort={{ field: 'name', order: 'ASC' }}
      >
        <SelectInput optionText="name" validate={required()} />
      </ReferenceInput>
      <Heading title="sla.section.targets" help="sla.section.targetsHelp" />
      <DurationInput source="firstResponseMinutes" max={525_600} isRequired />
      <DurationInput source="resolutionMinutes" max={5_256_000} isRequired />
      <NumberInput
        source="warnPercent"
        min={1}
        max={99}
        step={1}
        validate={required()}
        helperText="sla.hints.warnPercent"
      />
      <EscalationInputs source="onWarning" title="sla.section.onWarning" />
      <EscalationInputs source="onBreach" title="sla.section.onBreach" />
      <BooleanInput source="active" />
    </>
  )
}

/** What the API takes on create: escalations without empty keys, "any" as null. */
const toCreateBody = (data: Partial<SlaPolicy>) => ({
  ...data,
  categoryId: data.categoryId ?? null,
  priority: data.priority ?? null,
  onWarning: escalationInput(data.onWarning),
  onBreach: escalationInput(data.onBreach),
})

export const SlaPolicyCreate = () => (
  <Create redirect="list" transform={toCreateBody}>
    <SimpleForm
      defaultValues={{
        active: true,
        categoryId: null,
        priority: null,
        firstResponseMinutes: 540,
        resolutionMinutes: 8100,
        warnPercent: 75,
        // The database's defaults: supervisors hear of both timers.
        onWarning: { notifySupervisors: true, raisePriority: false },
        onBreach: { notifySupervisors: true, raisePriority: false },
      }}
    >
      <SlaPolicyInputs />
    </SimpleForm>
  </Create>
)

export const SlaPolicyEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError }}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <SlaPolicyInputs />
      </SimpleForm>
    </Edit>
  )
}
