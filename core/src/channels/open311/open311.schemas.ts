import Type, { type Static } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })

/** An Open311 client app's key as admins see it: never the key itself, only its last characters. */
export const Open311KeyView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  hint: Type.String(),
  createdBy: Nullable(Type.Integer()),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  revokedBy: Nullable(Type.Integer()),
})
export type Open311KeyView = Static<typeof Open311KeyView>

export const CreateOpen311KeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120, description: 'The app (and who runs it)' }) },
  { additionalProperties: false },
)
export type CreateOpen311KeyBody = Static<typeof CreateOpen311KeyBody>

/** A new key: the only time it is shown. */
export const Open311KeyCreated = Type.Object({
  ...Open311KeyView.properties,
  apiKey: Type.String({ description: 'The api_key the app sends: shown this once, never again' }),
})
export type Open311KeyCreated = Static<typeof Open311KeyCreated>
