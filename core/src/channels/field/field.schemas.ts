import Type, { type Static } from 'typebox'
import { CaseView } from '../../cases/case.schemas.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

export const FieldTokenBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    /** What the app calls the phone ("Pixel di Marco"), so a lost one can be told apart. */
    deviceName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  },
  { additionalProperties: false },
)
export type FieldTokenBody = Static<typeof FieldTokenBody>

export const FieldTokenCreated = Type.Object({
  id: Type.Integer(),
  /** Send as `Authorization: Bearer <token>`; shown this once. */
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  user: Type.Object({ id: Type.Integer(), email: Type.String(), fullName: Type.String() }),
})
export type FieldTokenCreated = Static<typeof FieldTokenCreated>

export const FieldReportBody = Type.Object(
  {
    /** The app's own id of the report (a UUID made on the phone): sending it again never makes a second case. */
    clientReportId: Type.String({ pattern: '^[A-Za-z0-9_-]{8,80}$' }),
    categoryId: Id,
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    /** The category's extra questions, by code. */
    answers: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 60 }),
        Type.Union([
          Type.String({ maxLength: 2000 }),
          Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
        ]),
      ),
    ),
  },
  { additionalProperties: false },
)
export type FieldReportBody = Static<typeof FieldReportBody>

export const FieldReportCreated = Type.Object({
  caseId: Type.Integer(),
  number: Type.String(),
  /** False when this clientReportId was already received: the case is the first one's. */
  created: Type.Boolean(),
})
export type FieldReportCreated = Static<typeof FieldReportCreated>

export const WorkOrderList = Type.Array(CaseView)

export const WorkOrderUpdateBody = Type.Object(
  {
    /** in_progress to start, resolved to close the work order. */
    status: Type.Optional(Type.Enum(['in_progress', 'resolved'])),
    /** What was done: on the timeline (the resolution's comment when closing). */
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
    /** The version of the work order the app read: a stale update is 409 with the current one. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false, minProperties: 2 },
)
export type WorkOrderUpdateBody = Static<typeof WorkOrderUpdateBody>
