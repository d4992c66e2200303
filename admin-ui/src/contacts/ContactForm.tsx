import { checkFiscalCode } from '@filo/core/contacts/codice-fiscale'
import { checkVatNumber } from '@filo/core/contacts/partita-iva'
import {
  ArrayInput,
  BooleanInput,
  Create,
  Edit,
  email,
  FormDataConsumer,
  maxLength,
  required,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
} from 'react-admin'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import type { ContactKind } from '../types.ts'
import { consentChoices, kindChoices, languageChoices, preferredChannelChoices } from './contactChoices.ts'

// Hints only: the API checks the same and its message is what counts.
const validateFiscalCode = (value: unknown) => {
  if (typeof value !== 'string' || !value.trim()) return undefined
  const check = checkFiscalCode(value)
  if (check.ok) return undefined
  return check.reason === 'check'
    ? { message: 'contact.hints.fiscalCodeCheck', args: { expected: check.expected } }
    : 'contact.hints.fiscalCodeFormat'
}
const validateVatNumber = (value: unknown) => {
  if (typeof value !== 'string' || !value.trim()) return undefined
  const check = checkVatNumber(value)
  if (check.ok) return undefined
  return check.reason === 'check'
    ? { message: 'contact.hints.vatNumberCheck', args: { expected: check.expected } }
    : 'contact.hints.vatNumberFormat'
}
const validatePhone = (value: unknown) =>
  typeof value === 'string' && !/^\+?[0-9 ()./-]{3,40}$/.test(value.trim())
    ? 'contact.hints.phone'
    : undefined

/** The inputs of a person or an organisation; `kind` decides which names are asked. */
const ContactInputs = ({ kind }: { kind?: ContactKind }) => (
  <>
    {kind === 'organisation' ? (
      <TextInput source="organisationName" validate={[required(), maxLength(200)]} fullWidth />
    ) : (
      <>
        <TextInput source="firstName" validate={maxLength(100)} />
        <TextInput source="lastName" validate={maxLength(100)} />
      </>
    )}
    <TextInput
      source="fiscalCode"
      validate={validateFiscalCode}
      helperText="contact.hints.fiscalCode"
      parse={(v: string) => (v ? v.toUpperCase() : null)}
    />
    {kind === 'organisation' && <TextInput source="vatNumber" validate={validateVatNumber} />}
    <ArrayInput source="emails">
      <SimpleFormIterator inline disableReordering>
        <TextInput
          source="email"
          label="contact.input.email"
          validate={[required(), email(), maxLength(254)]}
          helperText={false}
        />
        <TextInput source="label" label="contact.input.label" validate={maxLength(40)} helperText={false} />
        <BooleanInput source="isPrimary" label="contact.input.isPrimary" helperText={false} />
      </SimpleFormIterator>
    </ArrayInput>
    <ArrayInput source="phones">
      <SimpleFormIterator inline disableReordering>
        <TextInput
          source="phone"
          label="contact.input.phone"
          validate={[required(), validatePhone]}
          helperText={false}
        />
        <TextInput source="label" label="contact.input.label" validate={maxLength(40)} helperText={false} />
        <BooleanInput source="isPrimary" label="contact.input.isPrimary" helperText={false} />
      </SimpleFormIterator>
    </ArrayInput>
    <SelectInput source="preferredChannel" choices={preferredChannelChoices} emptyText="contact.none" />
    <SelectInput source="language" choices={languageChoices} validate={required()} />
    <ArrayInput source="consents">
      <SimpleFormIterator inline disableReordering>
        <SelectInput
          source="kind"
          label="contact.input.consentKind"
          choices={consentChoices}
          validate={required()}
          helperText={false}
        />
        <BooleanInput source="granted" label="contact.input.granted" helperText={false} />
        <TextInput
          source="source"
          label="contact.input.source"
          validate={maxLength(100)}
          helperText={false}
        />
      </SimpleFormIterator>
    </ArrayInput>
  </>
)

/** A new person or organisation. */
export const ContactCreate = () => (
  <Create redirect="show">
    <SimpleForm defaultValues={{ kind: 'person', language: 'it', emails: [], phones: [], consents: [] }}>
      <SelectInput source="kind" choices={kindChoices} validate={required()} />
      <FormDataConsumer<{ kind?: ContactKind }>>
        {({ formData }) => <ContactInputs kind={formData.kind} />}
      </FormDataConsumer>
    </SimpleForm>
  </Create>
)

/** A contact's details; only the changed fields are sent, with the version read. */
export const ContactEdit = () => {
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="show" mutationOptions={{ onError }}>
      <SimpleForm resetOptions={keepDirtyOnReload} toolbar={<SaveOnlyToolbar />}>
        {alert}
        <FormDataConsumer<{ kind?: ContactKind }>>
          {({ formData }) => <ContactInputs kind={formData.kind} />}
        </FormDataConsumer>
      </SimpleForm>
    </Edit>
  )
}
