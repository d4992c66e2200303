import { useState } from 'react'
import {
  AutocompleteArrayInput,
  AutocompleteInput,
  Edit,
  maxLength,
  maxValue,
  minValue,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useRecordContext,
} from 'react-admin'
import { useCategoryName } from '../categories/useCategoryName.ts'
import { SaveOnlyToolbar } from '../layout/SaveOnlyToolbar.tsx'
import { keepDirtyOnReload, useVersionConflict } from '../layout/VersionConflict.tsx'
import type { Case, Contact, User } from '../types.ts'
import { CaseEditLiveNotice, CaseViewers } from './CaseLive.tsx'
import { priorityChoices } from './caseChoices.ts'

// The same limits as the API's schema, so the operator hears about them before saving.
const validateSubject = [required(), maxLength(300)]
const validateDescription = maxLength(20000)
// react-admin turns an emptied input into null; the API wants a description string, possibly empty.
const keepEmptyString = (value: string) => value
const validateTags = (tags: unknown) =>
  Array.isArray(tags) && tags.some((t) => typeof t !== 'string' || /,|^\s/.test(t) || t.length > 40)
    ? 'resources.cases.hints.tags'
    : undefined

/** Tags are free words: the case's own are the choices, and a typed one is added. */
const TagsInput = () => {
  const record = useRecordContext<Case>()
  const [extra, setExtra] = useState<string[]>([])
  const choices = [...new Set([...(record?.tags ?? []), ...extra])].map((t) => ({ id: t, name: t }))
  return (
    <AutocompleteArrayInput
      source="tags"
      choices={choices}
      validate={validateTags}
      onCreate={(text) => {
        const tag = text?.trim()
        if (!tag) return undefined
        setExtra((prev) => [...prev, tag])
        return { id: tag, name: tag }
      }}
      createItemLabel="resources.cases.hints.newTag"
      fullWidth
    />
  )
}

const userName = (user: User) => user.fullName
const contactName = (contact: Contact) =>
  [contact.displayName, contact.fiscalCode ?? contact.vatNumber ?? contact.email].filter(Boolean).join(' · ')

/**
 * A case's editable fields. The save sends only what changed, with the version
 * read; when someone else saved first the API answers 409 and the operator
 * reloads the case (their own unsaved changes stay in the form).
 */
export const CaseEdit = () => {
  const categoryName = useCategoryName()
  const { onError, alert } = useVersionConflict()
  return (
    <Edit mutationMode="pessimistic" redirect="show" mutationOptions={{ onError }}>
      <SimpleForm toolbar={<SaveOnlyToolbar />} resetOptions={keepDirtyOnReload}>
        {alert}
        <CaseEditLiveNotice />
        <CaseViewers />
        <TextInput source="subject" validate={validateSubject} fullWidth />
        <TextInput
          source="description"
          validate={validateDescription}
          parse={keepEmptyString}
          multiline
          minRows={4}
          fullWidth
        />
        <SelectInput source="priority" choices={priorityChoices} validate={required()} />
        <ReferenceInput source="categoryId" reference="categories" sort={{ field: 'nameIt', order: 'ASC' }}>
          <AutocompleteInput optionText={categoryName} fullWidth />
        </ReferenceInput>
        <ReferenceInput source="officeId" reference="offices" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput optionText="name" />
        </ReferenceInput>
        <ReferenceInput source="queueId" reference="queues" sort={{ field: 'name', order: 'ASC' }}>
          <SelectInput optionText="name" />
        </ReferenceInput>
        <ReferenceInput
          source="assigneeId"
          reference="users"
          sort={{ field: 'fullName', order: 'ASC' }}
          filter={{ active: true }}
        >
          <AutocompleteInput optionText={userName} />
        </ReferenceInput>
        <ReferenceInput source="contactId" reference="contacts" sort={{ field: 'lastName', order: 'ASC' }}>
          <AutocompleteInput optionText={contactName} fullWidth />
        </ReferenceInput>
        <TagsInput />
        <TextInput source="address" validate={maxLength(300)} fullWidth />
        <TextInput source="civicNumber" validate={maxLength(20)} />
        <NumberInput source="latitude" validate={[minValue(-90), maxValue(90)]} />
        <NumberInput source="longitude" validate={[minValue(-180), maxValue(180)]} />
      </SimpleForm>
    </Edit>
  )
}
