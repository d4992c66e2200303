import Type, { type Static } from 'typebox'
import { PrioritySchema } from '../cases/case.schemas.ts'
import { BusinessCalendarSettings } from './calendar.schemas.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Version = Type.Integer({ minimum: 1 })
const Name = Type.String({ minLength: 1, maxLength: 120 })
const Timestamp = Type.String({ format: 'date-time' })

/** The two clocks of a case. */
export const SLA_TARGETS = ['first_response', 'resolution'] as const
export type SlaTarget = (typeof SLA_TARGETS)[number]
/** The two timers of each clock. */
export const SLA_PHASES = ['warning', 'breach'] as const
export type SlaPhase = (typeof SLA_PHASES)[number]

/** What happens when a timer fires, besides the event on the timeline. */
export const Escalation = Type.Object(
  {
    /** Tell the supervisors (and the assignee) in their notifications. */
    notifySupervisors: Type.Optional(Type.Boolean()),
    /** One step up: low → normal → high → urgent. */
    raisePriority: Type.Optional(Type.Boolean()),
    /** Move the case to this queue (it leaves its assignee and is assigned again there). */
    moveToQueueId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type Escalation = Static<typeof Escalation>

/** Targets are business minutes of the policy's calendar. */
const FirstResponseMinutes = Type.Integer({ minimum: 1, maximum: 525_600 })
const ResolutionMinutes = Type.Integer({ minimum: 1, maximum: 5_256_000 })
const WarnPercent = Type.Integer({ minimum: 1, maximum: 99 })

export const SlaPolicyView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** Null: any category. A policy of a category also covers its subcategories. */
  categoryId: Type.Union([Type.Integer(), Type.Null()]),
  /** Null: any priority. */
  priority: Type.Union([PrioritySchema, Type.Null()]),
  calendarId: Type.Integer(),
  firstResponseMinutes: Type.Integer(),
  resolutionMinutes: Type.Integer(),
  warnPercent: Type.Integer(),
  onWarning: Escalation,
  onBreach: Escalation,
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type SlaPolicyView = Static<typeof SlaPolicyView>

export const CreateSlaPolicyBody = Type.Object(
  {
    name: Name,
    categoryId: Type.Optional(Type.Union([Id, Type.Null()])),
    priority: Type.Optional(Type.Union([PrioritySchema, Type.Null()])),
    calendarId: Id,
    firstResponseMinutes: FirstResponseMinutes,
    resolutionMinutes: ResolutionMinutes,
    warnPercent: Type.Optional(WarnPercent),
    onWarning: Type.Optional(Escalation),
    onBreach: Type.Optional(Escalation),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateSlaPolicyBody = Static<typeof CreateSlaPolicyBody>

export const UpdateSlaPolicyBody = Type.Object(
  {
    name: Type.Optional(Name),
    categoryId: Type.Optional(Type.Union([Id, Type.Null()])),
    priority: Type.Optional(Type.Union([PrioritySchema, Type.Null()])),
    calendarId: Type.Optional(Id),
    firstResponseMinutes: Type.Optional(FirstResponseMinutes),
    resolutionMinutes: Type.Optional(ResolutionMinutes),
    warnPercent: Type.Optional(WarnPercent),
    onWarning: Type.Optional(Escalation),
    onBreach: Type.Optional(Escalation),
    active: Type.Optional(Type.Boolean()),
    version: Type.Optional(Version),
  },
  { additionalProperties: false },
)
export type UpdateSlaPolicyBody = Static<typeof UpdateSlaPolicyBody>

/** react-admin's getMany asks for records by `id` (one or several): a policy named on a case, a calendar on a policy. */
const IdFilter = Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })]))

export const SlaPolicyFilter = Type.Object(
  {
    id: IdFilter,
    active: Type.Optional(Type.Boolean()),
    categoryId: Type.Optional(Id),
    priority: Type.Optional(PrioritySchema),
    q: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
)
export type SlaPolicyFilter = Static<typeof SlaPolicyFilter>
export const SLA_POLICY_SORTS = ['id', 'name', 'priority', 'updatedAt'] as const

export const CalendarView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  settings: BusinessCalendarSettings,
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type CalendarView = Static<typeof CalendarView>

// Settings are checked by checkBusinessCalendar, whose messages name the field and the day.
const LooseSettings = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'see BusinessCalendarSettings: weeklyHours, timeZone, localHolidays',
  },
)

export const CreateCalendarBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9_-]{2,40}$' }),
    name: Name,
    settings: LooseSettings,
  },
  { additionalProperties: false },
)
export type CreateCalendarBody = Static<typeof CreateCalendarBody>

export const UpdateCalendarBody = Type.Object(
  {
    name: Type.Optional(Name),
    settings: Type.Optional(LooseSettings),
    version: Type.Optional(Version),
  },
  { additionalProperties: false },
)
export type UpdateCalendarBody = Static<typeof UpdateCalendarBody>

export const CalendarFilter = Type.Object(
  { id: IdFilter, q: Type.Optional(Type.String({ maxLength: 120 })) },
  { additionalProperties: false },
)
export type CalendarFilter = Static<typeof CalendarFilter>
export const CALENDAR_SORTS = ['id', 'code', 'name'] as const

/** The closed days of a year and a deadline computed on the calendar, for administrators to check it. */
export const CalendarPreviewQuery = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    from: Type.Optional(Timestamp),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 5_256_000 })),
  },
  { additionalProperties: false },
)
export type CalendarPreviewQuery = Static<typeof CalendarPreviewQuery>

export const CalendarPreview = Type.Object({
  year: Type.Integer(),
  closures: Type.Array(Type.Object({ date: Type.String(), name: Type.String() })),
  deadline: Type.Optional(
    Type.Object(
      { from: Timestamp, minutes: Type.Integer(), dueAt: Timestamp },
      { additionalProperties: false },
    ),
  ),
})
export type CalendarPreview = Static<typeof CalendarPreview>

/** SLA views of the case list: warned but not yet due, or due and not met. */
export const SLA_VIEWS = ['at_risk', 'breached'] as const
export type SlaView = (typeof SLA_VIEWS)[number]
