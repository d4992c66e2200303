import { Alert, Box, Button, Card, CardContent, Typography } from '@mui/material'
import { useId, useState } from 'react'
import {
  AutocompleteInput,
  DateTimeInput,
  Form,
  maxLength,
  maxValue,
  minValue,
  NullableBooleanInput,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  TextInput,
  useDataProvider,
  useInput,
  useNotify,
  useTranslate,
} from 'react-admin'
import { channelChoices } from '../cases/caseChoices.ts'
import { useCategoryName } from '../categories/useCategoryName.ts'
import type { FiloDataProvider } from '../dataProvider.ts'
import { detailsGrid } from '../layout/ShowSection.tsx'
import { CONTACT_LANGUAGES } from '../types.ts'
import { type AreaPreset, changedValue, type RoutingSample, type RoutingTestResult } from './ruleForm.ts'
import { useAreaPresets } from './useAreaPresets.ts'
import { useActionsSummary } from './useRuleSummary.ts'

const languageChoices = CONTACT_LANGUAGES.map((id) => ({ id, name: `contact.language.${id}` }))

const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** The tester's form as the API's sample message: empty inputs are left out. */
export function sampleOf(values: Record<string, unknown>): RoutingSample {
  const fiscalCode = text(values.fiscalCode).trim()
  const contact: NonNullable<RoutingSample['contact']> = {
    ...(fiscalCode ? { fiscalCode } : {}),
    ...(typeof values.isOrganisation === 'boolean' ? { isOrganisation: values.isOrganisation } : {}),
    ...(values.language === 'it' || values.language === 'en' ? { language: values.language } : {}),
  }
  const latitude = number(values.latitude)
  const longitude = number(values.longitude)
  const receivedAt =
    typeof values.receivedAt === 'string' || values.receivedAt instanceof Date
      ? new Date(values.receivedAt)
      : undefined
  return {
    channel: values.channel as RoutingSample['channel'],
    subject: text(values.subject),
    text: text(values.text),
    ...(typeof values.categoryId === 'number' ? { categoryId: values.categoryId } : {}),
    ...(Object.keys(contact).length ? { contact } : {}),
    ...(latitude !== undefined && longitude !== undefined ? { location: { latitude, longitude } } : {}),
    ...(receivedAt && !Number.isNaN(receivedAt.getTime()) ? { receivedAt: receivedAt.toISOString() } : {}),
  }
}

/** Picking a circoscrizione puts the pin at its centre; the coordinates stay editable. */
const AreaCentrePicker = ({ presets }: { presets: readonly AreaPreset[] }) => {
  const { field: latitude } = useInput({ source: 'latitude' })
  const { field: longitude } = useInput({ source: 'longitude' })
  const pick = (event: unknown) => {
    const area = presets.find((p) => p.id === changedValue(event))
    if (!area) return
    latitude.onChange(area.centre.latitude)
    longitude.onChange(area.centre.longitude)
  }
  return (
    <SelectInput
      source="areaCentre"
      onChange={pick}
      label="routing.tester.areaCentre"
      choices={presets.map((p) => ({ id: p.id, name: p.name }))}
      translateChoice={false}
      helperText={false}
    />
  )
}

/** Which rule fires, what it does, why, and which rules were passed over on the way. */
const TesterResult = ({ result }: { result: RoutingTestResult }) => {
  const translate = useTranslate()
  const actions = useActionsSummary(result.actions)
  // The API's sentences list the rules passed over first, then why the decision was taken.
  const passedOver = result.text.slice(0, result.rejected.length)
  const why = result.text.slice(result.rejected.length)
  return (
    <Box role="status" sx={{ mt: 2 }}>
      <Alert severity={result.rule ? 'success' : 'info'}>
        {result.rule
          ? translate('routing.tester.fired', { name: result.rule.name })
          : translate('routing.tester.default')}
      </Alert>
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
        {translate('routing.tester.actions')}
      </Typography>
      <Typography variant="body2">{actions}</Typography>
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
        {translate('routing.tester.why')}
      </Typography>
      <Box component="ul" sx={{ my: 0 }}>
        {why.map((line) => (
          <li key={line}>
            <Typography variant="body2">{line}</Typography>
          </li>
        ))}
      </Box>
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
        {translate('routing.tester.rejected')}
      </Typography>
      {passedOver.length ? (
        <Box component="ul" sx={{ my: 0 }}>
          {passedOver.map((line) => (
            <li key={line}>
              <Typography variant="body2">{line}</Typography>
            </li>
          ))}
        </Box>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {translate('routing.tester.noneRejected')}
        </Typography>
      )}
    </Box>
  )
}

/**
 * The rule tester: a sample message goes to POST /routing-rules/test, which answers
 * with the rule the enabled rules would fire (or the default) and the reasons, in the
 * console's language. Nothing is saved; supervisors may use it too.
 */
export const RuleTester = () => {
  const translate = useTranslate()
  const notify = useNotify()
  const dataProvider = useDataProvider<FiloDataProvider>()
  const categoryName = useCategoryName()
  const { presets } = useAreaPresets()
  const titleId = useId()
  const [result, setResult] = useState<RoutingTestResult>()
  const [pending, setPending] = useState(false)
  const run = async (values: Record<string, unknown>) => {
    setPending(true)
    try {
      setResult(await dataProvider.testRouting(sampleOf(values)))
    } catch (error) {
      notify(error instanceof Error ? error.message : 'ra.notification.http_error', { type: 'error' })
    } finally {
      setPending(false)
    }
  }
  return (
    <Card component="section" aria-labelledby={titleId} sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" id={titleId}>
          {translate('routing.tester.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('routing.tester.help')}
        </Typography>
        <Form defaultValues={{ channel: 'email', subject: '', text: '' }} onSubmit={run}>
          <Box sx={detailsGrid}>
            <SelectInput
              source="channel"
              label="routing.tester.channel"
              choices={channelChoices}
              validate={required()}
            />
            <ReferenceInput
              source="categoryId"
              reference="categories"
              sort={{ field: 'nameIt', order: 'ASC' }}
            >
              <AutocompleteInput label="routing.tester.categoryId" optionText={categoryName} />
            </ReferenceInput>
            <DateTimeInput source="receivedAt" label="routing.tester.receivedAt" />
          </Box>
          <TextInput source="subject" label="routing.tester.subject" validate={maxLength(300)} fullWidth />
          <TextInput
            source="text"
            label="routing.tester.text"
            validate={maxLength(20_000)}
            multiline
            minRows={3}
            fullWidth
          />
          <Box sx={detailsGrid}>
            <TextInput source="fiscalCode" label="routing.tester.fiscalCode" validate={maxLength(16)} />
            <NullableBooleanInput
              source="isOrganisation"
              label="routing.tester.isOrganisation"
              nullLabel="routing.indifferent"
              trueLabel="routing.yes"
              falseLabel="routing.no"
            />
            <SelectInput
              source="language"
              label="routing.tester.language"
              choices={languageChoices}
              emptyText="routing.indifferent"
            />
          </Box>
          <Box sx={detailsGrid}>
            <AreaCentrePicker presets={presets} />
            <NumberInput
              source="latitude"
              label="routing.tester.latitude"
              validate={[minValue(-90), maxValue(90)]}
              step={0.001}
            />
            <NumberInput
              source="longitude"
              label="routing.tester.longitude"
              validate={[minValue(-180), maxValue(180)]}
              step={0.001}
            />
          </Box>
          <Button type="submit" variant="contained" disabled={pending}>
            {translate('routing.tester.run')}
          </Button>
        </Form>
        {result && <TesterResult result={result} />}
      </CardContent>
    </Card>
  )
}
