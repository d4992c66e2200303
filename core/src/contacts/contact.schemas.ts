import Type, { type Static } from 'typebox'
import { ChannelSchema, StatusSchema } from '../cases/case.schemas.ts'
import {
  CONSENT_KINDS,
  CONTACT_KINDS,
  CONTACT_LANGUAGES,
  DUPLICATE_REASONS,
  PREFERRED_CHANNELS,
} from './contact.values.ts'

export type { ConsentKind, ContactKind, DuplicateReason, PreferredChannel } from './contact.values.ts'
export {
  CONSENT_KINDS,
  CONTACT_KINDS,
  CONTACT_LANGUAGES,
  DUPLICATE_REASONS,
  PREFERRED_CHANNELS,
} from './contact.values.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })

export const ContactKindSchema = Type.Enum(CONTACT_KINDS)
export const PreferredChannelSchema = Type.Enum(PREFERRED_CHANNELS)
export const ContactLanguageSchema = Type.Enum(CONTACT_LANGUAGES)
export const ConsentKindSchema = Type.Enum(CONSENT_KINDS)

export const ContactEmailView = Type.Object({
  email: Type.String({ examples: ['mario.rossi@example.com'] }),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
  verified: Type.Boolean(),
})
export type ContactEmailView = Static<typeof ContactEmailView>

export const ContactPhoneView = Type.Object({
  phone: Type.String({ description: 'E.164', examples: ['+390574123456'] }),
  label: Nullable(Type.String()),
  isPrimary: Type.Boolean(),
  verified: Type.Boolean(),
})
export type ContactPhoneView = Static<typeof ContactPhoneView>

export const ConsentView = Type.Object({
  kind: ConsentKindSchema,
  granted: Type.Boolean(),
  at: Timestamp,
  source: Nullable(Type.String()),
})
export type ConsentView = Static<typeof ConsentView>

/** The other side of a person–organisation link. */
export const MembershipView = Type.Object({
  contactId: Type.Integer(),
  displayName: Type.String(),
  role: Nullable(Type.String()),
})
export type MembershipView = Static<typeof MembershipView>

export const ContactView = Type.Object({
  id: Type.Integer(),
  kind: ContactKindSchema,
  /** "First Last" for a person, the ragione sociale for an organisation. */
  displayName: Type.String(),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  organisationName: Nullable(Type.String()),
  fiscalCode: Nullable(Type.String({ examples: ['RSSMRA85T10A562S'] })),
  vatNumber: Nullable(Type.String({ examples: ['01234567897'] })),
  email: Nullable(Type.String({ description: 'The primary email address' })),
  phone: Nullable(Type.String({ description: 'The primary phone number, E.164' })),
  emails: Type.Array(ContactEmailView),
  phones: Type.Array(ContactPhoneView),
  preferredChannel: Nullable(PreferredChannelSchema),
  language: ContactLanguageSchema,
  consents: Type.Array(ConsentView),
  /** For a person: the organisations they act for. */
  organisations: Type.Array(MembershipView),
  /** For an organisation: the people acting for it. */
  members: Type.Array(MembershipView),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
})
export type ContactView = Static<typeof ContactView>

const EmailInput = Type.Object(
  {
    email: Text(254, 3),
    label: Type.Optional(Nullable(Text(40, 1))),
    isPrimary: Type.Optional(Type.Boolean()),
    verified: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type EmailInput = Static<typeof EmailInput>

const PhoneInput = Type.Object(
  {
    phone: Type.String({
      minLength: 3,
      maxLength: 40,
      description: 'Any spelling; read as Italian without +',
    }),
    label: Type.Optional(Nullable(Text(40, 1))),
    isPrimary: Type.Optional(Type.Boolean()),
    verified: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type PhoneInput = Static<typeof PhoneInput>

const ConsentInput = Type.Object(
  { kind: ConsentKindSchema, granted: Type.Boolean(), source: Type.Optional(Nullable(Text(100, 1))) },
  { additionalProperties: false },
)
export type ConsentInput = Static<typeof ConsentInput>

const MembershipInput = Type.Object(
  { organisationId: Id, role: Type.Optional(Nullable(Text(100, 1))) },
  { additionalProperties: false },
)
export type MembershipInput = Static<typeof MembershipInput>

const editable = {
  firstName: Type.Optional(Nullable(Text(100))),
  lastName: Type.Optional(Nullable(Text(100))),
  organisationName: Type.Optional(Nullable(Text(200))),
  fiscalCode: Type.Optional(Nullable(Text(20))),
  vatNumber: Type.Optional(Nullable(Text(20))),
  emails: Type.Optional(
    Type.Array(EmailInput, {
      maxItems: 10,
      description: 'Replaces the list; the first is primary unless one says so',
    }),
  ),
  phones: Type.Optional(
    Type.Array(PhoneInput, {
      maxItems: 10,
      description: 'Replaces the list; the first is primary unless one says so',
    }),
  ),
  preferredChannel: Type.Optional(Nullable(PreferredChannelSchema)),
  language: Type.Optional(ContactLanguageSchema),
  consents: Type.Optional(
    Type.Array(ConsentInput, {
      maxItems: 8,
      description: 'Sets the consents named; the others stay as they are',
    }),
  ),
  organisations: Type.Optional(
    Type.Array(MembershipInput, {
      maxItems: 50,
      description: 'A person only: replaces the organisations they act for',
    }),
  ),
}

export const CreateContactBody = Type.Object(
  { kind: ContactKindSchema, ...editable },
  { additionalProperties: false },
)
export type CreateContactBody = Static<typeof CreateContactBody>

export const UpdateContactBody = Type.Object(
  {
    ...editable,
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version read; or send it as If-Match: "<version>"' }),
    ),
  },
  { additionalProperties: false },
)
export type UpdateContactBody = Static<typeof UpdateContactBody>

const OneOrMany = <T extends Parameters<typeof Type.Array>[0]>(t: T) =>
  Type.Union([t, Type.Array(t, { minItems: 1, maxItems: 100 })])

/** Filters of the contact list; `q` matches names (accents ignored), codice fiscale, email or phone. */
export const ContactFilter = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    id: Type.Optional(OneOrMany(Id)),
    kind: Type.Optional(ContactKindSchema),
    fiscalCode: Type.Optional(Type.String({ maxLength: 20 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    organisationId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type ContactFilter = Static<typeof ContactFilter>

export const CONTACT_SORTS = [
  'id',
  'createdAt',
  'updatedAt',
  'lastName',
  'firstName',
  'organisationName',
  'fiscalCode',
] as const
export type ContactSort = (typeof CONTACT_SORTS)[number]

export const DuplicateView = Type.Object({
  contact: ContactView,
  reasons: Type.Array(Type.Enum(DUPLICATE_REASONS), { minItems: 1 }),
  /** Trigram similarity of the names, 0–1. */
  nameSimilarity: Type.Number(),
})
export type DuplicateView = Static<typeof DuplicateView>

export const MergeContactBody = Type.Object(
  { duplicateId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
)
export type MergeContactBody = Static<typeof MergeContactBody>

/** Filters of a contact's history: the case list's channel and status filters. */
export const ContactHistoryFilter = Type.Object(
  {
    channel: Type.Optional(OneOrMany(ChannelSchema)),
    status: Type.Optional(OneOrMany(StatusSchema)),
  },
  { additionalProperties: false },
)
export type ContactHistoryFilter = Static<typeof ContactHistoryFilter>
export const CONTACT_HISTORY_SORTS = ['createdAt', 'updatedAt', 'id'] as const
