import Type, { type Static } from 'typebox'

export const ROLES = ['admin', 'supervisor', 'operator', 'office_staff', 'field_worker'] as const
export type Role = (typeof ROLES)[number]

/** Who is acting: every service call that reads or changes data takes one. */
export interface Actor {
  id: number
  role: Role
  /** The offices the actor works for (office_staff see only these offices' cases). */
  officeIds: number[]
  language: 'it' | 'en'
  /** Where the request came from, for the audit log. */
  ip?: string
  requestId?: string
}

export const StaffUserView = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  fullName: Type.String(),
  role: Type.Enum(ROLES),
  language: Type.Enum(['it', 'en']),
  officeIds: Type.Array(Type.Integer()),
})
export type StaffUserView = Static<typeof StaffUserView>

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBody>
